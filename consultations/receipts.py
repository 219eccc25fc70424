"""The optional emailed receipt: the reference number, and what it may safely say.

Anyone can type any address, so a receipt to an address we cannot tie to the resident carries
only the reference, the consultation, the date and the questions answered: never a word the
resident wrote (free text, "Other" answers), which would let anyone make the council send any
text to anyone. A signed-in resident who asks for the receipt at one of their account's verified
addresses gets the full copy of their answers. The address is used once to send and is never
stored with the response. Its one link, to the consultation (where the outcome will appear), is on
the site's public address.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from portal.email_links import page_url


def send_receipt(email, page, response, rows, *, full_copy=False):
    context = {
        "page": page,
        "url": page_url(page),
        "response": response,
        "rows": rows,
        "full_copy": full_copy,
    }
    body = render_to_string("consultations/email/receipt.txt", context)
    subject = f"Your response to {page.title}: {response.reference}"
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
