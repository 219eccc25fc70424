"""'Tell me about the outcome': the one place a resident's address is kept, and only until used.

A resident who ticks the box when responding is subscribed (one row per consultation and
address), unconfirmed: the address is sent a link, and only once it is followed is the row kept
for the outcome (double opt-in, so nobody can sign someone else up). An address that is a signed-in
resident's own verified account address needs no link. Unconfirmed rows are deleted after
`CONFIRM_WITHIN`. When the consultation's outcome is published each confirmed subscriber is emailed
once and their row deleted; a failed send keeps the row, so the next publish or a retry tries
again. Rows nobody used are deleted when the consultation's retention period ends
(`manage.py apply_retention`).
"""

import logging
from base64 import urlsafe_b64decode, urlsafe_b64encode
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django_tasks import task

from consultations.models import ConsultationPage, OutcomePage, OutcomeSubscription
from consultations.retention import past_retention
from portal.email_links import page_url

logger = logging.getLogger(__name__)

EMAIL_MISSING_MESSAGE = "Enter your email address so we can tell you about the outcome"
EMAIL_FORMAT_MESSAGE = "Enter an email address in the correct format, like name@example.com"
# How long the confirmation link works; unconfirmed addresses are deleted after it.
CONFIRM_WITHIN = timedelta(days=7)
CONFIRM_SALT = "consultations.outcome-email-confirmation"


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


def subscribe(consultation, email, *, confirmed=False):
    """Remember to tell `email` about `consultation`'s outcome; asking twice keeps one row.

    `confirmed` when the address is already proven the resident's own. Returns the subscription
    and whether it still waits for its confirmation link.
    """
    now = timezone.now()
    subscription, created = OutcomeSubscription.objects.get_or_create(
        consultation=consultation,
        email=email,
        defaults={"confirmed_at": now if confirmed else None},
    )
    if subscription.confirmed_at is None and confirmed:
        subscription.confirmed_at = now
        subscription.save(update_fields=["confirmed_at"])
    elif subscription.confirmed_at is None and not created:
        # Asked again: the new link gets the full week before the address is forgotten.
        OutcomeSubscription.objects.filter(pk=subscription.pk).update(created_at=now)
    return subscription, subscription.confirmed_at is None


def _address_digest(email):
    return salted_hmac(CONFIRM_SALT, email.lower()).hexdigest()[:20]


def confirmation_key(subscription):
    """A signed, dated key naming the subscription; it holds no address, so a URL log holds none.

    Re-encoded in URL-safe base64: Wagtail serves only letters, digits, "-" and "_" in a path
    segment, and a signature has colons.
    """
    signed = signing.dumps(
        [subscription.pk, _address_digest(subscription.email)], salt=CONFIRM_SALT
    )
    return urlsafe_b64encode(signed.encode()).decode().rstrip("=")


def confirmation_url(consultation, subscription):
    """The link in the email, on the one configured public address of the site."""
    route = consultation.reverse_subpage(
        "confirm_outcome_email", args=[confirmation_key(subscription)]
    )
    return page_url(consultation, route)


def send_confirmation(consultation, subscription):
    """Ask the address's owner to confirm; the email says nothing a resident wrote."""
    context = {
        "consultation": consultation,
        "url": confirmation_url(consultation, subscription),
        "days": CONFIRM_WITHIN.days,
    }
    EmailMessage(
        subject=f"Confirm you want to hear what we did after “{consultation.title}”",
        body=render_to_string("consultations/email/outcome_confirm.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscription.email],
    ).send()


def subscription_for_key(consultation, key):
    """The subscription a confirmation key names, if the key is genuine, in date and for this
    consultation; None otherwise."""
    try:
        signed = urlsafe_b64decode(key + "=" * (-len(key) % 4)).decode()
        pk, digest = signing.loads(
            signed, salt=CONFIRM_SALT, max_age=CONFIRM_WITHIN.total_seconds()
        )
    except (signing.BadSignature, TypeError, ValueError):
        return None
    subscription = OutcomeSubscription.objects.filter(pk=pk, consultation=consultation).first()
    if subscription is None or not constant_time_compare(
        digest, _address_digest(subscription.email)
    ):
        return None
    return subscription


def confirm(subscription):
    """Keep the address for the outcome. If the outcome is already out, it is sent now."""
    if subscription.confirmed_at is not None:
        return
    subscription.confirmed_at = timezone.now()
    subscription.save(update_fields=["confirmed_at"])
    outcome = OutcomePage.objects.child_of(subscription.consultation).live().first()
    if outcome is not None:
        outcome_id = outcome.pk
        transaction.on_commit(lambda: notify_subscribers_task.enqueue(outcome_id))


def _message(outcome, consultation, email, connection):
    context = {"outcome": outcome, "consultation": consultation, "url": page_url(outcome)}
    return EmailMessage(
        subject=f"What we did after “{consultation.title}”",
        body=render_to_string("consultations/email/outcome_published.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
        connection=connection,
    )


def notify_subscribers(outcome):
    """Email everyone waiting to hear about `outcome`'s consultation; forget each once told.

    Returns (sent, failed). Safe to repeat: a told resident has no row left to tell again. An
    address never confirmed is not emailed.
    """
    consultation = outcome.get_parent().specific
    sent = failed = 0
    with get_connection() as connection:
        confirmed = consultation.outcome_subscriptions.filter(confirmed_at__isnull=False)
        for subscription in confirmed.order_by("pk"):
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
    """Delete subscriptions of consultations whose retention period has ended, and addresses
    never confirmed within `CONFIRM_WITHIN`. Returns how many."""
    now = now or timezone.now()
    with_subscriptions = ConsultationPage.objects.filter(
        Q(outcome_subscriptions__isnull=False)
    ).distinct()
    expired = [consultation.pk for consultation in past_retention(with_subscriptions, now)]
    deleted, _by_model = OutcomeSubscription.objects.filter(
        Q(consultation_id__in=expired)
        | Q(confirmed_at__isnull=True, created_at__lt=now - CONFIRM_WITHIN)
    ).delete()
    return deleted
