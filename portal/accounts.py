"""How allauth's account emails read: the council's name, and links to the one public address.

allauth builds links from the host of the request that caused the email (a proxy's, or
127.0.0.1 behind one) and names the site by its domain. A resident should see the council's name
and a link that works wherever the email was triggered from.
"""

from urllib.parse import quote, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse
from wagtail.models import Site


def council_name(request=None):
    """The council's public name, as edited in Settings → Council details."""
    from home.models import CouncilSettings

    site = Site.find_for_request(request) if request is not None else None
    site = site or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return settings.WAGTAIL_SITE_NAME
    return CouncilSettings.for_site(site).council_name or settings.WAGTAIL_SITE_NAME


def public_url(path):
    """An absolute link for an email: the configured public base URL and a path on this site."""
    return settings.PUBLIC_BASE_URL + path


class PublicSite:
    """What allauth's email templates call `current_site`: the council, at its public address."""

    def __init__(self, name):
        self.name = name
        self.domain = urlsplit(settings.PUBLIC_BASE_URL).netloc


class CouncilAccountAdapter(DefaultAccountAdapter):
    def format_email_subject(self, subject):
        return f"{council_name(self.request)}: {subject}"

    def send_mail(self, template_prefix, email, context):
        name = council_name(self.request)
        context = {
            "current_site": PublicSite(name),
            "council_name": name,
            "public_base_url": settings.PUBLIC_BASE_URL,
            **context,
        }
        super().send_mail(template_prefix, email, context)

    def get_email_confirmation_url(self, request, emailconfirmation):
        return public_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key):
        # allauth's own trick: its URL pattern splits the opaque key at the first hyphen.
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return public_url(path.replace("UID-KEY", quote(key)))
