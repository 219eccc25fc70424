"""Every page allauth exposes here, with the keys and sign-in states that make each one render.

Shared by the plain tests (no 500, the council's wording) and the browser tests (axe). The list
is checked against allauth's installed URLconf, so a page added by an upgrade or a setting cannot
be left out.
"""

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.auth import get_user_model
from django.urls import URLResolver, reverse

from demo.council import current_sign_in_code
from tests.conftest import enrol_in_two_step_sign_in

RESIDENT_EMAIL = "resident@example.org"
NEWCOMER_EMAIL = "newcomer@example.org"
OFFICER_EMAIL = "editor@kingsmere.example"
PASSWORD = "a-long-resident-password"  # noqa: S105
OFFICER_PASSWORD = "kingsmere-demo-2026"  # noqa: S105


def allauth_url_names():
    """Every named URL in allauth's URLconf as this project installs it."""
    import allauth.urls

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif pattern.name:
                yield pattern.name

    return set(walk(allauth.urls.urlpatterns))


def make_people():
    """A verified resident, a newcomer who has not yet confirmed their address, and the demo
    editor (an officer with an authenticator and recovery codes)."""
    User = get_user_model()
    resident = User.objects.create_user("resident", RESIDENT_EMAIL, PASSWORD)
    EmailAddress.objects.create(user=resident, email=RESIDENT_EMAIL, verified=True, primary=True)
    newcomer = User.objects.create_user("newcomer", NEWCOMER_EMAIL, PASSWORD)
    EmailAddress.objects.create(user=newcomer, email=NEWCOMER_EMAIL, verified=False, primary=True)
    officer = User.objects.get(email=OFFICER_EMAIL)
    enrol_in_two_step_sign_in(officer)
    RecoveryCodes.activate(officer)
    return resident, newcomer, officer


def page_urls(newcomer, resident):
    """URL name → the paths that show it: each key both real and broken.

    In the order a test visits them: some pages end what came before, so they come last.
    Opening any page but the code step abandons a sign-in halfway through two steps (so the code
    step comes first), create-an-account abandons it too, and another account's email
    confirmation link signs the visitor out (so it is the very last).
    """
    confirmation = EmailConfirmationHMAC(EmailAddress.objects.get(user=newcomer))
    reset_key = f"{user_pk_to_url_str(resident)}-{default_token_generator.make_token(resident)}"
    return {
        "mfa_authenticate": [reverse("mfa_authenticate")],
        "account_login": [reverse("account_login")],
        "mfa_index": [reverse("mfa_index")],
        "mfa_reauthenticate": [reverse("mfa_reauthenticate")],
        "mfa_activate_totp": [reverse("mfa_activate_totp")],
        "mfa_deactivate_totp": [reverse("mfa_deactivate_totp")],
        "mfa_view_recovery_codes": [reverse("mfa_view_recovery_codes")],
        "mfa_generate_recovery_codes": [reverse("mfa_generate_recovery_codes")],
        "mfa_download_recovery_codes": [reverse("mfa_download_recovery_codes")],
        "account_email": [reverse("account_email")],
        "account_change_password": [reverse("account_change_password")],
        "account_set_password": [reverse("account_set_password")],
        "account_reauthenticate": [reverse("account_reauthenticate")],
        "account_logout": [reverse("account_logout")],
        "account_inactive": [reverse("account_inactive")],
        "account_email_verification_sent": [reverse("account_email_verification_sent")],
        "account_reset_password": [reverse("account_reset_password")],
        "account_reset_password_done": [reverse("account_reset_password_done")],
        "account_reset_password_from_key_done": [reverse("account_reset_password_from_key_done")],
        "account_confirm_login_code": [reverse("account_confirm_login_code")],
        "account_signup": [reverse("account_signup")],
        "account_reset_password_from_key": [
            f"/accounts/password/reset/key/{reset_key}/",
            "/accounts/password/reset/key/1-set-by-nobody/",
        ],
        "account_confirm_email": [
            reverse("account_confirm_email", args=["no-such-key"]),
            reverse("account_confirm_email", args=[confirmation.key]),
        ],
    }


def sign_in(client, email, password, officer=None):
    """Sign in through allauth's form as a person would; an officer also gives the code their
    authenticator app shows. Returns the last response."""
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    if officer is not None:
        response = client.post(reverse("mfa_authenticate"), {"code": current_sign_in_code(officer)})
    return response


def confirm_its_you(client, password):
    """Give the password again, as allauth asks before any change to how an account signs in
    (its pages for two-step sign-in redirect to "Confirm it's you" until then)."""
    return client.post(reverse("account_reauthenticate"), {"password": password})


# The pages each sign-in state must really see (not a redirect): a check that the visiting order
# in page_urls keeps each state alive.
PAGES_SEEN = {
    "nobody": {"account_login", "account_signup", "account_reset_password"},
    "resident": {"mfa_index", "mfa_activate_totp", "account_email", "account_change_password"},
    "officer": {
        "mfa_index",
        "mfa_deactivate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
    },
    "officer halfway": {"mfa_authenticate"},
}
