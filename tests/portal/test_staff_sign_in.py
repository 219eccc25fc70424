"""Officers: one door (allauth's), two-step sign-in, short sessions (issue 14, points 2–5)."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core import mail
from django.utils import timezone

from demo.council import current_sign_in_code
from portal import roles
from tests.conftest import enrol_in_two_step_sign_in

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-officer-password"  # noqa: S105


@pytest.fixture
def new_officer(demo_site):
    """An analyst added by an administrator: verified address, no authenticator yet."""
    user = get_user_model().objects.create_user("new.analyst", "new.analyst@kingsmere.example")
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name=roles.ANALYSTS))
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def signed_in(client):
    return "_auth_user_id" in client.session


def test_wagtails_own_sign_in_page_sends_officers_to_the_one_sign_in_page(client, new_officer):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/login/?next=%2Fadmin%2Fpages%2F"


def test_wagtails_own_sign_in_form_cannot_sign_anyone_in(client, new_officer):
    client.post("/admin/login/", {"username": new_officer.username, "password": PASSWORD})
    assert not signed_in(client)


def test_an_unverified_account_cannot_sign_in_at_the_admin_door(client, new_officer):
    EmailAddress.objects.filter(user=new_officer).update(verified=False)
    client.post("/admin/login/", {"username": new_officer.email, "password": PASSWORD})
    client.post("/accounts/login/", {"login": new_officer.email, "password": PASSWORD})
    assert not signed_in(client)


def test_wagtails_password_reset_goes_through_allauth_and_sends_nothing_itself(client, new_officer):
    response = client.post("/admin/password_reset/", {"email": new_officer.email})
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/password/reset/"
    assert client.get("/admin/password_reset/confirm/MQ/set-password/").status_code == 302
    assert mail.outbox == []


def test_password_reset_emails_to_one_address_are_limited(client, new_officer):
    for _ in range(5):
        client.post("/accounts/password/reset/", {"email": new_officer.email})
    assert len(mail.outbox) == 3


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, new_officer):
    """From five different clients, so only the per-address lockout can be what refuses."""
    for attempt in range(5):
        client.post(
            "/accounts/login/",
            {"login": new_officer.email, "password": "wrong-guess"},
            REMOTE_ADDR=f"192.0.2.{attempt + 1}",
        )
    response = client.post(
        "/accounts/login/",
        {"login": new_officer.email, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.99",
    )
    assert response.status_code == 200
    assert not signed_in(client)


def test_four_wrong_passwords_do_not_lock_the_account(client, new_officer):
    for attempt in range(4):
        client.post(
            "/accounts/login/",
            {"login": new_officer.email, "password": "wrong-guess"},
            REMOTE_ADDR=f"192.0.2.{attempt + 1}",
        )
    client.post("/accounts/login/", {"login": new_officer.email, "password": PASSWORD})
    assert signed_in(client)


@pytest.mark.without_two_step_sign_in
def test_an_officer_without_an_authenticator_cannot_reach_the_admin(client, new_officer):
    client.force_login(new_officer)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/2fa/totp/activate/"
    assert client.get("/admin/reports/").status_code == 302


@pytest.mark.without_two_step_sign_in
def test_an_officer_with_an_authenticator_reaches_the_admin(client, new_officer):
    enrol_in_two_step_sign_in(new_officer)
    client.force_login(new_officer)
    assert client.get("/admin/").status_code == 200


@pytest.mark.without_two_step_sign_in
def test_residents_may_use_the_site_without_two_step_sign_in(client, demo_site):
    resident = get_user_model().objects.create_user("resident", "resident@example.org", PASSWORD)
    client.force_login(resident)
    assert client.get("/consultations/").status_code == 200
    assert client.get("/accounts/2fa/").status_code == 200


def test_an_enrolled_officer_signs_in_with_password_then_the_code(client, new_officer):
    enrol_in_two_step_sign_in(new_officer)
    first = client.post(
        "/accounts/login/?next=/admin/",
        {"login": new_officer.email, "password": PASSWORD, "next": "/admin/"},
    )
    assert first.headers["Location"] == "/accounts/2fa/authenticate/"
    assert not signed_in(client)
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200 and not signed_in(client)
    done = client.post("/accounts/2fa/authenticate/", {"code": current_sign_in_code(new_officer)})
    assert done.headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_an_officers_session_ends_after_the_idle_time(client, new_officer, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    client.force_login(new_officer)
    assert client.get("/admin/").status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    expires_in = session.expire_date - timezone.now()
    assert timedelta(minutes=29) < expires_in <= timedelta(minutes=30)
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/")


def test_each_request_restarts_an_officers_idle_time(client, new_officer):
    client.force_login(new_officer)
    client.get("/admin/")
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(minutes=1))
    client.get("/admin/")
    assert Session.objects.get(pk=key).expire_date > timezone.now() + timedelta(minutes=29)


def test_a_residents_session_keeps_the_usual_length(client, demo_site):
    resident = get_user_model().objects.create_user("resident", "resident@example.org", PASSWORD)
    client.force_login(resident)
    client.get("/consultations/")
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.expire_date - timezone.now() > timedelta(days=13)


@pytest.mark.parametrize("method", ["get", "post"])
def test_signing_out_of_the_admin_leaves_no_live_session(client, new_officer, method):
    client.force_login(new_officer)
    key = client.session.session_key
    response = getattr(client, method)("/admin/logout/")
    assert response.status_code == 302
    assert not signed_in(client)
    assert not Session.objects.filter(pk=key).exists()
    assert client.get("/admin/").headers["Location"].startswith("/accounts/login/")


def test_a_password_of_11_characters_is_refused(demo_site):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("kingsmere-1")
    validate_password("kingsmere-12")


PROXY = "10.0.0.1"


def sign_in_behind_the_proxy(client, client_address, login, password):
    """A sign-in as the app sees it behind one TLS proxy: from the proxy, naming the client."""
    return client.post(
        "/accounts/login/",
        {"login": login, "password": password},
        HTTP_X_FORWARDED_FOR=client_address,
        REMOTE_ADDR=PROXY,
    )


def fail_twelve_sign_ins(client, client_address):
    for attempt in range(12):
        sign_in_behind_the_proxy(client, client_address, f"nobody{attempt}@example.org", "wrong")


def test_two_clients_behind_the_proxy_are_limited_separately(client, new_officer, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    fail_twelve_sign_ins(client, "203.0.113.7")
    refused = sign_in_behind_the_proxy(client, "203.0.113.7", new_officer.email, PASSWORD)
    assert refused.status_code == 200 and not signed_in(client)
    other = sign_in_behind_the_proxy(client, "198.51.100.20", new_officer.email, PASSWORD)
    assert other.status_code == 302
    assert signed_in(client)


def test_without_the_proxy_setting_everyone_behind_it_shares_one_limit(
    client, new_officer, settings
):
    """Why the setting matters: the limit above, with the proxy not trusted."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    fail_twelve_sign_ins(client, "203.0.113.7")
    other = sign_in_behind_the_proxy(client, "198.51.100.20", new_officer.email, PASSWORD)
    assert other.status_code == 200
    assert not signed_in(client)


def test_an_officers_account_page_links_to_two_step_sign_in_and_password(client, new_officer):
    client.force_login(new_officer)
    html = client.get("/admin/account/").content.decode()
    assert 'href="/accounts/2fa/"' in html
    assert 'href="/accounts/password/change/"' in html


@pytest.mark.without_two_step_sign_in
def test_an_officer_without_an_authenticator_can_still_sign_out_of_the_admin(client, new_officer):
    client.force_login(new_officer)
    key = client.session.session_key
    client.get("/admin/logout/")
    assert not signed_in(client)
    assert not Session.objects.filter(pk=key).exists()


def test_an_officer_cannot_change_their_email_address_in_wagtails_account_page(client, new_officer):
    client.force_login(new_officer)
    html = client.get("/admin/account/").content.decode()
    assert 'name="email-email"' not in html
