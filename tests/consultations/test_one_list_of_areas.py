"""Issue 15, point 10: the areas residents choose in "about you" and the areas consultations are
tagged with are one list, the Area snippets officers keep."""

import copy
import importlib

import pytest

from consultations.journey import questions_of
from consultations.models import Area, ConsultationPage
from consultations.question_types.about_you import ward_choices

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "consultations.migrations.0015_about_you_areas_are_the_councils_areas"
)

TYPED = [
    {
        "type": "section",
        "id": "s1",
        "value": {
            "title": "About you",
            "introduction": "",
            "questions": [
                {"type": "free_text", "id": "q0", "value": {"question": "Anything else?"}},
                {
                    "type": "about_you",
                    "id": "q1",
                    "value": {
                        "intro": "",
                        "wards": [
                            {"type": "item", "id": "w1", "value": {"label": "Abbey "}},
                            {"type": "item", "id": "w2", "value": {"label": "Westgate"}},
                        ],
                        "ask_postcode_district": True,
                        "ask_equality": True,
                    },
                },
            ],
        },
    }
]


def wards(raw):
    return [(item["id"], item["value"]) for item in migration.about_you_wards(raw)]


def test_typed_wards_become_areas_keeping_their_ids_and_back_again():
    raw = copy.deepcopy(TYPED)
    pks = {"Abbey": 1, "Westgate": 2}
    assert migration.wards_as_areas(raw, pks.__getitem__)
    assert wards(raw) == [("w1", 1), ("w2", 2)]
    assert not migration.wards_as_areas(raw, pks.__getitem__)  # already areas
    names = {1: "Abbey", 2: "Westgate"}
    assert migration.wards_as_labels(raw, names.__getitem__)
    assert wards(raw) == [
        ("w1", {"label": "Abbey", "description": ""}),
        ("w2", {"label": "Westgate", "description": ""}),
    ]


def test_every_demo_about_you_question_offers_the_areas_consultations_are_tagged_with(demo_site):
    areas = set(Area.objects.values_list("name", flat=True))
    assert areas
    asked = 0
    for page in ConsultationPage.objects.all():
        for question in questions_of(page).values():
            if question.type == "about_you":
                asked += 1
                assert {name for _id, name in ward_choices(question.value)} == areas
        assert set(page.areas.values_list("name", flat=True)) <= areas
    assert asked


def test_renaming_an_area_renames_it_in_about_you(demo_site):
    Area.objects.filter(name="Abbey").update(name="Abbey and Riverside")
    page = ConsultationPage.objects.get(slug="budget-2027-28")
    about = next(q for q in questions_of(page).values() if q.type == "about_you")
    names = [name for _id, name in ward_choices(about.value)]
    assert "Abbey and Riverside" in names and "Abbey" not in names
