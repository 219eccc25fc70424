"""Every link in every email the portal sends is on the one public address and opens a page
(issue 15, point 3): never Wagtail's Site record, which the demo once left at localhost:80."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from wagtail.models import Site

from tests.account_pages import RESIDENT_EMAIL, make_people
from tests.consultations import conftest as consultation_fixtures
from tests.consultations.conftest import respond
from tests.consultations.test_outcomes import outcome
from tests.consultations.test_receipts_and_outcome_emails import close

pytestmark = pytest.mark.django_db

# An open consultation under the demo council, as in tests/consultations/.
consultation = consultation_fixtures.consultation

PUBLIC = "https://consult.kingsmere.example"
ADDRESS = "resident@example.org"
LINK = re.compile(r"\b(?:https?://|www\.)\S+|\blocalhost\S*")


@pytest.fixture
def public_address(settings):
    settings.PUBLIC_BASE_URL = PUBLIC


@pytest.fixture
def stale_site(demo_site):
    """A Site record that disagrees with the public address, as a copied database's might."""
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)


def links_in(message):
    return LINK.findall(message.body)


def assert_every_link_opens(message):
    """Each link is on the public address, and following it (redirects too) ends on a page."""
    links = links_in(message)
    assert links, "the email carries a link to follow"
    for link in links:
        assert link == PUBLIC or link.startswith(PUBLIC + "/"), link
        opened = Client().get(urlsplit(link).path or "/", follow=True)
        assert opened.status_code == 200, link


def send_response(client, consultation, **extra):
    check = respond(client, consultation)
    return client.post(
        consultation.url + "respond/check/", {"token": check.context["token"], **extra}
    )


def test_the_receipts_link_is_on_the_public_address_and_opens_the_consultation(
    client, consultation, public_address, stale_site
):
    send_response(client, consultation, receipt_email=ADDRESS)
    [receipt] = mail.outbox
    assert_every_link_opens(receipt)
    assert f"{PUBLIC}{consultation.url}" in receipt.body


def test_the_outcome_confirmation_link_is_on_the_public_address_and_opens(
    client, consultation, public_address, stale_site, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_response(client, consultation, tell_me="yes", outcome_email=ADDRESS)
    [confirmation] = mail.outbox
    assert_every_link_opens(confirmation)


def test_the_outcome_email_links_to_the_published_outcome_on_the_public_address(
    client, consultation, public_address, stale_site, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_response(client, consultation, tell_me="yes", outcome_email=ADDRESS)
    Client().post(urlsplit(links_in(mail.outbox[0])[0]).path)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page = outcome(close(consultation))
    [told] = mail.outbox
    assert "localhost" not in told.body
    assert_every_link_opens(told)
    assert f"{PUBLIC}{page.url}" in told.body


def test_the_password_reset_email_links_to_the_public_address(client, public_address, stale_site):
    make_people()
    client.post("/accounts/password/reset/", {"email": RESIDENT_EMAIL})
    [reset] = mail.outbox
    assert_every_link_opens(reset)


def test_the_demo_site_record_is_on_the_public_address(settings, db):
    from demo.council import seed_site

    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    seed_site()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == (
        "127.0.0.1",
        8000,
        "http://127.0.0.1:8000",
    )


def test_a_demo_on_an_https_address_gets_a_site_record_on_port_443(db, public_address):
    from demo.council import seed_site

    seed_site()
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == PUBLIC
