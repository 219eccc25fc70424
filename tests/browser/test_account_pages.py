"""Every account page in a real browser, for everyone who can see it (issue 14, point 1), and
an officer's two ways into the admin: with their authenticator app, and setting one up first."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from demo.council import current_sign_in_code
from portal import roles
from tests.account_pages import (
    OFFICER_EMAIL,
    OFFICER_PASSWORD,
    PAGES_SEEN,
    PASSWORD,
    RESIDENT_EMAIL,
    make_people,
    page_urls,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Pages that download a file rather than show one.
DOWNLOADS = {"mfa_download_recovery_codes"}
SIGN_IN = re.compile(r"^sign in$", re.IGNORECASE)


def give_email_and_password(page, email, password):
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name=SIGN_IN).click()


def give_code(page, code):
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Continue").click()


def confirm_its_you(page, password):
    page.goto("/accounts/reauthenticate/?next=/accounts/2fa/")
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/$"))


def sign_in_as(page, who, officer):
    """Bring the browser to a sign-in state the way a person gets there."""
    if who == "nobody":
        return
    page.goto("/accounts/login/")
    if who == "resident":
        give_email_and_password(page, RESIDENT_EMAIL, PASSWORD)
        page.wait_for_url(re.compile(r"/$"))
        confirm_its_you(page, PASSWORD)
        return
    give_email_and_password(page, OFFICER_EMAIL, OFFICER_PASSWORD)
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/$"))
    if who == "officer":
        give_code(page, current_sign_in_code(officer))
        page.wait_for_url(re.compile(r"/$"))
        confirm_its_you(page, OFFICER_PASSWORD)


@pytest.mark.parametrize("who", ["nobody", "resident", "officer", "officer halfway"])
def test_every_account_page_opens_and_passes_axe(live_demo, browser_page, who):
    resident, newcomer, officer = make_people()
    sign_in_as(browser_page, who, officer)
    browser_page.console_errors.clear()
    checked, seen = set(), set()
    for name, paths in page_urls(newcomer, resident).items():
        for path in paths:
            if name in DOWNLOADS:
                response = browser_page.context.request.get(path)
                assert response.status < 500, f"{name} answered {response.status}"
                if response.status == 200:
                    seen.add(name)
                continue
            response = browser_page.goto(path)
            assert response.status < 500, f"{name} {path} answered {response.status}"
            if response.status == 200:
                seen.add(name)
            # A 404 (a resident has no recovery codes to view) logs the failed load itself.
            errors = [
                error
                for error in browser_page.console_errors
                if not (response.status == 404 and error.startswith("Failed to load resource"))
            ]
            assert errors == [], f"{name} {path}: {errors}"
            browser_page.console_errors.clear()
            landed = browser_page.url.split("?")[0]
            if response.status == 200 and landed not in checked:
                checked.add(landed)
                browser_page.assert_accessible()
    assert PAGES_SEEN[who] <= seen, f"{who} never saw {PAGES_SEEN[who] - seen}"


def test_an_officer_signs_in_at_the_admin_with_a_code_from_their_app(live_demo, browser_page):
    _resident, _newcomer, officer = make_people()
    browser_page.goto("/admin/")
    browser_page.wait_for_url(re.compile(r"/accounts/login/\?next="))
    assert browser_page.title() == "Sign in – Kingsmere Borough Council"
    give_email_and_password(browser_page, OFFICER_EMAIL, OFFICER_PASSWORD)
    browser_page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/$"))
    assert browser_page.locator("h1").inner_text() == "Enter the code from your authenticator app"
    give_code(browser_page, current_sign_in_code(officer))
    browser_page.wait_for_url(re.compile(r"/admin/$"))
    assert "Dashboard" in browser_page.title()


def test_a_new_officer_sets_up_two_step_sign_in_before_the_admin_opens(live_demo, browser_page):
    officer = get_user_model().objects.create_user("new.analyst", "new.analyst@kingsmere.example")
    officer.set_password(OFFICER_PASSWORD)
    officer.save()
    officer.groups.add(Group.objects.get(name=roles.ANALYSTS))
    officer.emailaddress_set.create(email=officer.email, verified=True, primary=True)

    browser_page.goto("/admin/")
    give_email_and_password(browser_page, officer.email, OFFICER_PASSWORD)
    # allauth asks for the password again before any change to how an account signs in.
    browser_page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    browser_page.get_by_label("Password", exact=True).fill(OFFICER_PASSWORD)
    browser_page.get_by_role("button", name="Continue").click()

    browser_page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    assert browser_page.locator("h1").inner_text() == "Set up two-step sign-in"
    assert browser_page.get_by_role("img", name=re.compile("QR code")).is_visible()
    browser_page.assert_accessible()
    secret = browser_page.locator("#authenticator-key").inner_text().replace(" ", "")
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    give_code(browser_page, code)

    browser_page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    assert browser_page.locator("h1").inner_text() == "Your recovery codes"
    assert browser_page.locator("main li code").count() == 10
    browser_page.assert_no_console_errors()
    browser_page.get_by_role("button", name="Continue to the admin").click()
    browser_page.wait_for_url(re.compile(r"/admin/$"))
    assert "Dashboard" in browser_page.title()
