"""'Tell me about the outcome': the one place a resident's address is kept, and only until used.

A resident who ticks the box when responding is subscribed (one row per consultation and
address). When the consultation's outcome is published each subscriber is emailed once and their
row deleted; a failed send keeps the row, so the next publish or a retry tries again. Rows nobody
used are deleted when the consultation's retention period ends (`manage.py apply_retention`).
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from consultations.models import ConsultationPage, OutcomePage, OutcomeSubscription
from consultations.retention import past_retention

logger = logging.getLogger(__name__)

EMAIL_MISSING_MESSAGE = "Enter your email address so we can tell you about the outcome"
EMAIL_FORMAT_MESSAGE = "Enter an email address in the correct format, like name@example.com"


def clean_outcome_email(ticked, raw):
    """(address, error) from the check-answers form: the address counts only when ticked."""
    if not ticked:
        return "", ""
    email = (raw or "").strip()
    if not email:
        return "", EMAIL_MISSING_MESSAGE
    try:
        validate_email(email)
    except ValidationError:
        return "", EMAIL_FORMAT_MESSAGE
    # One row per person: the same address typed in another case is the same subscriber.
    return email.lower(), ""


def subscribe(consultation, email):
    """Remember to tell `email` about `consultation`'s outcome; asking twice keeps one row."""
    subscription, _created = OutcomeSubscription.objects.get_or_create(
        consultation=consultation, email=email
    )
    return subscription


def _message(outcome, consultation, email, connection):
    context = {"outcome": outcome, "consultation": consultation, "url": outcome.get_full_url()}
    return EmailMessage(
        subject=f"What we did after “{consultation.title}”",
        body=render_to_string("consultations/email/outcome_published.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
        connection=connection,
    )


def notify_subscribers(outcome):
    """Email everyone waiting to hear about `outcome`'s consultation; forget each once told.

    Returns (sent, failed). Safe to repeat: a told resident has no row left to tell again.
    """
    consultation = outcome.get_parent().specific
    sent = failed = 0
    with get_connection() as connection:
        for subscription in consultation.outcome_subscriptions.order_by("pk"):
            try:
                _message(outcome, consultation, subscription.email, connection).send()
            except Exception:
                failed += 1
                logger.exception("Outcome email not sent to subscription %s", subscription.pk)
                continue
            subscription.delete()
            sent += 1
    return sent, failed


@task()
def notify_subscribers_task(outcome_id):
    """The emails run as a task, so a large consultation's list can go to a worker."""
    outcome = OutcomePage.objects.live().filter(pk=outcome_id).specific().first()
    if outcome is None:
        return [0, 0]
    return list(notify_subscribers(outcome))


def delete_expired_subscriptions(now=None):
    """Delete subscriptions of consultations whose retention period has ended. Returns how many."""
    now = now or timezone.now()
    with_subscriptions = ConsultationPage.objects.filter(
        Q(outcome_subscriptions__isnull=False)
    ).distinct()
    expired = [consultation.pk for consultation in past_retention(with_subscriptions, now)]
    deleted, _by_model = OutcomeSubscription.objects.filter(consultation_id__in=expired).delete()
    return deleted
