from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo council (Kingsmere): its pages, consultations, responses, budget and officers,
    loaded by `seed_demo`. Nothing outside this app imports it; tests that are about the demo do."""

    name = "demo"
    verbose_name = "Demo council"
