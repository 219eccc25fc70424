"""Page and user factories. Pages hang off the site's home page like real content does."""

import factory
import wagtail_factories
from django.contrib.auth import get_user_model

from consultations.models import ConsultationIndexPage
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
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True
