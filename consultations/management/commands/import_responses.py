"""Import paper, email or event responses from a spreadsheet, as the admin's import does: every
row checked first, nothing stored unless all are valid, references already imported skipped.

    manage.py import_responses parks-and-green-spaces-strategy responses.xlsx --channel paper
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.log_actions import log

from consultations.management.lookup import consultation_by_slug
from consultations.models import Channel, ConsultationPage
from consultations.spreadsheets.imports import IMPORT_CHANNELS, import_responses
from consultations.spreadsheets.log_actions import IMPORT_RESPONSES
from portal.spreadsheets import file_format_of

# Outside a web request there is no time limit, so larger batches than an upload may come in.
COMMAND_MAX_ROWS = 100_000


class Command(BaseCommand):
    help = "Import responses to a consultation from a .csv, .xlsx or .ods file like an export."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The consultation's slug, as in its web address.")
        parser.add_argument("file", help="The spreadsheet: .csv (UTF-8), .xlsx or .ods.")
        parser.add_argument(
            "--channel",
            choices=[channel.value for channel in IMPORT_CHANNELS],
            default=Channel.PAPER.value,
            help="How the responses came in, for rows whose Channel cell is empty (default paper).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and say what importing it would do, without storing anything.",
        )

    def handle(self, *args, slug, file, channel, dry_run, **options):
        consultation = consultation_by_slug(slug)
        path = Path(file)
        file_format = file_format_of(path.name)
        if file_format is None:
            raise CommandError(f"{path.name} is not a .csv, .xlsx or .ods file.")
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path} could not be read: {error.strerror}.") from error

        with transaction.atomic():
            if not dry_run:
                # One import per consultation at a time, as in the admin.
                ConsultationPage.objects.select_for_update().get(pk=consultation.pk)
            report = import_responses(
                consultation,
                content,
                file_format,
                channel=channel,
                dry_run=dry_run,
                max_rows=COMMAND_MAX_ROWS,
            )
            if report.has_errors:
                raise CommandError(problems(report))  # leaving the transaction undoes any work
            if report.new and not dry_run:
                log(
                    instance=consultation,
                    action=IMPORT_RESPONSES,
                    user=None,
                    data={
                        "new": report.new,
                        "skipped": report.skipped,
                        "channel": channel,
                        "file_name": path.name,
                        "format": file_format,
                        "source": "command line",
                    },
                )
        if dry_run:
            self.stdout.write(
                f"Checked: {report.new:,} response{plural(report.new)} would be imported "
                f"({report.skipped:,} already imported). Nothing was stored (dry run)."
            )
        else:
            self.stdout.write(
                f"Imported {report.new:,} response{plural(report.new)} "
                f"({report.skipped:,} already imported)"
            )


def plural(count):
    return "" if count == 1 else "s"


def problems(report):
    """Every problem, one a line, with the spreadsheet's row number and the column."""
    lines = list(report.file_errors)
    for row in report.rows:
        for heading, message in row.errors:
            where = f"Row {row.number}" + (f" ({row.reference})" if row.reference else "")
            lines.append(f"{where}, {heading or 'whole row'}: {message}")
    summary = f"Nothing was imported: the file has {len(lines)} problem{plural(len(lines))}."
    return "\n  ".join([summary, *lines])
