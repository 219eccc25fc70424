import pytest
from django.utils.datastructures import MultiValueDict

from consultations import journey
from consultations.question_types.base import field_name
from tests import builders
from tests.builders import ConsultationPageFactory


@pytest.fixture
def consultation(demo_site):
    """An open consultation under the demo council's index, with the test questions."""
    from wagtail.models import Page

    from consultations.models import ConsultationIndexPage

    index = ConsultationIndexPage.objects.get()
    privacy = Page.objects.get(slug="privacy")
    return ConsultationPageFactory(parent=index, slug="test-consultation", privacy_notice=privacy)


def ids(key="test"):
    """The ids the test questions were built with (see tests.builders.consultation_questions)."""
    return {
        "ranking": builders.stable_id(f"{key}/ranking"),
        "libraries": builders.stable_id(f"{key}/items", "Libraries"),
        "parks": builders.stable_id(f"{key}/items", "Parks"),
        "roads": builders.stable_id(f"{key}/items", "Roads"),
        "choice": builders.stable_id(f"{key}/choice"),
        "yes": builders.stable_id(f"{key}/options", "Yes"),
        "comments": builders.stable_id(f"{key}/comments"),
        "about": builders.stable_id(f"{key}/about"),
    }


def section_one(ranking=("1", "2", "3"), choice=None):
    q = ids()
    data = {
        field_name(q["ranking"], q["libraries"]): ranking[0],
        field_name(q["ranking"], q["parks"]): ranking[1],
        field_name(q["ranking"], q["roads"]): ranking[2],
        field_name(q["choice"]): choice or q["yes"],
    }
    return data


def section_two(comments="Keep the libraries open"):
    return {
        field_name(ids()["comments"]): comments,
        field_name(ids()["about"], "age_band"): "35_44",
    }


def respond(client, page, one=None, two=None):
    """Answer both sections and open 'check your answers'. Returns the check page response."""
    base = page.url + "respond/"
    client.get(base)
    client.post(base + "section/1/", one or section_one())
    client.post(base + "section/2/", two or section_two())
    return client.get(base + "check/")


def submit(client, page, **extra):
    check = respond(client, page)
    token = check.context["token"]
    return client.post(page.url + "respond/check/", {"token": token, **extra}), token


@pytest.fixture
def clean_answers():
    def clean(page, data):
        answers = {}
        for section in journey.sections_of(page):
            cleaned, errors = journey.clean_section(
                section, MultiValueDict({k: [v] for k, v in data.items()})
            )
            assert errors == {}
            answers.update(cleaned)
        return answers

    return clean
