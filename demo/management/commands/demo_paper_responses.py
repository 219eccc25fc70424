"""Write the demo's sample paper responses, dated to fit the demo as it was seeded.

The demo's consultations open and close relative to the day `seed_demo` ran, and an import
refuses a response dated before its consultation opened or in the future, so the committed sample
(demo/data/parks-paper-responses.csv) has its dates moved into the period here.
"""

from django.core.management.base import BaseCommand, CommandError

from consultations.models import ConsultationPage
from demo.consultations import PAPER_RESPONSES_CONSULTATION, paper_responses_sample


class Command(BaseCommand):
    help = "Write the demo's sample paper responses (CSV) for `import_responses` to try."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="The CSV file to write.")

    def handle(self, *args, output, **options):
        page = ConsultationPage.objects.filter(slug=PAPER_RESPONSES_CONSULTATION).first()
        if page is None:
            raise CommandError("The demo is not loaded: run `manage.py seed_demo` first.")
        with open(output, "wb") as target:
            target.write(paper_responses_sample(page))
        self.stdout.write(
            f"Wrote {output}. Import it with: manage.py import_responses "
            f"{PAPER_RESPONSES_CONSULTATION} {output}"
        )
