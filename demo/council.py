"""The demo council's site pages: home, privacy notice, accessibility statement, officers."""

import time
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.contrib.auth import get_user_model
from wagtail.models import Locale, Page, Site

from home.models import CouncilSettings, HomePage, InformationPage
from portal import roles

COUNCIL_NAME = "Kingsmere Borough Council"

# Dev-only logins, printed by `make run`. Never used outside the demo.
DEMO_OFFICERS = [
    ("editor@kingsmere.example", "Edith", "Editor", [roles.CONSULTATION_EDITORS]),
    ("approver@kingsmere.example", "Aisha", "Approver", [roles.CONSULTATION_APPROVERS]),
    ("moderator@kingsmere.example", "Mo", "Moderator", [roles.MODERATORS]),
    ("analyst@kingsmere.example", "Anil", "Analyst", [roles.ANALYSTS]),
    (
        "dpo@kingsmere.example",
        "Dara",
        "Protection",
        [roles.MODERATORS, roles.PERSONAL_DATA_ACCESS],
    ),
    (
        "records@kingsmere.example",
        "Rhys",
        "Records",
        [roles.ANALYSTS, roles.PERSONAL_DATA_ACCESS],
    ),
]
DEMO_PASSWORD = "kingsmere-demo-2026"  # noqa: S105 (dev-only demo login)

PRIVACY_BODY = """
<h2>Who we are</h2>
<p>Kingsmere Borough Council is the data controller for the personal information you give us
when you respond to a consultation.</p>
<h2>Why we ask for it</h2>
<p>We consult residents as part of our public task (UK GDPR Article 6(1)(e)). We use your answers
to inform decisions and publish only summaries that do not identify you.</p>
<h2>Equality monitoring</h2>
<p>Questions about you are always optional and include "prefer not to say". We report them only
in aggregate.</p>
<h2>How long we keep it</h2>
<p>Each consultation states its retention period. After it ends we anonymise your answers: we
remove the link to your account and your postcode district, and of your own words we keep only
what we published after moderation.</p>
"""

ACCESSIBILITY_BODY = """
<p>This website is run by Kingsmere Borough Council. We want as many people as possible to be
able to use it. You should be able to use it with a keyboard alone, with a screen reader, with
JavaScript turned off, and zoomed in to 400% without text spilling off the screen.</p>
<h2>Compliance status</h2>
<p>This website aims to meet the Web Content Accessibility Guidelines version 2.2 AA standard.
Every public page is tested automatically with axe-core in a real browser.</p>
<h2>Reporting accessibility problems</h2>
<p>Email consultations@kingsmere.example and we will reply within 5 working days.</p>
"""


def seed_site():
    """Make the demo council's home page, information pages and site settings; safe to repeat."""
    locale = (
        Locale.get_default()
        if Locale.objects.exists()
        else Locale.objects.create(language_code="en-gb")
    )
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale)
    )
    home = HomePage.objects.first()
    if home is None:
        # Wagtail's migrations leave a placeholder "Welcome" page that holds the slug we want.
        for placeholder in root.get_children().filter(depth=2, slug="home"):
            if placeholder.specific_class is Page:
                placeholder.delete()
        home = root.add_child(
            instance=HomePage(
                title="Have your say in Kingsmere",
                slug="home",
                intro=(
                    "Tell us what matters to you. Find a consultation, answer the questions "
                    "and see what we did with what you said."
                ),
                body=(
                    "<h2>How consultations work</h2><p>Every consultation says what we are "
                    "deciding, how long it is open and how we will use your answers. When it "
                    "closes we publish what you said and what we did about it.</p>"
                ),
            )
        )
    # The Site is where Wagtail's own links (the admin's "View live", its emails) point: the same
    # public address as every other link, which `make run` serves on.
    public = urlsplit(settings.PUBLIC_BASE_URL)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": public.hostname,
            "port": public.port or (443 if public.scheme == "https" else 80),
            "root_page": home,
            "site_name": COUNCIL_NAME,
        },
    )
    privacy = _information_page(home, "Privacy notice", "privacy", PRIVACY_BODY)
    accessibility = _information_page(
        home, "Accessibility statement", "accessibility", ACCESSIBILITY_BODY
    )
    site = Site.objects.get(is_default_site=True)
    council, _ = CouncilSettings.objects.get_or_create(site=site)
    council.council_name = COUNCIL_NAME
    council.contact_email = "consultations@kingsmere.example"
    council.address = "Town Hall, Market Square, Kingsmere KM1 1AA"
    council.privacy_notice = privacy
    council.accessibility_statement = accessibility
    council.save()
    return home


def _information_page(parent, title, slug, body):
    page = InformationPage.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = parent.add_child(instance=InformationPage(title=title, slug=slug, body=body))
    return page


def seed_officers():
    """Officer accounts by role, each with a verified email so allauth lets them sign in, and an
    authenticator (two-step sign-in is required for the admin): `demo_sign_in_code` shows its
    current code, so nobody needs an authenticator app to try the demo."""
    groups = roles.ensure_officer_groups()
    User = get_user_model()
    created = []
    for email, first_name, last_name, group_names in DEMO_OFFICERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                username=email.split("@")[0],
                email=email,
                password=DEMO_PASSWORD,
                first_name=first_name,
                last_name=last_name,
            )
            created.append(email)
        user.groups.add(*(groups[name] for name in group_names))
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, generate_totp_secret())
    return created


def current_sign_in_code(user, counter_offset=0):
    """The 6-digit code a demo officer's authenticator app would show now (or one period on)."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD + counter_offset
    return format_hotp_value(hotp_value(decrypt(authenticator.data["secret"]), counter))
