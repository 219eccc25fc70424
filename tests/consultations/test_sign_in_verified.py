"""A consultation that requires sign-in takes responses only from accounts whose email address
is verified; any other account gets a page saying how to verify, never a form or an error."""

import uuid

import pytest
from allauth.account.models import EmailAddress

from tests.builders import UserFactory
from tests.consultations.conftest import section_one

pytestmark = pytest.mark.django_db


@pytest.fixture
def sign_in_consultation(consultation):
    consultation.require_sign_in = True
    consultation.save_revision().publish()
    consultation.refresh_from_db()
    return consultation


@pytest.fixture
def unverified(db):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    return user


def test_an_unverified_account_is_asked_to_verify_its_email_address(
    client, sign_in_consultation, unverified
):
    client.force_login(unverified)
    page = client.get(sign_in_consultation.url + "respond/section/1/")
    assert page.status_code == 403
    html = page.content.decode()
    assert "Confirm your email address to respond" in html
    assert unverified.email in html
    assert 'href="/accounts/email/"' in html


def test_an_unverified_account_cannot_send_a_response(client, sign_in_consultation, unverified):
    client.force_login(unverified)
    posted = client.post(sign_in_consultation.url + "respond/section/1/", section_one())
    assert posted.status_code == 403
    sent = client.post(sign_in_consultation.url + "respond/check/", {"token": str(uuid.uuid4())})
    assert sent.status_code == 403
    assert sign_in_consultation.responses.count() == 0


def test_an_account_without_any_email_record_is_asked_to_verify(client, sign_in_consultation):
    client.force_login(UserFactory())
    page = client.get(sign_in_consultation.url + "respond/")
    assert page.status_code == 403
    assert "Confirm your email address to respond" in page.content.decode()
