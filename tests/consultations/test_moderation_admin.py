"""The moderation queue in the Wagtail admin: who gets in, what they see, and what they can do."""

import html
import re

import pytest
from django.contrib.auth.models import Group
from wagtail.models import ModelLogEntry, Page

from consultations.models import Answer, Comment, ModerationStatus, Response
from consultations.moderation import services
from consultations.moderation.comments import new_comment
from consultations.responses import new_reference
from portal import roles
from tests.builders import (
    ConsultationIndexPageFactory,
    ConsultationPageFactory,
    HomePageFactory,
    InformationPageFactory,
    UserFactory,
)
from tests.consultations.conftest import ids

pytestmark = pytest.mark.django_db

QUEUE = "/admin/moderation/"
PHONE_TEXT = "Ring me on 07700 900123 about the library"
OTHERS = [
    [roles.ANALYSTS],
    [roles.CONSULTATION_EDITORS],
    [roles.CONSULTATION_APPROVERS],
    [roles.PERSONAL_DATA_ACCESS],
]


def member_of(*group_names):
    user = UserFactory()
    user.groups.add(*Group.objects.filter(name__in=group_names))
    return user


def comment_url(comment):
    return f"{QUEUE}{comment.pk}/"


def text_of(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def site_pages(db):
    home = HomePageFactory(parent=Page.get_first_root_node())
    return {
        "index": ConsultationIndexPageFactory(parent=home),
        "privacy": InformationPageFactory(parent=home, title="Privacy notice"),
    }


@pytest.fixture
def make_page(site_pages):
    def make(title="Library opening hours", key="test"):
        from tests.builders import consultation_questions

        return ConsultationPageFactory(
            parent=site_pages["index"],
            title=title,
            privacy_notice=site_pages["privacy"],
            questions=consultation_questions(key),
        )

    return make


@pytest.fixture
def page(make_page):
    return make_page()


@pytest.fixture
def make_comment(page):
    def make(text="Keep the library open on Saturdays", status=None, consultation=None, **fields):
        consultation = consultation or page
        response = Response.objects.create(consultation=consultation, reference=new_reference())
        question_id = fields.pop("question_id", ids()["comments"])
        answer = Answer.objects.create(response=response, question_id=question_id, text=text)
        comment = new_comment(answer, consultation.pk, response.submitted_at)
        comment.status = status or ModerationStatus.PENDING
        for field, value in fields.items():
            setattr(comment, field, value)
        comment.save()
        return comment

    return make


@pytest.fixture
def moderator(client):
    user = member_of(roles.MODERATORS)
    client.force_login(user)
    return user


def status_of(comment):
    return Comment.objects.get(pk=comment.pk).status


def listed(response):
    """The comment ids on a queue page."""
    return {comment.pk for comment in response.context["object_list"]}


# Who gets in ----------------------------------------------------------------------------------


def test_moderators_open_the_queue_and_a_comment(client, moderator, make_comment):
    comment = make_comment()
    assert client.get(QUEUE).status_code == 200
    assert client.get(comment_url(comment)).status_code == 200


@pytest.mark.parametrize("groups", OTHERS)
def test_officers_who_are_not_moderators_are_refused(client, make_comment, groups):
    comment = make_comment(PHONE_TEXT)
    client.force_login(member_of(*groups))
    for url in (QUEUE, f"{QUEUE}results/", comment_url(comment)):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "07700" not in text_of(response)
    assert client.post(QUEUE, {"comments": [comment.pk], "action": "approve"}).status_code == 403
    assert client.post(comment_url(comment), {"action": "approve"}).status_code == 403
    assert status_of(comment) == ModerationStatus.PENDING


def test_signed_out_visitors_are_sent_to_sign_in(client, make_comment):
    comment = make_comment()
    for url in (QUEUE, comment_url(comment)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response.headers["Location"]
    client.post(QUEUE, {"comments": [comment.pk], "action": "approve"})
    assert status_of(comment) == ModerationStatus.PENDING


def test_the_menu_shows_moderators_how_many_comments_are_waiting(client, moderator, make_comment):
    make_comment()
    make_comment()
    make_comment(status=ModerationStatus.APPROVED)
    assert "Moderation (2)" in text_of(client.get("/admin/"))


@pytest.mark.parametrize("groups", OTHERS)
def test_the_menu_hides_moderation_from_other_officers(client, make_comment, groups):
    make_comment()
    client.force_login(member_of(*groups))
    assert "Moderation (" not in text_of(client.get("/admin/"))


def test_an_unknown_comment_is_not_found(client, moderator):
    assert client.get(f"{QUEUE}999999/").status_code == 404


# The queue --------------------------------------------------------------------------------


def test_the_queue_lists_only_waiting_comments_by_default(client, moderator, make_comment):
    waiting = make_comment()
    make_comment(status=ModerationStatus.APPROVED)
    make_comment(status=ModerationStatus.REJECTED, rejection_reason="spam")
    assert listed(client.get(QUEUE)) == {waiting.pk}


@pytest.mark.parametrize(
    ("status", "expected"),
    [("approved", {"approved"}), ("rejected", {"rejected"}), ("all", {"pending", "approved"})],
)
def test_the_queue_filters_by_status(client, moderator, make_comment, status, expected):
    make_comment()
    make_comment(status=ModerationStatus.APPROVED)
    if status == "rejected":
        make_comment(status=ModerationStatus.REJECTED, rejection_reason="spam")
    response = client.get(QUEUE, {"status": status})
    assert {comment.status for comment in response.context["object_list"]} == expected


@pytest.mark.parametrize(
    ("flag", "expected"),
    [
        ("personal_data", {"phone"}),
        ("abuse", {"abuse"}),
        ("any", {"phone", "abuse"}),
        ("none", {"clean"}),
        ("", {"phone", "abuse", "clean"}),
    ],
)
def test_the_queue_filters_by_flag(client, moderator, make_comment, flag, expected):
    made = {
        "phone": make_comment(PHONE_TEXT),
        "abuse": make_comment("The planners are idiots"),
        "clean": make_comment("Keep it open"),
    }
    response = client.get(QUEUE, {"flag": flag})
    assert listed(response) == {made[name].pk for name in expected}


def test_the_queue_filters_by_consultation_and_question(client, moderator, make_page, make_comment):
    other_page = make_page("Parks strategy", key="parks")
    here = make_comment()
    there = make_comment(consultation=other_page, question_id=ids("parks")["comments"])
    other_question = make_comment(question_id=ids()["choice"])
    assert listed(client.get(QUEUE, {"consultation": other_page.pk})) == {there.pk}
    assert listed(client.get(QUEUE, {"question": ids()["comments"]})) == {here.pk}
    assert listed(client.get(QUEUE, {"question": ids()["choice"]})) == {other_question.pk}


def test_the_question_filter_names_each_question_with_its_consultation(
    client, moderator, make_comment
):
    make_comment()
    choices = dict(client.get(QUEUE).context["filters"].form.fields["question"].choices)
    assert choices[ids()["comments"]] == "Library opening hours: Anything else?"
    assert choices[ids()["choice"]] == "Library opening hours: Pick one (Other, please specify)"


def test_a_tampered_filter_keeps_the_queue_to_waiting_comments(client, moderator, make_comment):
    waiting = make_comment()
    make_comment(status=ModerationStatus.REJECTED, rejection_reason="spam")
    response = client.get(QUEUE, {"consultation": "nonsense", "flag": "everything"})
    assert response.status_code == 200
    assert listed(response) == {waiting.pk}


def test_the_queue_is_paginated_oldest_first(client, moderator, make_comment):
    comments = [make_comment(f"Comment {n}") for n in range(51)]
    first = client.get(QUEUE)
    assert [c.pk for c in first.context["object_list"]] == [c.pk for c in comments[:50]]
    assert listed(client.get(QUEUE, {"p": 2})) == {comments[50].pk}


def test_the_queue_counts_what_is_waiting_per_consultation(
    client, moderator, make_page, make_comment
):
    parks = make_page("Parks strategy", key="parks")
    make_comment(PHONE_TEXT)
    make_comment()
    make_comment(consultation=parks)
    make_comment(consultation=parks, status=ModerationStatus.APPROVED)
    counts = {
        page.title: (page.waiting, page.flagged)
        for page in client.get(QUEUE).context["waiting_by_consultation"]
    }
    assert counts == {"Library opening hours": (2, 1), "Parks strategy": (1, 0)}


def test_the_filtered_results_fragment_answers_for_wagtails_filters(
    client, moderator, make_comment
):
    abusive = make_comment("The planners are idiots")
    make_comment()
    response = client.get(f"{QUEUE}results/", {"flag": "abuse"})
    assert response.status_code == 200
    assert listed(response) == {abusive.pk}
    assert "<html" not in response.content.decode()


# Many at once -----------------------------------------------------------------------------


def test_moderators_approve_the_selected_comments_together(client, moderator, make_comment):
    chosen = [make_comment("one"), make_comment("two")]
    left = make_comment("three")
    response = client.post(
        f"{QUEUE}?flag=none", {"comments": [c.pk for c in chosen], "action": "approve"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"{QUEUE}?flag=none"
    assert [status_of(c) for c in chosen] == [ModerationStatus.APPROVED] * 2
    assert status_of(left) == ModerationStatus.PENDING
    assert "2 comments approved." in text_of(client.get(response.headers["Location"]))


def test_moderators_reject_the_selected_comments_with_a_reason(client, moderator, make_comment):
    chosen = [make_comment("buy now"), make_comment("cheap deals")]
    client.post(QUEUE, {"comments": [c.pk for c in chosen], "action": "reject", "reason": "spam"})
    for comment in chosen:
        stored = Comment.objects.get(pk=comment.pk)
        assert (stored.status, stored.rejection_reason) == ("rejected", "spam")


def test_rejecting_together_without_a_reason_changes_nothing_and_says_why(
    client, moderator, make_comment
):
    comment = make_comment()
    response = client.post(QUEUE, {"comments": [comment.pk], "action": "reject", "reason": ""})
    assert response.status_code == 200
    page = text_of(response)
    assert "Choose why the selected comments are rejected." in page
    assert f'value="{comment.pk}" id="select-comment-{comment.pk}"' in page
    assert f'id="select-comment-{comment.pk}" data-w-bulk-target="item"' in page
    assert "checked" in page.split(f'id="select-comment-{comment.pk}"')[1].split(">")[0]
    assert status_of(comment) == ModerationStatus.PENDING


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"comments": ["999999"], "action": "approve"}, "No comment has the number 999999"),
        ({"comments": ["abc"], "action": "approve"}, "‘abc’ is not a comment number"),
        ({"action": "approve"}, "Select at least one comment."),
        ({"comments": ["KEEP"], "action": "publish"}, "Choose whether to approve or reject"),
        (
            {"comments": ["KEEP"], "action": "reject", "reason": "rude"},
            "Choose a reason for rejecting from the list.",
        ),
    ],
)
def test_a_tampered_bulk_decision_changes_nothing_and_says_why(
    client, moderator, make_comment, posted, message
):
    comment = make_comment()
    posted = {
        key: [comment.pk if value == "KEEP" else value for value in values]
        if isinstance(values, list)
        else values
        for key, values in posted.items()
    }
    if posted.get("comments") == ["999999"]:
        posted["comments"] = [comment.pk, 999999]
    response = client.post(QUEUE, posted)
    assert response.status_code == 200
    assert message in text_of(response)
    assert status_of(comment) == ModerationStatus.PENDING
    assert not ModelLogEntry.objects.exists()


def test_approving_together_a_comment_whose_original_is_hidden_changes_nothing(
    client, moderator, make_comment
):
    waiting = make_comment()
    rejected = make_comment(status=ModerationStatus.REJECTED, rejection_reason="spam")
    response = client.post(QUEUE, {"comments": [waiting.pk, rejected.pk], "action": "approve"})
    assert "personal data access" in text_of(response)
    assert status_of(waiting) == ModerationStatus.PENDING


@pytest.fixture
def selection(make_comment):
    """Twelve waiting comments, three of them flagged as possible personal data."""
    flagged = [
        make_comment("Ring me on 07700 900123 about the bins"),
        make_comment("My husband has dementia and needs the day centre"),
        make_comment("My NHS number is 943 476 5919"),
    ]
    clean = [make_comment(f"Keep branch {number} open on Saturdays") for number in range(9)]
    return flagged, clean


def test_approving_together_a_selection_with_flagged_comments_asks_first(
    client, moderator, selection
):
    flagged, clean = selection
    chosen = [comment.pk for comment in flagged + clean]
    response = client.post(f"{QUEUE}?flag=any", {"comments": chosen, "action": "approve"})
    assert response.status_code == 200
    assert (
        "3 of the 12 comments you selected are flagged as possible personal data: review "
        "them, or approve anyway."
        in " ".join(text_of(response).replace("<strong>", "").replace("</strong>", "").split())
    )
    assert {status_of(comment) for comment in flagged + clean} == {ModerationStatus.PENDING}
    assert not ModelLogEntry.objects.exists()


def test_the_confirmation_links_to_each_flagged_comment_to_review_it(client, moderator, selection):
    flagged, clean = selection
    chosen = [comment.pk for comment in flagged + clean]
    page = text_of(client.post(QUEUE, {"comments": chosen, "action": "approve"}))
    for comment in flagged:
        assert f'href="{comment_url(comment)}">Review comment {comment.pk}</a>' in page
    for comment in clean:
        assert f"Review comment {comment.pk}<" not in page


def posted_by(form_html):
    """What a confirmation form posts: its hidden inputs as a dict of lists."""
    posted = {}
    for name, value in re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form_html):
        posted.setdefault(name, []).append(value)
    return posted


def test_moderators_approve_flagged_comments_anyway_once_they_confirm(client, moderator, selection):
    flagged, clean = selection
    chosen = [comment.pk for comment in flagged + clean]
    page = text_of(client.post(f"{QUEUE}?flag=any", {"comments": chosen, "action": "approve"}))
    anyway = page.split('action="/admin/moderation/?flag=any"')[1].split("</form>")[0]
    assert "Approve all 12 anyway" in anyway
    response = client.post(f"{QUEUE}?flag=any", posted_by(anyway))
    assert response.status_code == 302
    assert response.headers["Location"] == f"{QUEUE}?flag=any"
    assert {status_of(comment) for comment in flagged + clean} == {ModerationStatus.APPROVED}


def test_the_confirmation_offers_to_approve_only_the_comments_not_flagged(
    client, moderator, selection
):
    flagged, clean = selection
    chosen = [comment.pk for comment in flagged + clean]
    page = text_of(client.post(QUEUE, {"comments": chosen, "action": "approve"}))
    only_clean = page.split("Approve all 12 anyway")[1].split("Approve only the 9 not flagged")[0]
    posted = {int(value) for value in re.findall(r'name="comments" value="(\d+)"', only_clean)}
    assert posted == {comment.pk for comment in clean}
    client.post(QUEUE, {"comments": sorted(posted), "action": "approve"})
    assert {status_of(comment) for comment in clean} == {ModerationStatus.APPROVED}
    assert {status_of(comment) for comment in flagged} == {ModerationStatus.PENDING}


def test_the_confirmation_says_when_a_flag_is_for_abusive_language(client, moderator, make_comment):
    abusive, clean = make_comment("The planners are idiots"), make_comment("More benches")
    response = client.post(QUEUE, {"comments": [abusive.pk, clean.pk], "action": "approve"})
    assert "1 of the 2 comments you selected is flagged as abusive language:" in text_of(
        response
    ).replace("<strong>", "")
    assert status_of(abusive) == ModerationStatus.PENDING


def test_flagged_comments_already_approved_are_not_counted_in_the_warning(
    client, moderator, make_comment
):
    approved = make_comment("Ring me on 07700 900123", status=ModerationStatus.APPROVED)
    waiting = make_comment("Email me at jane@example.com")
    response = client.post(QUEUE, {"comments": [approved.pk, waiting.pk], "action": "approve"})
    assert "1 of the 2 comments you selected is flagged as possible personal data:" in text_of(
        response
    ).replace("<strong>", "")
    assert status_of(waiting) == ModerationStatus.PENDING


# One comment ------------------------------------------------------------------------------


def test_a_comment_page_highlights_what_was_flagged(client, moderator, make_comment):
    comment = make_comment("Call 07700 900123 you idiots")
    page = text_of(client.get(comment_url(comment)))
    assert '<mark><span class="w-sr-only">[Phone number: </span>07700 900123' in page
    assert '<mark><span class="w-sr-only">[Abusive language: </span>idiots' in page


def test_the_redact_form_starts_from_the_original_and_suggests_a_version(
    client, moderator, make_comment
):
    comment = make_comment(PHONE_TEXT)
    response = client.get(comment_url(comment))
    assert response.context["redact_form"]["public_text"].value() == PHONE_TEXT
    assert "Ring me on [removed] about the library" in text_of(response)


def test_moderators_approve_a_comment_from_its_page(client, moderator, make_comment):
    comment = make_comment()
    response = client.post(comment_url(comment), {"action": "approve"})
    assert response.status_code == 302
    stored = Comment.objects.get(pk=comment.pk)
    assert (stored.status, stored.public_text) == ("approved", comment.answer.text)


def test_after_a_decision_the_moderator_goes_to_the_next_waiting_comment(
    client, moderator, make_comment
):
    comment, following = make_comment("first"), make_comment("second")
    response = client.post(comment_url(comment), {"action": "approve"})
    assert response.headers["Location"] == comment_url(following)
    response = client.post(comment_url(following), {"action": "approve"})
    assert response.headers["Location"] == QUEUE


def test_moderators_reject_a_comment_with_a_reason_from_its_page(client, moderator, make_comment):
    comment = make_comment()
    client.post(comment_url(comment), {"action": "reject", "reason": "off_topic"})
    stored = Comment.objects.get(pk=comment.pk)
    assert (stored.status, stored.rejection_reason) == ("rejected", "off_topic")


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"action": "reject", "reason": "rude"}, "Choose a reason for rejecting from the list."),
        ({"action": "reject"}, "Choose why this comment is rejected."),
        ({"action": "delete"}, "Choose to approve, reject or redact the comment."),
        ({}, "Choose to approve, reject or redact the comment."),
        ({"action": "redact", "public_text": ""}, "Enter the version residents may read."),
        ({"action": "redact", "public_text": PHONE_TEXT}, "approve it as written"),
        (
            {"action": "redact", "public_text": "Ring me on 07700 900124"},
            "still looks like it has personal data: ‘07700 900124’ (phone number)",
        ),
    ],
)
def test_a_refused_decision_changes_nothing_and_says_why(
    client, moderator, make_comment, posted, message
):
    comment = make_comment(PHONE_TEXT)
    response = client.post(comment_url(comment), posted)
    assert response.status_code == 200
    assert message in text_of(response)
    assert status_of(comment) == ModerationStatus.PENDING


def test_moderators_redact_a_comment_from_its_page(client, moderator, make_comment):
    comment = make_comment(PHONE_TEXT)
    client.post(
        comment_url(comment),
        {"action": "redact", "public_text": "Ring me on [removed] about the library"},
    )
    stored = Comment.objects.get(pk=comment.pk)
    assert stored.status == ModerationStatus.REDACTED
    assert stored.public_text == "Ring me on [removed] about the library"
    assert stored.answer.text == PHONE_TEXT


def test_moderators_can_publish_what_is_still_flagged_once_they_confirm_it(
    client, moderator, make_comment
):
    comment = make_comment("My name is Jane Smith. This is Great News")
    client.post(
        comment_url(comment),
        {"action": "redact", "public_text": "This is Great News", "despite_flags": "on"},
    )
    assert status_of(comment) == ModerationStatus.REDACTED


def test_a_comment_page_shows_its_history_with_who_and_what(client, moderator, make_comment):
    comment = make_comment()
    client.post(comment_url(comment), {"action": "reject", "reason": "spam"})
    page = text_of(client.get(comment_url(comment)))
    assert "Rejected the comment: Spam or advertising" in page
    assert moderator.get_username() in page


def test_the_site_history_report_lists_decisions_linked_to_the_comment(client, make_comment):
    comment = make_comment()
    client.force_login(member_of(roles.MODERATORS))
    client.post(comment_url(comment), {"action": "approve"})
    client.force_login(UserFactory(is_superuser=True))
    page = text_of(client.get("/admin/reports/site-history/"))
    assert "Approve comment" in page
    assert f'href="{comment_url(comment)}"' in page


# Who sees the original --------------------------------------------------------------------


@pytest.mark.parametrize(
    "decided",
    [
        {"status": ModerationStatus.REJECTED, "rejection_reason": "personal_data"},
        {"status": ModerationStatus.REDACTED, "public_text": "Ring me on [removed]"},
    ],
)
def test_once_decided_the_original_is_hidden_from_moderators_without_personal_data_access(
    client, moderator, make_comment, decided
):
    comment = make_comment(PHONE_TEXT, **decided)
    for response in (
        client.get(comment_url(comment)),
        client.get(QUEUE, {"status": "all"}),
    ):
        page = text_of(response)
        assert "07700" not in page
    assert "Original hidden" in text_of(client.get(comment_url(comment)))


def test_the_published_version_of_a_redacted_comment_is_shown_to_every_moderator(
    client, moderator, make_comment
):
    comment = make_comment(
        PHONE_TEXT, status=ModerationStatus.REDACTED, public_text="Ring me on [removed]"
    )
    response = client.get(comment_url(comment))
    assert "Ring me on [removed]" in text_of(response)
    assert response.context["redact_form"]["public_text"].value() == "Ring me on [removed]"


def test_a_hidden_rejected_comment_offers_no_approve_or_redact(client, moderator, make_comment):
    comment = make_comment(PHONE_TEXT, status=ModerationStatus.REJECTED, rejection_reason="spam")
    page = text_of(client.get(comment_url(comment)))
    assert 'value="approve"' not in page
    assert 'value="redact"' not in page
    response = client.post(comment_url(comment), {"action": "approve"})
    assert response.status_code == 403
    assert status_of(comment) == ModerationStatus.REJECTED


@pytest.mark.parametrize(
    "decided",
    [
        {"status": ModerationStatus.REJECTED, "rejection_reason": "personal_data"},
        {"status": ModerationStatus.REDACTED, "public_text": "Ring me on [removed]"},
    ],
)
def test_moderators_with_personal_data_access_see_the_original(client, make_comment, decided):
    comment = make_comment(PHONE_TEXT, **decided)
    client.force_login(member_of(roles.MODERATORS, roles.PERSONAL_DATA_ACCESS))
    assert "07700 900123" in text_of(client.get(comment_url(comment)))
    assert "07700 900123" in text_of(client.get(QUEUE, {"status": "all"}))


def test_waiting_comments_show_moderators_the_original_to_decide_on(
    client, moderator, make_comment
):
    make_comment(PHONE_TEXT)
    assert "07700 900123" in text_of(client.get(QUEUE))


# Guessing a hidden original -----------------------------------------------------------------

SATURDAYS = "Keep the library open on Saturdays, Jo Bloggs said"
SATURDAYS_PUBLISHED = "Keep the library open on Saturdays, [removed] said"


def redacted_comment(make_comment):
    return make_comment(
        SATURDAYS, status=ModerationStatus.REDACTED, public_text=SATURDAYS_PUBLISHED
    )


def refusals(comment):
    return ModelLogEntry.objects.filter(
        content_type__model="comment",
        object_id=str(comment.pk),
        action=services.REDACT_REFUSED,
    )


@pytest.mark.parametrize("guess", [SATURDAYS, "Keep the library open on Sundays, Jo said"])
def test_a_guess_at_a_hidden_original_gets_the_answer_any_edit_gets(
    client, moderator, make_comment, guess
):
    """Right or wrong, the guess is published like any edit: nothing says it matched."""
    comment = redacted_comment(make_comment)
    response = client.post(comment_url(comment), {"action": "redact", "public_text": guess})
    assert response.status_code == 302
    assert Comment.objects.get(pk=comment.pk).public_text == guess
    assert not refusals(comment).exists()


def test_a_redaction_is_unchanged_only_against_the_published_version_when_the_original_is_hidden(
    client, moderator, make_comment
):
    comment = redacted_comment(make_comment)
    response = client.post(
        comment_url(comment), {"action": "redact", "public_text": SATURDAYS_PUBLISHED}
    )
    page = text_of(response)
    assert "This is the version already published" in page
    assert "as the resident wrote it" not in page
    assert Comment.objects.get(pk=comment.pk).public_text == SATURDAYS_PUBLISHED


def test_a_refused_edit_of_a_hidden_original_is_in_the_audit_log_without_the_words(
    client, moderator, make_comment
):
    comment = redacted_comment(make_comment)
    client.post(comment_url(comment), {"action": "redact", "public_text": SATURDAYS_PUBLISHED})
    entry = refusals(comment).get()
    assert entry.user == moderator
    assert entry.data["refused"] == "unchanged"
    assert "Saturdays" not in str(entry.data)
    history = text_of(client.get(comment_url(comment)))
    assert "A redaction by a moderator without personal data access was refused" in history


def test_an_attempt_to_redact_a_hidden_rejected_comment_is_refused_and_logged(
    client, moderator, make_comment
):
    comment = make_comment(SATURDAYS, status=ModerationStatus.REJECTED, rejection_reason="spam")
    response = client.post(comment_url(comment), {"action": "redact", "public_text": SATURDAYS})
    assert response.status_code == 403
    assert refusals(comment).get().data["refused"] == "permission"


def test_publishing_exactly_the_hidden_original_is_noted_in_the_server_log_only(
    client, moderator, make_comment, caplog
):
    comment = redacted_comment(make_comment)
    with caplog.at_level("WARNING", logger="consultations.moderation.services"):
        client.post(comment_url(comment), {"action": "redact", "public_text": SATURDAYS})
    (record,) = [r for r in caplog.records if r.name == "consultations.moderation.services"]
    assert "identical to the hidden original" in record.getMessage()
    assert "Saturdays" not in record.getMessage()


def test_moderators_who_may_read_the_original_are_still_told_it_is_unchanged(client, make_comment):
    comment = redacted_comment(make_comment)
    client.force_login(member_of(roles.MODERATORS, roles.PERSONAL_DATA_ACCESS))
    response = client.post(comment_url(comment), {"action": "redact", "public_text": SATURDAYS})
    assert "as the resident wrote it" in text_of(response)
    assert not refusals(comment).exists()
