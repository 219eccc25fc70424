"""The demo moderator works through the moderation queue in the Wagtail admin."""

import pytest

from consultations.models import Comment, ModerationStatus
from tests.browser.conftest import sign_in_officer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

QUEUE = "/admin/moderation/"


def sign_in_as_moderator(page, next_url):
    sign_in_officer(page, "moderator@kingsmere.example", next_url)


def test_moderator_selects_comments_and_rejects_them_together(live_demo, browser_page):
    page = browser_page
    sign_in_as_moderator(page, QUEUE)
    waiting = Comment.objects.filter(status=ModerationStatus.PENDING).count()
    assert waiting >= 2
    assert page.get_by_text(f"Moderation ({waiting})").is_visible()
    page.assert_accessible()

    page.get_by_label("Select every comment on this page").check()
    rows = page.locator("input[name=comments]")
    assert all(rows.nth(n).is_checked() for n in range(rows.count()))
    page.get_by_label("Select every comment on this page").uncheck()

    first, second = (int(rows.nth(n).get_attribute("value")) for n in (0, 1))
    page.get_by_label(f"Select comment {first}", exact=True).check()
    page.get_by_label(f"Select comment {second}", exact=True).check()
    page.get_by_label("Reason for rejecting").select_option("Spam or advertising")
    page.get_by_role("button", name="Reject", exact=True).click()

    page.wait_for_load_state()
    assert page.get_by_text("2 comments rejected (spam or advertising).").is_visible()
    assert set(Comment.objects.filter(pk__in=[first, second]).values_list("status", flat=True)) == {
        ModerationStatus.REJECTED
    }
    page.assert_no_console_errors()


def test_moderator_reads_a_flagged_comment_with_its_personal_data_highlighted(
    live_demo, browser_page
):
    comment = (
        Comment.objects.filter(status=ModerationStatus.PENDING, flagged_personal_data=True)
        .order_by("pk")
        .first()
    )
    if comment is None:  # the demo leaves its newest comments waiting; make one flagged
        comment = Comment.objects.filter(flagged_personal_data=True).order_by("pk").first()
        comment.status, comment.public_text = ModerationStatus.PENDING, ""
        comment.save()
    page = browser_page
    url = f"{QUEUE}{comment.pk}/"
    sign_in_as_moderator(page, url)
    marks = page.locator("main mark")
    assert marks.count() >= 1
    assert marks.first.is_visible()
    assert page.get_by_role("button", name="Approve as written").is_visible()
    assert page.get_by_label("Version residents may read").input_value() == comment.answer.text
    page.assert_accessible()

    page.get_by_role("button", name="Publish the suggested version").click()
    page.wait_for_load_state()
    comment.refresh_from_db()
    assert comment.status == ModerationStatus.REDACTED
    assert "[removed]" in comment.public_text
    page.assert_no_console_errors()
