from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from demo import council as home_demo


class Command(BaseCommand):
    help = (
        "Print the current two-step sign-in code of a demo officer (development only), in place "
        "of an authenticator app."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="a demo officer's email, e.g. editor@kingsmere.example")

    def handle(self, *args, email, **options):
        demo_emails = {officer[0] for officer in home_demo.DEMO_OFFICERS}
        if not settings.DEBUG:
            raise CommandError("Demo sign-in codes are only shown in development (DEBUG on).")
        if email not in demo_emails:
            raise CommandError(f"{email} is not a demo officer: use an authenticator app.")
        user = get_user_model().objects.filter(email=email).first()
        if user is None:
            raise CommandError("No such officer yet: run `manage.py seed_demo` first.")
        self.stdout.write(home_demo.current_sign_in_code(user))
