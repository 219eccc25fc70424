"""The optional emailed receipt: the reference number and a copy of the answers.

The address is used once to send and is never stored with the response.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def send_receipt(email, page, response, rows):
    context = {"page": page, "response": response, "rows": rows}
    body = render_to_string("consultations/email/receipt.txt", context)
    subject = f"Your response to {page.title}: {response.reference}"
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
