"""Export a consultation's responses to a spreadsheet, as the admin's export does, without a time
limit: for very large consultations, or for scheduled copies. Recorded in the audit log.

    manage.py export_responses parks-and-green-spaces-strategy --format xlsx --output parks.xlsx
"""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from consultations.management.lookup import consultation_by_slug
from consultations.spreadsheets.exports import ExportFilters, ResponsesExport
from consultations.spreadsheets.tasks import log_export
from portal.spreadsheets import FORMATS, file_format_of


class Command(BaseCommand):
    help = "Export a consultation's responses to a .csv, .xlsx or .ods file."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The consultation's slug, as in its web address.")
        parser.add_argument(
            "--format",
            dest="file_format",
            help="csv, xlsx or ods (default: from the output file's name).",
        )
        parser.add_argument("--output", required=True, help="The file to write.")
        parser.add_argument(
            "--personal-data",
            action="store_true",
            help=(
                "Include the account's verified email address, postcode districts, the 'About "
                "you' equality-monitoring answers (age, sex, disability, ethnic group) and "
                "original comments (before moderation)."
            ),
        )

    def handle(self, *args, slug, file_format, output, personal_data, **options):
        consultation = consultation_by_slug(slug)
        path = Path(output)
        file_format = (file_format or file_format_of(path.name) or "").lower()
        if file_format not in FORMATS:
            raise CommandError(
                f"Unknown format ‘{file_format}’: use --format csv, xlsx or ods."
                if file_format
                else "Say which format with --format csv, xlsx or ods."
            )
        if not path.parent.is_dir():
            raise CommandError(f"There is no folder {path.parent} to write {path.name} in.")

        filters = ExportFilters()
        export = ResponsesExport(consultation, filters, personal_data=personal_data)
        rows = export.count()
        # Written next to the output and renamed, so a failed export leaves no half-written file.
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".part", delete=False) as target:
            try:
                export.write(file_format, target)
            except BaseException:
                Path(target.name).unlink(missing_ok=True)
                raise
        os.replace(target.name, path)
        log_export(
            consultation, None, file_format, rows, personal_data, filters, source="command line"
        )
        personal = " with personal data" if personal_data else ""
        self.stdout.write(
            f"Exported {rows:,} response{'' if rows == 1 else 's'}{personal} to {path}"
        )
