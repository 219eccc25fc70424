"""Delete personal data the council no longer needs, once each consultation's retention period
(months after closing, set per consultation) has passed. Run it daily (cron or a scheduler)."""

from django.core.management.base import BaseCommand

from consultations.outcomes.subscriptions import delete_expired_subscriptions


class Command(BaseCommand):
    help = "Delete personal data kept past each consultation's retention period."

    def handle(self, *args, **options):
        deleted = delete_expired_subscriptions()
        self.stdout.write(f"Deleted {deleted} outcome email subscription(s) past retention.")
