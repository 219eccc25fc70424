"""What tests build their data from: page and user factories (pages hang off the site's home
page like real content does) and consultations' questions as StreamField data
(`consultations/stream_data.py`), so a test needs the demo council only when it is about it."""

from datetime import timedelta

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from consultations.models import Area, ConsultationIndexPage, ConsultationPage
from consultations.stream_data import about_you as about_you_offering
from consultations.stream_data import (
    items,
    question,
    section,
    stable_id,  # noqa: F401 (tests name questions' ids with it)
)
from home.models import HomePage, InformationPage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Have your say"
    intro = "Tell us what matters to you."

    class Meta:
        model = HomePage


class InformationPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Information {n}")
    body = "<p>Some information.</p>"

    class Meta:
        model = InformationPage


class ConsultationIndexPageFactory(wagtail_factories.PageFactory):
    title = "Consultations"
    slug = "consultations"
    intro = "Find a consultation."

    class Meta:
        model = ConsultationIndexPage


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"resident{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct-horse-battery")

    class Meta:
        model = get_user_model()


# Six areas, in the order an "about you" question lists them (tests name them in their answers).
AREAS = ["Abbey", "Castlefield", "Eastmoor", "Kingsmere Central", "Millbrook", "Westgate"]


def areas(names=AREAS):
    """The council's areas for a test, by name (the Area snippets "about you" offers)."""
    return {
        name: Area.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0]
        for name in names
    }


def about_you(key, names=AREAS):
    """An "about you" question offering the test areas, every part asked."""
    return about_you_offering(key, areas(names))


def consultation_questions(key="test"):
    """Two sections: a ranking and a single choice, then a free-text question and about you."""
    return [
        section(
            f"{key}/one",
            "Priorities",
            "",
            [
                question(
                    f"{key}/ranking",
                    "priority_ranking",
                    "Rank these services",
                    items=items(f"{key}/items", [("Libraries", ""), ("Parks", ""), ("Roads", "")]),
                    top_n=None,
                ),
                question(
                    f"{key}/choice",
                    "single_choice",
                    "Pick one",
                    options=items(f"{key}/options", [("Yes", ""), ("No", "")]),
                    allow_other=True,
                ),
            ],
        ),
        section(
            f"{key}/two",
            "Comments",
            "",
            [
                question(f"{key}/comments", "free_text", "Anything else?", max_length=50),
                about_you(f"{key}/about"),
            ],
        ),
    ]


class ConsultationPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Consultation {n}")
    summary = "What we are deciding."
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    questions = factory.LazyFunction(consultation_questions)

    class Meta:
        model = ConsultationPage
