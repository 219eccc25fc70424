"""Page and user factories. Pages hang off the site's home page like real content does."""

from datetime import timedelta

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.utils import timezone

from consultations.models import ConsultationIndexPage, ConsultationPage
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


def consultation_questions(key="test"):
    """Two sections: a ranking and a single choice, then a free-text question and about you."""
    from demo import consultations as demo

    return [
        demo.section(
            f"{key}/one",
            "Priorities",
            "",
            [
                demo.question(
                    f"{key}/ranking",
                    "priority_ranking",
                    "Rank these services",
                    items=demo.items(
                        f"{key}/items", [("Libraries", ""), ("Parks", ""), ("Roads", "")]
                    ),
                    top_n=None,
                ),
                demo.question(
                    f"{key}/choice",
                    "single_choice",
                    "Pick one",
                    options=demo.items(f"{key}/options", [("Yes", ""), ("No", "")]),
                    allow_other=True,
                ),
            ],
        ),
        demo.section(
            f"{key}/two",
            "Comments",
            "",
            [
                demo.question(f"{key}/comments", "free_text", "Anything else?", max_length=50),
                demo.about_you(f"{key}/about"),
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
