"""Every account page opens, for everyone, in the council's own words (issue 14, point 1)."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail

from tests.account_pages import (
    NEWCOMER_EMAIL,
    OFFICER_EMAIL,
    OFFICER_PASSWORD,
    PAGES_SEEN,
    PASSWORD,
    RESIDENT_EMAIL,
    allauth_url_names,
    confirm_its_you,
    make_people,
    page_urls,
    sign_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(demo_site):
    return make_people()


def test_the_page_list_covers_every_page_allauth_exposes(people):
    resident, newcomer, _officer = people
    assert set(page_urls(newcomer, resident)) == allauth_url_names()


@pytest.mark.parametrize("who", ["nobody", "resident", "officer", "officer halfway"])
def test_no_account_page_fails_for_anyone(client, people, who):
    resident, newcomer, officer = people
    if who == "resident":
        sign_in(client, RESIDENT_EMAIL, PASSWORD)
        confirm_its_you(client, PASSWORD)
    elif who == "officer":
        sign_in(client, OFFICER_EMAIL, OFFICER_PASSWORD, officer=officer)
        confirm_its_you(client, OFFICER_PASSWORD)
    elif who == "officer halfway":
        # Password given, the authenticator's code not yet: allauth's two-step stage.
        sign_in(client, OFFICER_EMAIL, OFFICER_PASSWORD)
    seen = set()
    for name, paths in page_urls(newcomer, resident).items():
        for path in paths:
            response = client.get(path)
            assert response.status_code < 500, f"{name} {path} answered {response.status_code}"
            if response.status_code == 200:
                seen.add(name)
            if response.status_code == 200 and response.get("Content-Type", "").startswith(
                "text/html"
            ):
                html = response.content.decode()
                assert "Kingsmere Borough Council" in html, f"{path} is outside the site layout"
    assert PAGES_SEEN[who] <= seen, f"{who} never saw {PAGES_SEEN[who] - seen}"


def test_signing_out_asks_then_signs_out(client, people):
    sign_in(client, RESIDENT_EMAIL, PASSWORD)
    page = client.get("/accounts/logout/")
    assert page.status_code == 200
    assert "Are you sure you want to sign out?" in page.content.decode()
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_a_newcomer_confirms_their_address_from_the_email_link(client, people):
    resident, newcomer, _officer = people
    client.post("/accounts/login/", {"login": NEWCOMER_EMAIL, "password": PASSWORD})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    assert link.startswith("http://127.0.0.1:8000/accounts/confirm-email/")
    path = link.removeprefix("http://127.0.0.1:8000")
    page = client.get(path)
    assert page.status_code == 200
    assert "Confirm your email address" in page.content.decode()
    client.post(path)
    newcomer.emailaddress_set.get().refresh_from_db()
    assert newcomer.emailaddress_set.get().verified


def test_a_resident_resets_their_password_from_the_email_link(client, people):
    client.post("/accounts/password/reset/", {"email": RESIDENT_EMAIL})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    path = link.removeprefix("http://127.0.0.1:8000")
    assert path != link, "the link is built from the configured public address"
    form = client.get(path, follow=True)
    assert form.status_code == 200
    html = form.content.decode()
    assert "Choose a new password" in html
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else path,
        {"password1": "a-brand-new-password-2027", "password2": "a-brand-new-password-2027"},
    )
    assert done.status_code == 302
    assert client.login(username=RESIDENT_EMAIL, password="a-brand-new-password-2027")


def test_account_emails_name_the_council_and_link_to_the_public_address(client, people, settings):
    settings.PUBLIC_BASE_URL = "https://consult.kingsmere.example"
    client.post("/accounts/password/reset/", {"email": RESIDENT_EMAIL}, HTTP_HOST="127.0.0.1")
    message = mail.outbox[0]
    assert message.subject.startswith("Kingsmere Borough Council: ")
    assert "Kingsmere Borough Council" in message.body
    assert "127.0.0.1" not in message.body and "localhost" not in message.body
    assert "https://consult.kingsmere.example/accounts/password/reset/key/" in message.body


def test_sign_in_page_reads_like_the_rest_of_the_site(client, people):
    html = client.get("/accounts/login/").content.decode()
    assert '<h1 class="govuk-heading-l">Sign in</h1>' in html
    assert "Sign In" not in html
    assert "placeholder=" not in html
    assert '<label class="govuk-label" for="id_login">Email address</label>' in html


def test_sign_in_errors_name_the_field_in_the_error_summary(client, people):
    html = client.post("/accounts/login/", {"login": "", "password": ""}).content.decode()
    assert "There is a problem" in html
    assert 'href="#id_login">Enter your email address' in html
    assert 'href="#id_password">Enter your password' in html


def test_sign_up_refuses_a_password_shorter_than_12_characters(client, people):
    response = client.post(
        "/accounts/signup/",
        {"email": "short@example.org", "password1": "eleven-char", "password2": "eleven-char"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_sign_up_accepts_a_password_of_12_characters(client, people):
    response = client.post(
        "/accounts/signup/",
        {"email": "long@example.org", "password1": "twelve-chars", "password2": "twelve-chars"},
    )
    assert response.status_code == 302


# allauth's own wording, which none of the council's pages should show.
ALLAUTH_WORDING = [
    "Sign In",
    "Sign Up",
    "Sign Out",
    "Two-Factor",
    "Confirm Email Address",
    "Change Password",
    "Password Reset",
    "Recovery Codes",
    "Authenticator App",
    "Confirm Access",
    "Please ",
]
VISIBLE_INPUT_ID = re.compile(r'<input(?![^>]*type="hidden")[^>]*id="([^"]+)"')


@pytest.mark.parametrize("who", ["nobody", "resident", "officer", "officer halfway"])
def test_every_account_page_labels_its_inputs_in_the_councils_words(client, people, who):
    resident, newcomer, officer = people
    if who == "resident":
        sign_in(client, RESIDENT_EMAIL, PASSWORD)
        confirm_its_you(client, PASSWORD)
    elif who == "officer":
        sign_in(client, OFFICER_EMAIL, OFFICER_PASSWORD, officer=officer)
        confirm_its_you(client, OFFICER_PASSWORD)
    elif who == "officer halfway":
        sign_in(client, OFFICER_EMAIL, OFFICER_PASSWORD)
    for name, paths in page_urls(newcomer, resident).items():
        for path in paths:
            response = client.get(path)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            main = html[html.index("<main") : html.index("</main>")]
            assert "placeholder=" not in main, name
            assert '<h1 class="govuk-heading-l">' in main or "govuk-panel__title" in main, name
            for wording in ALLAUTH_WORDING:
                assert wording not in main, f"{name} says {wording!r}"
            for input_id in re.findall(
                r'<input(?![^>]*type="(?:hidden|radio)")[^>]*id="([^"]+)"', main
            ):
                assert f'for="{input_id}"' in main, f"{name}: #{input_id} has no label"


def test_sign_in_and_sign_up_fields_tell_the_browser_what_they_hold(client, people):
    sign_in_page = client.get("/accounts/login/").content.decode()
    assert re.search(r'<input type="email" name="login" autocomplete="email"', sign_in_page)
    assert re.search(r'name="password" autocomplete="current-password"', sign_in_page)
    sign_up_page = client.get("/accounts/signup/").content.decode()
    assert re.search(r'name="password1" autocomplete="new-password"', sign_up_page)
    assert re.search(r'name="password2" autocomplete="new-password"', sign_up_page)


def test_sign_up_says_when_the_two_passwords_differ(client, people):
    html = client.post(
        "/accounts/signup/",
        {"email": "new@example.org", "password1": "twelve-chars", "password2": "twelve-charz"},
    ).content.decode()
    assert 'href="#id_password2">The passwords do not match' in html


def test_the_code_step_asks_for_a_one_time_code_on_a_number_pad(client, people):
    sign_in(client, OFFICER_EMAIL, OFFICER_PASSWORD)
    html = client.get("/accounts/2fa/authenticate/").content.decode()
    assert '<h1 class="govuk-heading-l">Enter the code from your authenticator app</h1>' in html
    field = re.search(r'<input[^>]*name="code"[^>]*>', html).group(0)
    assert 'autocomplete="one-time-code"' in field and 'inputmode="numeric"' in field
    assert '<label class="govuk-label" for="id_code">Code from your authenticator app' in html


def test_the_code_step_names_the_field_in_its_errors(client, people):
    sign_in(client, OFFICER_EMAIL, OFFICER_PASSWORD)
    empty = client.post("/accounts/2fa/authenticate/", {"code": ""}).content.decode()
    assert 'href="#id_code">Enter the 6-digit code from your authenticator app' in empty
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"}).content.decode()
    assert 'href="#id_code">The code is not correct' in wrong


def test_setting_up_two_step_sign_in_shows_the_qr_code_and_the_key_as_text(client, people):
    sign_in(client, RESIDENT_EMAIL, PASSWORD)
    confirm_its_you(client, PASSWORD)
    html = client.get("/accounts/2fa/totp/activate/").content.decode()
    assert '<h1 class="govuk-heading-l">Set up two-step sign-in</h1>' in html
    assert re.search(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="QR code [^"]+"', html)
    secret = re.search(r'<code id="authenticator-key">([A-Z2-7 ]+)</code>', html).group(1)
    code = format_hotp_value(hotp_value(secret.replace(" ", ""), int(time.time()) // 30))
    response = client.post("/accounts/2fa/totp/activate/", {"code": code})
    assert response.headers["Location"] == "/accounts/2fa/recovery-codes/"
    codes = client.get("/accounts/2fa/recovery-codes/").content.decode()
    assert len(re.findall(r"<li><code>\d{8}</code></li>", codes)) == 10


def test_signing_in_says_so_in_plain_words(client, people):
    response = sign_in(client, RESIDENT_EMAIL, PASSWORD)
    page = client.get(response.headers["Location"]).content.decode()
    assert "You are signed in." in page
    assert "Successfully signed in" not in page


def test_account_emails_greet_from_the_council_and_sign_off_with_its_public_address(
    client, people, settings
):
    settings.PUBLIC_BASE_URL = "https://consult.kingsmere.example"
    client.post(
        "/accounts/signup/",
        {"email": "new@example.org", "password1": "twelve-chars", "password2": "twelve-chars"},
    )
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "Kingsmere Borough Council: Confirm your email address"
    assert body.startswith("Hello from Kingsmere Borough Council.")
    assert body.rstrip().endswith("Kingsmere Borough Council\nhttps://consult.kingsmere.example")
    assert "example.com" not in body


@pytest.mark.parametrize(
    ("email", "link"),
    [(RESIDENT_EMAIL, "/accounts/password/reset/"), ("nobody@example.org", "/accounts/signup/")],
)
def test_emails_to_people_who_cannot_sign_up_link_to_the_public_address(
    client, people, settings, email, link
):
    """Signing up with a taken address, or resetting an unknown one, sends an email whose link
    allauth builds from the request's host: ours is built from the public address."""
    settings.PUBLIC_BASE_URL = "https://consult.kingsmere.example"
    if email == RESIDENT_EMAIL:
        client.post(
            "/accounts/signup/",
            {"email": email, "password1": "twelve-chars", "password2": "twelve-chars"},
        )
    else:
        client.post("/accounts/password/reset/", {"email": email})
    body = mail.outbox[0].body
    assert f"https://consult.kingsmere.example{link}" in body
    assert "testserver" not in body


def test_changing_a_password_emails_the_account_holder(client, people):
    sign_in(client, RESIDENT_EMAIL, PASSWORD)
    mail.outbox.clear()
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "a-brand-new-password-2027",
            "password2": "a-brand-new-password-2027",
        },
    )
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[RESIDENT_EMAIL]]
    assert mail.outbox[0].subject.startswith("Kingsmere Borough Council: ")
    assert "password" in mail.outbox[0].subject.lower()
