"""Remove personal data the council no longer needs. Once a consultation's retention period
(months after closing, set per consultation) has passed, outcome email addresses go and the
responses are anonymised (consultations/retention.py); background exports that stopped (their
worker died) are marked failed and their half-made files deleted; response exports older than a
day and uploaded spreadsheets (responses, service lines; portal/uploads.py) older than an hour are
deleted. Run it daily (cron or a scheduler); running it again does nothing more."""

from django.core.management.base import BaseCommand

from consultations.outcomes.subscriptions import delete_expired_subscriptions
from consultations.retention import anonymise_expired_responses
from consultations.spreadsheets.tasks import delete_old_exports, sweep_stopped_exports
from portal.uploads import delete_expired_uploads


class Command(BaseCommand):
    help = "Remove personal data kept past each consultation's retention period."

    def handle(self, *args, **options):
        deleted = delete_expired_subscriptions()
        self.stdout.write(f"Deleted {deleted} outcome email subscription(s) past retention.")
        done = anonymise_expired_responses()
        self.stdout.write(
            f"Anonymised {done.responses} response(s) past retention: "
            f"{done.postcodes} postcode district(s) removed, "
            f"{done.comments_cut_to_published} comment(s) kept as published only, "
            f"{done.rejected_words} rejected comment(s) emptied, "
            f"{done.unmoderated_deleted} unmoderated comment(s) deleted, "
            f"{done.drafts} unfinished response(s) deleted."
        )
        stopped, parts = sweep_stopped_exports()
        self.stdout.write(
            f"Marked {stopped} stopped response export(s) failed; "
            f"deleted {parts} half-made export file(s)."
        )
        files = delete_old_exports()
        self.stdout.write(f"Deleted {files} response export file(s) older than a day.")
        uploads = delete_expired_uploads()
        self.stdout.write(f"Deleted {uploads} uploaded spreadsheet(s) older than an hour.")
