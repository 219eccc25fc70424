import pytest
from django.core.management import call_command
from wagtail.signal_handlers import disable_reference_index_auto_update


def seed_demo_quickly():
    """`seed_demo` without Wagtail's reference index (its "usage" counts), which no test reads and
    which costs a quarter of the seeding time: most tests start from the demo council."""
    with disable_reference_index_auto_update():
        call_command("seed_demo", verbosity=0)


@pytest.fixture
def demo_site(db):
    """The demo council as `make run` loads it: home page, information pages, consultations."""
    seed_demo_quickly()
    from home.models import HomePage

    return HomePage.objects.get()
