import pytest
from django.core.management import call_command


@pytest.fixture
def demo_site(db):
    """The demo council as `make run` loads it: home page, information pages, consultations."""
    call_command("seed_demo", verbosity=0)
    from home.models import HomePage

    return HomePage.objects.get()
