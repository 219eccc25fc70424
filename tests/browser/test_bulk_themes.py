"""An analyst tags several of the demo's comments with a theme at once, with JavaScript on (the
admin's "select all" ticks every box) and off (the plain form alone)."""

import pytest

from consultations.models import PUBLISHABLE, Comment, CommentTheme, ConsultationPage, Theme
from tests.browser.conftest import sign_in_officer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PARKS = "parks-and-green-spaces-strategy"


def comments_url(consultation):
    return f"/admin/consultation-results/{consultation.pk}/comments/"


def settled(page):
    """Wait for the admin's message to finish fading in, so axe sees its final colours."""
    page.wait_for_function(
        "document.getAnimations().every((animation) => !(animation instanceof CSSTransition)"
        " || animation.playState !== 'running')"
    )
    return page


def a_new_theme(consultation):
    return Theme.objects.create(consultation=consultation, name="Dog walking")


def test_analyst_ticks_three_comments_and_adds_a_theme_to_all_of_them(live_demo, browser_page):
    page = browser_page
    consultation = ConsultationPage.objects.get(slug=PARKS)
    theme = a_new_theme(consultation)
    sign_in_officer(page, "analyst@kingsmere.example", comments_url(consultation))
    settled(page).assert_accessible()

    page.get_by_label("Select all", exact=False).check()
    boxes = page.locator("input[name=comments]")
    assert boxes.count() > 3
    assert all(boxes.nth(n).is_checked() for n in range(boxes.count()))
    page.get_by_label("Select all", exact=False).uncheck()

    chosen = [int(boxes.nth(n).get_attribute("value")) for n in range(3)]
    for pk in chosen:
        page.get_by_label(f"Select comment {pk}", exact=True).check()
    page.locator("#bulk-theme").select_option(label="Dog walking")
    page.get_by_role("button", name="Add this theme to the selected comments").click()

    page.wait_for_load_state()
    assert page.get_by_text("Theme ‘Dog walking’ added to 3 comments.").is_visible()
    assert set(CommentTheme.objects.filter(theme=theme).values_list("comment", flat=True)) == set(
        chosen
    )
    settled(page).assert_accessible()
    page.assert_no_console_errors()


def test_without_javascript_select_all_tags_every_comment_on_the_page(live_demo, no_js_page):
    page = no_js_page
    consultation = ConsultationPage.objects.get(slug=PARKS)
    theme = a_new_theme(consultation)
    sign_in_officer(page, "analyst@kingsmere.example", comments_url(consultation))
    boxes = page.locator("input[name=comments]")
    listed = {int(boxes.nth(n).get_attribute("value")) for n in range(boxes.count())}
    assert listed

    page.get_by_label("Select all", exact=False).check()
    page.locator("#bulk-theme").select_option(label="Dog walking")
    page.get_by_role("button", name="Add this theme to the selected comments").click()

    page.wait_for_load_state()
    assert page.get_by_text(f"Theme ‘Dog walking’ added to {len(listed)} comments.").is_visible()
    tagged = set(CommentTheme.objects.filter(theme=theme).values_list("comment", flat=True))
    assert tagged == listed
    assert Comment.objects.filter(pk__in=tagged).exclude(status__in=PUBLISHABLE).count() == 0
    page.assert_accessible()
