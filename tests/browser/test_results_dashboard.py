"""An analyst reads a closed demo consultation's results in the Wagtail admin, with JavaScript on
and off, breaks a question down by area and tags a comment with a theme."""

import re

import pytest

from consultations.models import Comment, CommentTheme, ConsultationPage, ModerationStatus
from tests.browser.conftest import sign_in_officer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PARKS = "parks-and-green-spaces-strategy"


def sign_in_as_analyst(page, next_url):
    sign_in_officer(page, "analyst@kingsmere.example", next_url)


def settled(page):
    """Wait for the admin's message to finish fading in, so axe sees its final colours."""
    page.wait_for_function(
        "document.getAnimations().every((animation) => !(animation instanceof CSSTransition)"
        " || animation.playState !== 'running')"
    )
    return page


def test_analyst_opens_results_from_the_menu_and_sees_charts_beside_tables(live_demo, browser_page):
    page = browser_page
    consultation = ConsultationPage.objects.get(slug=PARKS)
    sign_in_as_analyst(page, "/admin/")
    page.get_by_role("link", name="Results").first.click()
    page.wait_for_url(re.compile(r"/admin/consultation-results/$"))
    page.get_by_role("link", name=consultation.title).click()
    page.wait_for_url(re.compile(rf"/admin/consultation-results/{consultation.pk}/$"))

    charts = page.locator("[data-chart]")
    assert charts.count() > 5
    page.wait_for_function(
        "Array.from(document.querySelectorAll('[data-chart]'))"
        ".every((chart) => chart.querySelector('svg.main-svg'))"
    )
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.get_attribute("role") == "img"
        table = chart.locator("xpath=following::table[1]")
        # The daily counts' long table is behind a "details" the analyst can open.
        assert table.is_visible() or table.locator("xpath=ancestor::details").count() == 1
    assert page.get_by_role("heading", name="Schulze order").count() == 1
    settled(page).assert_accessible()
    assert page.locator("[data-chart] button, [data-chart] a[href]").count() == 0
    page.assert_no_console_errors()


def test_without_javascript_the_dashboard_is_tables_and_the_breakdown_form_works(
    live_demo, no_js_page
):
    consultation = ConsultationPage.objects.get(slug=PARKS)
    url = f"/admin/consultation-results/{consultation.pk}/"
    sign_in_as_analyst(no_js_page, url)

    assert no_js_page.locator("[data-chart] svg").count() == 0
    assert no_js_page.locator("table").count() > 5
    no_js_page.get_by_role("combobox", name="Question").select_option(
        label="Rank your top 3 improvements for our parks"
    )
    no_js_page.get_by_role("combobox", name="Break down by").select_option(
        label="What is your age?"
    )
    no_js_page.get_by_role("button", name="Show the breakdown").click()
    no_js_page.wait_for_url(re.compile(r"by=about_you%3Aage_band"))

    caption = no_js_page.get_by_role("heading", name=re.compile("by what is your age"))
    assert caption.count() == 1
    no_js_page.assert_accessible()


def test_analyst_tags_a_published_comment_with_a_new_theme(live_demo, browser_page):
    page = browser_page
    consultation = ConsultationPage.objects.get(slug=PARKS)
    comment = Comment.objects.filter(consultation=consultation).first()
    if comment is None:
        pytest.fail("The demo's closed consultations should have comments")
    comment.status, comment.public_text = ModerationStatus.APPROVED, "Public words"
    comment.save()
    url = f"/admin/consultation-results/{consultation.pk}/themes/"
    sign_in_as_analyst(page, url)

    page.get_by_label("Name").fill("Play areas")
    page.get_by_role("button", name="Add theme").click()
    page.get_by_role("link", name="Tag comments").click()
    section = page.locator(f"#comment-{comment.pk}")
    section.get_by_label("Play areas").check()
    section.get_by_role("button", name=re.compile("Save themes")).click()
    page.wait_for_url(re.compile(rf"#comment-{comment.pk}$"))

    assert CommentTheme.objects.filter(comment=comment, theme__name="Play areas").exists()
    assert page.locator(f"#comment-{comment.pk}").get_by_label("Play areas").is_checked()
    settled(page).assert_accessible()
