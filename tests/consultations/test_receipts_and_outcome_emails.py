"""Nobody can make the council email a stranger their words: receipts to an unchecked address
carry no resident-written text, "tell me about the outcome" waits for a confirmation click, and
both are limited per client and per address."""

from datetime import timedelta
from io import StringIO
from unittest import mock
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from consultations.models import OutcomeSubscription, Response
from consultations.outcomes import subscriptions
from consultations.question_types.base import field_name
from tests.builders import UserFactory
from tests.consultations.conftest import ids, section_one, section_two
from tests.consultations.test_outcomes import outcome

pytestmark = pytest.mark.django_db

ADDRESS = "resident@example.org"
WORDS = "Please keep Millbrook library open"
OTHER_WORDS = "A tram to the hospital"


def send(client, page, one=None, two=None, **extra):
    """Answer both sections and send the response with `extra` on check your answers."""
    base = page.url + "respond/"
    client.get(base)
    client.post(base + "section/1/", one or section_one())
    client.post(base + "section/2/", two or section_two())
    check = client.get(base + "check/")
    return client.post(base + "check/", {"token": check.context["token"], **extra})


def with_other_answer():
    q = ids()
    return {**section_one(choice="other"), field_name(q["choice"], "other"): OTHER_WORDS}


@pytest.fixture
def verified_resident(db):
    user = UserFactory(email=ADDRESS)
    EmailAddress.objects.create(user=user, email=ADDRESS, verified=True, primary=True)
    return user


def close(consultation):
    type(consultation).objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    consultation.refresh_from_db()
    return consultation


def link_in(message):
    return next(line for line in message.body.splitlines() if line.startswith("http"))


# Receipts --------------------------------------------------------------------------------------


def test_a_receipt_to_an_unchecked_address_carries_no_words_the_resident_wrote(
    client, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(
            client,
            consultation,
            one=with_other_answer(),
            two=section_two(comments=WORDS),
            receipt_email=ADDRESS,
        )
    body = mail.outbox[0].body
    assert WORDS not in body
    assert OTHER_WORDS not in body


def test_a_receipt_to_an_unchecked_address_gives_the_reference_title_and_questions_answered(
    client, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(client, consultation, receipt_email=ADDRESS)
    body = mail.outbox[0].body
    assert consultation.responses.get().reference in body
    assert consultation.title in body
    assert "- Anything else?" in body and "- Rank these services" in body


def test_a_signed_in_resident_gets_the_full_copy_at_their_verified_address(
    client, consultation, verified_resident, django_capture_on_commit_callbacks
):
    client.force_login(verified_resident)
    with django_capture_on_commit_callbacks(execute=True):
        send(client, consultation, two=section_two(comments=WORDS), receipt_email=ADDRESS.upper())
    assert WORDS in mail.outbox[0].body


def test_a_signed_in_resident_asking_for_another_address_gets_no_answers_there(
    client, consultation, verified_resident, django_capture_on_commit_callbacks
):
    client.force_login(verified_resident)
    with django_capture_on_commit_callbacks(execute=True):
        send(
            client, consultation, two=section_two(comments=WORDS), receipt_email="else@example.org"
        )
    assert WORDS not in mail.outbox[0].body


def test_check_answers_says_what_the_receipt_holds_and_its_limit(client, consultation):
    base = consultation.url + "respond/"
    client.get(base)
    client.post(base + "section/1/", section_one())
    client.post(base + "section/2/", section_two())
    html = client.get(base + "check/").content.decode()
    assert "but not your answers" in html
    assert "no more than 3 in an hour to any one address" in html


def test_receipts_to_one_address_stop_at_the_limit_whoever_asks(
    consultation, settings, django_capture_on_commit_callbacks
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "receipt_address": "2/h"}
    for number in (1, 2):
        with django_capture_on_commit_callbacks(execute=True):
            send(Client(REMOTE_ADDR=f"192.0.2.{number}"), consultation, receipt_email=ADDRESS)
    refused = send(Client(REMOTE_ADDR="192.0.2.3"), consultation, receipt_email=ADDRESS)
    assert refused.status_code == 429
    assert "cannot send more copies to this email address" in refused.content.decode()
    assert consultation.responses.count() == 2
    assert len(mail.outbox) == 2


def test_receipts_from_one_client_stop_at_the_limit_whatever_the_address(
    client, consultation, settings, django_capture_on_commit_callbacks
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "receipt": "2/h"}
    for number in (1, 2):
        with django_capture_on_commit_callbacks(execute=True):
            send(client, consultation, receipt_email=f"person{number}@example.org")
    refused = send(client, consultation, receipt_email="person3@example.org")
    assert refused.status_code == 429
    assert consultation.responses.count() == 2


# "Tell me about the outcome": double opt-in ----------------------------------------------------


def test_asking_to_hear_the_outcome_keeps_the_address_unconfirmed_and_emails_a_link(
    client, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(client, consultation, tell_me="yes", outcome_email=ADDRESS)
    assert OutcomeSubscription.objects.get().confirmed_at is None
    assert [message.to for message in mail.outbox] == [[ADDRESS]]
    assert "Confirm" in mail.outbox[0].subject


def test_the_confirmation_email_carries_no_words_the_resident_wrote(
    client, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(
            client,
            consultation,
            two=section_two(comments=WORDS),
            tell_me="yes",
            outcome_email=ADDRESS,
        )
    assert WORDS not in mail.outbox[0].body


def test_an_unconfirmed_address_is_not_told_the_outcome(
    client, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(client, consultation, tell_me="yes", outcome_email=ADDRESS)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        outcome(close(consultation))
    assert mail.outbox == []


def test_the_confirmation_link_is_on_the_public_address_and_opens_a_confirm_button(
    client, consultation, settings, django_capture_on_commit_callbacks
):
    settings.PUBLIC_BASE_URL = "https://consult.kingsmere.example"
    with django_capture_on_commit_callbacks(execute=True):
        send(client, consultation, tell_me="yes", outcome_email=ADDRESS)
    link = link_in(mail.outbox[0])
    assert link.startswith("https://consult.kingsmere.example/")
    page = Client().get(urlsplit(link).path)
    assert page.status_code == 200
    assert "Confirm you want to hear what we did" in page.content.decode()
    assert OutcomeSubscription.objects.get().confirmed_at is None  # opening it confirms nothing


def test_pressing_confirm_keeps_the_address_and_the_outcome_reaches_it(
    client, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(client, consultation, tell_me="yes", outcome_email=ADDRESS)
    confirmed = Client().post(urlsplit(link_in(mail.outbox[0])).path)
    assert confirmed.status_code == 200
    assert "Email address confirmed" in confirmed.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page = outcome(close(consultation))
    assert [message.to for message in mail.outbox] == [[ADDRESS]]
    assert page.get_full_url() in mail.outbox[0].body


def test_confirming_after_the_outcome_is_published_sends_it_at_once(
    client, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(client, consultation, tell_me="yes", outcome_email=ADDRESS)
    link = urlsplit(link_in(mail.outbox[0])).path
    with django_capture_on_commit_callbacks(execute=True):
        page = outcome(close(consultation))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(link)
    assert [message.to for message in mail.outbox] == [[ADDRESS]]
    assert page.get_full_url() in mail.outbox[0].body
    assert not OutcomeSubscription.objects.exists()


def test_a_tampered_confirmation_link_confirms_nothing(
    client, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(client, consultation, tell_me="yes", outcome_email=ADDRESS)
    path = urlsplit(link_in(mail.outbox[0])).path
    tampered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    response = Client().post(tampered)
    assert response.status_code == 404
    assert "This link has expired" in response.content.decode()
    assert OutcomeSubscription.objects.get().confirmed_at is None


def test_a_confirmation_link_stops_working_after_seven_days(
    client, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(client, consultation, tell_me="yes", outcome_email=ADDRESS)
    path = urlsplit(link_in(mail.outbox[0])).path
    eight_days_on = timezone.now().timestamp() + 8 * 24 * 60 * 60
    with mock.patch("django.core.signing.time.time", return_value=eight_days_on):
        response = Client().post(path)
    assert response.status_code == 404
    assert OutcomeSubscription.objects.get().confirmed_at is None


def test_unconfirmed_addresses_are_deleted_after_seven_days_and_confirmed_ones_kept(
    consultation,
):
    now = timezone.now()
    OutcomeSubscription.objects.create(consultation=consultation, email="waiting@example.org")
    OutcomeSubscription.objects.create(consultation=consultation, email=ADDRESS, confirmed_at=now)
    OutcomeSubscription.objects.create(consultation=consultation, email="new@example.org")
    OutcomeSubscription.objects.filter(email__in=["waiting@example.org", ADDRESS]).update(
        created_at=now - timedelta(days=8)
    )
    assert subscriptions.delete_expired_subscriptions(now) == 1
    assert sorted(OutcomeSubscription.objects.values_list("email", flat=True)) == [
        "new@example.org",
        ADDRESS,
    ]


def test_apply_retention_deletes_unconfirmed_addresses_after_seven_days(consultation):
    OutcomeSubscription.objects.create(consultation=consultation, email=ADDRESS)
    OutcomeSubscription.objects.update(created_at=timezone.now() - timedelta(days=8))
    call_command("apply_retention", stdout=StringIO())
    assert not OutcomeSubscription.objects.exists()


def test_a_signed_in_residents_own_verified_address_needs_no_confirmation(
    client, consultation, verified_resident, django_capture_on_commit_callbacks
):
    client.force_login(verified_resident)
    with django_capture_on_commit_callbacks(execute=True):
        send(client, consultation, tell_me="yes", outcome_email=ADDRESS)
    assert OutcomeSubscription.objects.get().confirmed_at is not None
    assert mail.outbox == []


def test_the_confirmation_page_tells_the_resident_to_open_the_link(client, consultation):
    sent = send(client, consultation, tell_me="yes", outcome_email=ADDRESS)
    html = client.get(sent.headers["Location"]).content.decode()
    assert "We have emailed you a link to confirm" in html


def test_confirmation_links_to_one_address_stop_at_the_limit_and_store_nothing(
    consultation, settings, django_capture_on_commit_callbacks
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "outcome_email_address": "2/h"}
    for number in (1, 2):
        with django_capture_on_commit_callbacks(execute=True):
            send(
                Client(REMOTE_ADDR=f"192.0.2.{number}"),
                consultation,
                tell_me="yes",
                outcome_email=ADDRESS,
            )
    refused = send(
        Client(REMOTE_ADDR="192.0.2.3"), consultation, tell_me="yes", outcome_email=ADDRESS
    )
    assert refused.status_code == 429
    assert 'href="#outcome_email"' in refused.content.decode()
    assert Response.objects.filter(consultation=consultation).count() == 2
    assert len(mail.outbox) == 2


def test_the_confirmation_page_does_not_say_whether_an_address_had_already_asked(
    client, consultation
):
    """Someone else's address, already confirmed: the page reads as for any new address, so it
    cannot tell a stranger that this person took part."""
    OutcomeSubscription.objects.create(
        consultation=consultation, email=ADDRESS, confirmed_at=timezone.now()
    )
    sent = send(client, consultation, tell_me="yes", outcome_email=ADDRESS)
    html = client.get(sent.headers["Location"]).content.decode()
    assert "We have emailed you a link to confirm" in html


def test_an_email_that_cannot_be_sent_does_not_lose_the_stored_response(client, consultation):
    before = Response.objects.count()
    with mock.patch.object(mail.EmailMessage, "send", side_effect=OSError("SMTP is down")):
        sent = send(
            client,
            consultation,
            receipt_email="someone@example.org",
            tell_me="yes",
            outcome_email=ADDRESS,
        )
    assert sent.status_code == 302
    assert client.get(sent.headers["Location"]).status_code == 200
    assert Response.objects.count() == before + 1
