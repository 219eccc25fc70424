"""The ranking script shows editors' item labels as text: markup in a label is never parsed."""

import pytest

from tests import builders
from tests.builders import ConsultationPageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

IMAGE_LABEL = '<img src=x onerror="document.body.dataset.injected = 1">'
BOLD_LABEL = "<b>Bold</b> libraries"


@pytest.fixture
def markup_consultation(live_demo):
    """An open consultation whose ranking items are labelled with HTML markup."""
    from wagtail.models import Page

    from consultations.models import ConsultationIndexPage

    questions = [
        builders.section(
            "markup/one",
            "Priorities",
            "",
            [
                builders.question(
                    "markup/ranking",
                    "priority_ranking",
                    "Rank these services",
                    items=builders.items(
                        "markup/items", [(IMAGE_LABEL, ""), (BOLD_LABEL, ""), ("Parks", "")]
                    ),
                    top_n=None,
                )
            ],
        )
    ]
    return ConsultationPageFactory(
        parent=ConsultationIndexPage.objects.get(),
        slug="markup-labels",
        privacy_notice=Page.objects.get(slug="privacy"),
        questions=questions,
    )


def test_markup_in_ranking_item_labels_is_shown_as_literal_text(markup_consultation, browser_page):
    page = browser_page
    page.goto(markup_consultation.url + "respond/section/1/")
    page.wait_for_selector(".portal-ranking--enhanced")

    ranking = page.locator("[data-module='portal-ranking']")
    assert ranking.locator("img").count() == 0
    assert ranking.locator("b").count() == 0
    labels = ranking.locator(".portal-ranking__label").all_text_contents()
    assert labels == [IMAGE_LABEL, BOLD_LABEL, "Parks"]
    move_down = ranking.locator("[data-move='down']").all_text_contents()
    assert move_down[:2] == [f"Move down: {IMAGE_LABEL}", f"Move down: {BOLD_LABEL}"]
    assert page.evaluate("document.body.dataset.injected") is None
