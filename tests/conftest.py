import pytest
from django.core.management import call_command
from django.test import Client
from hypothesis import settings as hypothesis_settings
from wagtail.signal_handlers import disable_reference_index_auto_update

# Property tests check answers, not speed: on a busy CI machine a case can take longer than
# Hypothesis's default 200 ms deadline, which would fail a correct test. Speed targets are met in
# bench/ (docs/performance.md), never in unit tests.
hypothesis_settings.register_profile("portal", deadline=None)
hypothesis_settings.load_profile("portal")


def enrol_in_two_step_sign_in(user):
    """Give an account an authenticator, as every officer must have before the admin opens."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: rate-limit counts and used sign-in codes from one
    test must not refuse the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def officers_have_two_step_sign_in(request, monkeypatch):
    """Officers signed in by `client.force_login` have set up two-step sign-in, as real officers
    must (portal/staff_security.py). Tests of that requirement itself are marked
    `without_two_step_sign_in` and get the plain force_login."""
    if request.node.get_closest_marker("without_two_step_sign_in"):
        return
    from portal.staff_security import has_admin_access

    plain_force_login = Client.force_login

    def force_login(client, user, backend=None):
        if has_admin_access(user):
            enrol_in_two_step_sign_in(user)
        return plain_force_login(client, user, backend)

    monkeypatch.setattr(Client, "force_login", force_login)


def seed_demo_quickly():
    """`seed_demo` without Wagtail's reference index (its "usage" counts), which no test reads and
    which costs a quarter of the seeding time: most tests start from the demo council. After the
    first time in a process, the rows it wrote are copied back (tests/demo_snapshot.py)."""
    from tests.demo_snapshot import seed_demo_from_recording

    def seed():
        with disable_reference_index_auto_update():
            call_command("seed_demo", verbosity=0)

    seed_demo_from_recording(seed)


@pytest.fixture
def demo_site(db):
    """The demo council as `make run` loads it: home page, information pages, consultations."""
    seed_demo_quickly()
    from home.models import HomePage

    return HomePage.objects.get()
