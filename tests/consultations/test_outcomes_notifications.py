"""'Tell me about the outcome': the opt-in when responding, the email on publishing, retention."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.utils import timezone

from consultations import retention
from consultations.models import OutcomePage, OutcomeSubscription, Response
from consultations.outcomes import subscriptions
from tests.consultations.conftest import respond, submit
from tests.consultations.test_outcomes import closed_consultation, outcome

pytestmark = pytest.mark.django_db

ADDRESS = "resident@example.org"


def check_url(page):
    return page.url + "respond/check/"


def close(consultation):
    """Close the consultation now (as time passing would), without touching its answers."""
    type(consultation).objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    consultation.refresh_from_db()
    return consultation


# Opting in on "check your answers" -------------------------------------------------------------


def test_check_answers_offers_to_email_the_outcome_with_the_privacy_promise(client, consultation):
    html = respond(client, consultation).content.decode()
    assert "Email me when the council publishes what it did" in html
    assert 'name="outcome_email"' in html
    assert "delete it once we have" in html
    # Without JavaScript the address box is simply there; GOV.UK Frontend hides it until ticked.
    assert 'data-aria-controls="conditional-tell_me"' in html


def test_ticking_the_box_stores_one_subscription_with_the_response(client, consultation):
    response, _token = submit(client, consultation, tell_me="yes", outcome_email=ADDRESS)
    assert response.status_code == 302
    assert Response.objects.filter(consultation=consultation).count() == 1
    subscription = OutcomeSubscription.objects.get()
    assert (subscription.consultation_id, subscription.email) == (consultation.pk, ADDRESS)


def test_an_address_typed_without_ticking_the_box_is_not_kept(client, consultation):
    response, _token = submit(client, consultation, outcome_email=ADDRESS)
    assert response.status_code == 302
    assert Response.objects.filter(consultation=consultation).count() == 1
    assert not OutcomeSubscription.objects.exists()


def test_ticking_the_box_without_an_address_shows_the_error_and_stores_nothing(
    client, consultation
):
    response, _token = submit(client, consultation, tell_me="yes", outcome_email="")
    html = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#outcome_email">Enter your email address' in html
    assert 'id="outcome_email-error"' in html
    assert "govuk-checkboxes__conditional--hidden" not in html  # the box stays open
    assert not Response.objects.filter(consultation=consultation).exists()
    assert not OutcomeSubscription.objects.exists()


def test_a_badly_formed_address_shows_the_error_and_stores_nothing(client, consultation):
    response, _token = submit(client, consultation, tell_me="yes", outcome_email="not-an-address")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter an email address in the correct format" in html
    assert 'value="not-an-address"' in html
    assert not Response.objects.filter(consultation=consultation).exists()
    assert not OutcomeSubscription.objects.exists()


def test_sending_the_same_form_twice_keeps_one_subscription(client, consultation):
    _first, token = submit(client, consultation, tell_me="yes", outcome_email=ADDRESS)
    again = client.post(
        check_url(consultation), {"token": token, "tell_me": "yes", "outcome_email": ADDRESS}
    )
    assert again.status_code == 302
    assert Response.objects.filter(consultation=consultation).count() == 1
    assert OutcomeSubscription.objects.count() == 1


def test_two_responses_from_one_address_make_one_subscription(client, consultation):
    submit(client, consultation, tell_me="yes", outcome_email=ADDRESS)
    submit(client, consultation, tell_me="yes", outcome_email="Resident@EXAMPLE.org")
    assert Response.objects.filter(consultation=consultation).count() == 2
    assert OutcomeSubscription.objects.count() == 1


# Emailing subscribers when the outcome is published ------------------------------------------


@pytest.fixture
def subscribed(client, consultation):
    """A consultation with two residents waiting to hear its outcome (their addresses confirmed,
    as by the link in the confirmation email), now closed."""
    submit(client, consultation, tell_me="yes", outcome_email=ADDRESS)
    submit(client, consultation, tell_me="yes", outcome_email="neighbour@example.org")
    OutcomeSubscription.objects.update(confirmed_at=timezone.now())
    mail.outbox.clear()  # the two confirmation emails: these tests count outcome emails only
    return close(consultation)


def test_publishing_the_outcome_emails_each_subscriber_once_with_the_link(
    subscribed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = outcome(subscribed)
    assert sorted(message.to[0] for message in mail.outbox) == ["neighbour@example.org", ADDRESS]
    message = mail.outbox[0]
    assert subscribed.title in message.subject
    assert page.get_full_url() in message.body
    assert "deleted your email address" in message.body


def test_subscriptions_are_deleted_once_the_email_is_sent(
    subscribed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outcome(subscribed)
    assert not OutcomeSubscription.objects.exists()


def test_publishing_the_outcome_again_sends_nothing(subscribed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = outcome(subscribed)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page.title = "Libraries: what we did (updated)"
        page.save_revision().publish()
    assert mail.outbox == []


def test_a_draft_outcome_sends_nothing(subscribed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outcome(subscribed, publish=False)
    assert mail.outbox == []
    assert OutcomeSubscription.objects.count() == 2


class RefusesNeighbourBackend(EmailBackend):
    """The local test backend, except that one address cannot be reached."""

    def send_messages(self, messages):
        if any("neighbour@example.org" in message.to for message in messages):
            raise ConnectionError("Mail server unavailable")
        return super().send_messages(messages)


def test_a_failed_email_keeps_that_subscription_for_another_try(
    subscribed, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusesNeighbourBackend"
    with django_capture_on_commit_callbacks(execute=True):
        page = outcome(subscribed)
    assert [message.to for message in mail.outbox] == [[ADDRESS]]
    assert list(OutcomeSubscription.objects.values_list("email", flat=True)) == [
        "neighbour@example.org"
    ]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert subscriptions.notify_subscribers(OutcomePage.objects.get(pk=page.pk)) == (1, 0)
    assert not OutcomeSubscription.objects.exists()


def test_subscribers_of_another_consultation_are_not_emailed(
    subscribed, django_capture_on_commit_callbacks
):
    other = closed_consultation(slug="another")
    OutcomeSubscription.objects.create(
        consultation=other, email="other@example.org", confirmed_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        outcome(subscribed)
    assert "other@example.org" not in [message.to[0] for message in mail.outbox]
    assert OutcomeSubscription.objects.filter(consultation=other).exists()


# Retention ------------------------------------------------------------------------------------


def test_subscriptions_are_deleted_when_the_retention_period_ends(demo_site):
    now = timezone.now()
    expired = closed_consultation(slug="expired", days_ago=400, retention_months=12)
    kept = closed_consultation(slug="kept", days_ago=40, retention_months=12)
    OutcomeSubscription.objects.create(consultation=expired, email=ADDRESS)
    OutcomeSubscription.objects.create(consultation=kept, email=ADDRESS)
    assert subscriptions.delete_expired_subscriptions(now) == 1
    assert list(OutcomeSubscription.objects.values_list("consultation", flat=True)) == [kept.pk]


def test_the_apply_retention_command_deletes_expired_subscriptions(demo_site):
    expired = closed_consultation(slug="expired", days_ago=100, retention_months=3)
    OutcomeSubscription.objects.create(consultation=expired, email=ADDRESS)
    output = StringIO()
    call_command("apply_retention", stdout=output)
    assert not OutcomeSubscription.objects.exists()
    assert "Deleted 1 outcome email subscription" in output.getvalue()


def test_retention_counts_calendar_months():
    closed = datetime(2026, 1, 31, 12, tzinfo=UTC)
    assert retention.add_months(closed, 1) == datetime(2026, 2, 28, 12, tzinfo=UTC)
    assert retention.add_months(closed, 13) == datetime(2027, 2, 28, 12, tzinfo=UTC)
    assert retention.add_months(closed, 12) == datetime(2027, 1, 31, 12, tzinfo=UTC)
