from django.core.management.base import BaseCommand
from django.db import transaction

from demo import consultations as consultations_demo
from demo import council as home_demo


class Command(BaseCommand):
    help = "Load the demo council (pages, consultations, officers). Safe to run again."

    def handle(self, *args, **options):
        with transaction.atomic():
            home = home_demo.seed_site()
            home_demo.seed_officers()
            consultations_demo.seed(home)
        self.stdout.write(self.style.SUCCESS(f"Demo council ready: {home_demo.COUNCIL_NAME}"))
        self.stdout.write("Demo officer logins (development only) at http://127.0.0.1:8000/admin/:")
        for email, _first, _last, roles in home_demo.DEMO_OFFICERS:
            self.stdout.write(f"  {email:<28} {' + '.join(roles)}")
        self.stdout.write(f"  password for each: {home_demo.DEMO_PASSWORD}")
        self.stdout.write(
            "  two-step sign-in code: `.venv/bin/python manage.py demo_sign_in_code EMAIL` "
            "prints the code an authenticator app would show now"
        )
