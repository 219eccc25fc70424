"""Moderation decisions (consultations/moderation/services.py) and comments queued at submission."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry, Page

from consultations.models import Answer, Comment, ModerationStatus, RejectionReason, Response
from consultations.moderation import log_actions, services
from consultations.moderation.comments import new_comment
from consultations.question_types.base import field_name
from consultations.responses import new_reference
from portal import roles
from tests.builders import (
    ConsultationIndexPageFactory,
    ConsultationPageFactory,
    HomePageFactory,
    InformationPageFactory,
    UserFactory,
)
from tests.consultations.conftest import ids, respond, section_one, section_two

pytestmark = pytest.mark.django_db

FLAGGED_TEXT = "Ring me on 07700 900123 about the library"


def member_of(*group_names):
    user = UserFactory()
    user.groups.add(*Group.objects.filter(name__in=group_names))
    return user


@pytest.fixture
def page(db):
    home = HomePageFactory(parent=Page.get_first_root_node())
    index = ConsultationIndexPageFactory(parent=home)
    privacy = InformationPageFactory(parent=home, title="Privacy notice")
    return ConsultationPageFactory(
        parent=index, title="Library opening hours", privacy_notice=privacy
    )


@pytest.fixture
def make_comment(page):
    def make(text="Keep the library open on Saturdays", status=None, **decision):
        response = Response.objects.create(consultation=page, reference=new_reference())
        answer = Answer.objects.create(response=response, question_id=ids()["comments"], text=text)
        comment = new_comment(answer, page.pk, response.submitted_at)
        if status:
            comment.status = status
            for field, value in decision.items():
                setattr(comment, field, value)
        comment.save()
        return comment

    return make


@pytest.fixture
def moderator():
    return member_of(roles.MODERATORS)


@pytest.fixture
def moderator_with_personal_data():
    return member_of(roles.MODERATORS, roles.PERSONAL_DATA_ACCESS)


def stored(comment):
    return Comment.objects.select_related("answer").get(pk=comment.pk)


def logs(comment):
    return list(ModelLogEntry.objects.for_instance(comment).order_by("timestamp", "pk"))


# One comment ----------------------------------------------------------------------------------


def test_approving_publishes_the_comment_as_written(make_comment, moderator):
    comment = make_comment()
    services.approve(comment, moderator)
    comment = stored(comment)
    assert comment.status == ModerationStatus.APPROVED
    assert comment.public_text == "Keep the library open on Saturdays"
    assert comment.moderated_by == moderator
    assert comment.moderated_at is not None


def test_rejecting_records_the_reason_and_publishes_nothing(make_comment, moderator):
    comment = make_comment("Whoever wrote this is a moron")
    services.reject(comment, moderator, RejectionReason.ABUSIVE)
    comment = stored(comment)
    assert comment.status == ModerationStatus.REJECTED
    assert comment.rejection_reason == RejectionReason.ABUSIVE
    assert comment.public_text == ""


@pytest.mark.parametrize("reason", ["", "rude", None, "ABUSIVE"])
def test_rejecting_refuses_a_reason_not_on_the_list(make_comment, moderator, reason):
    comment = make_comment()
    with pytest.raises(ValidationError, match="reason"):
        services.reject(comment, moderator, reason)
    assert stored(comment).status == ModerationStatus.PENDING
    assert logs(comment) == []


def test_redacting_publishes_the_edit_and_leaves_the_answer_untouched(make_comment, moderator):
    comment = make_comment(FLAGGED_TEXT)
    services.redact(comment, moderator, "Ring me on [removed] about the library")
    comment = stored(comment)
    assert comment.status == ModerationStatus.REDACTED
    assert comment.public_text == "Ring me on [removed] about the library"
    assert comment.answer.text == FLAGGED_TEXT
    assert comment.moderated_by == moderator


@pytest.mark.parametrize("edit", ["", "   \n "])
def test_a_redaction_cannot_be_empty(make_comment, moderator, edit):
    comment = make_comment(FLAGGED_TEXT)
    with pytest.raises(ValidationError, match="reject the comment"):
        services.redact(comment, moderator, edit)
    assert stored(comment).status == ModerationStatus.PENDING


def test_a_redaction_must_change_the_comment(make_comment, moderator):
    comment = make_comment(FLAGGED_TEXT)
    with pytest.raises(ValidationError, match="approve it as written"):
        services.redact(comment, moderator, f"  {FLAGGED_TEXT}\n")
    assert stored(comment).status == ModerationStatus.PENDING


def test_a_redaction_still_holding_personal_data_is_refused(make_comment, moderator):
    comment = make_comment(FLAGGED_TEXT)
    with pytest.raises(ValidationError, match="07700 900124.*phone number"):
        services.redact(comment, moderator, "Ring me on 07700 900124 about the library")
    assert stored(comment).status == ModerationStatus.PENDING
    assert logs(comment) == []


def test_a_moderator_can_confirm_what_is_still_flagged_is_not_personal_data(
    make_comment, moderator
):
    comment = make_comment("My name is Jane Smith. This is Great News for the library")
    services.redact(comment, moderator, "This is Great News for the library", despite_flags=True)
    assert stored(comment).public_text == "This is Great News for the library"
    assert logs(comment)[-1].data["flags_kept"] == ["name"]


def test_the_suggested_redaction_removes_likely_personal_data_only():
    text = "I live at 14 Mill Lane, KM2 3AB. Email jane@example.com, you idiots."
    assert services.suggested_redaction(text) == (
        "I live at [removed], [removed]. Email [removed], you idiots."
    )


def test_the_suggested_redaction_of_a_clean_comment_is_the_comment():
    assert services.suggested_redaction("Keep it open") == "Keep it open"


# The audit log -----------------------------------------------------------------------------


def test_each_decision_goes_into_the_audit_log_with_who_and_what(make_comment, moderator):
    comment = make_comment()
    services.reject(comment, moderator, RejectionReason.OFF_TOPIC)
    (entry,) = logs(comment)
    assert entry.action == log_actions.REJECT
    assert entry.user == moderator
    assert entry.timestamp is not None
    assert entry.data["reason"] == "off_topic"
    assert entry.data["status"] == "rejected"
    assert entry.data["previous_status"] == "pending"
    assert entry.message == "Rejected the comment: Not about this consultation"


def test_the_audit_log_never_holds_the_residents_words(make_comment, moderator):
    comment = make_comment(FLAGGED_TEXT)
    services.redact(comment, moderator, "Ring me on [removed] about the library")
    services.approve(make_comment(FLAGGED_TEXT), member_of(roles.MODERATORS))
    for entry in ModelLogEntry.objects.all():
        recorded = f"{entry.label} {entry.data} {entry.message}"
        assert "07700" not in recorded
        assert "Ring me" not in recorded


def test_moderation_actions_have_readable_labels_in_the_audit_log():
    assert log_registry.get_action_label(log_actions.APPROVE) == "Approve comment"
    assert log_registry.get_action_label(log_actions.REJECT) == "Reject comment"
    assert log_registry.get_action_label(log_actions.REDACT) == "Redact comment"
    actions = dict(log_registry.get_choices())
    assert actions[log_actions.REDACT] == "Redact comment"


def test_changing_a_decision_is_allowed_and_logged(make_comment, moderator):
    comment = make_comment()
    services.approve(comment, moderator)
    services.reject(comment, moderator, RejectionReason.DUPLICATE)
    comment = stored(comment)
    assert comment.status == ModerationStatus.REJECTED
    assert comment.public_text == ""
    first, second = logs(comment)
    assert (first.action, second.action) == (log_actions.APPROVE, log_actions.REJECT)
    assert second.data["previous_status"] == "approved"
    assert "(was ‘Approved’)" in second.message


def test_approving_a_rejected_comment_clears_its_reason(make_comment, moderator_with_personal_data):
    comment = make_comment(status=ModerationStatus.REJECTED, rejection_reason="spam")
    services.approve(comment, moderator_with_personal_data)
    comment = stored(comment)
    assert comment.status == ModerationStatus.APPROVED
    assert comment.rejection_reason == ""


def test_deciding_the_same_thing_again_changes_and_logs_nothing(make_comment, moderator):
    comment = make_comment()
    services.approve(comment, moderator)
    moderated_at = stored(comment).moderated_at
    services.approve(comment, member_of(roles.MODERATORS))
    assert stored(comment).moderated_at == moderated_at
    assert stored(comment).moderated_by == moderator
    assert len(logs(comment)) == 1


# Who may decide --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "groups",
    [
        [roles.ANALYSTS],
        [roles.CONSULTATION_EDITORS],
        [roles.CONSULTATION_APPROVERS],
        [roles.PERSONAL_DATA_ACCESS],
        [],
    ],
)
def test_officers_who_are_not_moderators_cannot_decide(make_comment, groups):
    comment = make_comment(FLAGGED_TEXT)
    officer = member_of(*groups)
    attempts = [
        lambda: services.approve(comment, officer),
        lambda: services.reject(comment, officer, RejectionReason.SPAM),
        lambda: services.redact(comment, officer, "Ring me on [removed]"),
        lambda: services.approve_many([comment.pk], officer),
        lambda: services.reject_many([comment.pk], officer, RejectionReason.SPAM),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert stored(comment).status == ModerationStatus.PENDING
    assert logs(comment) == []


def test_moderators_cannot_publish_an_original_hidden_from_them(make_comment, moderator):
    comment = make_comment(FLAGGED_TEXT, status=ModerationStatus.REJECTED, rejection_reason="spam")
    with pytest.raises(PermissionDenied, match="personal data access"):
        services.approve(comment, moderator)
    with pytest.raises(PermissionDenied, match="personal data access"):
        services.redact(comment, moderator, "Ring me about the library")
    assert stored(comment).status == ModerationStatus.REJECTED


def test_moderators_with_personal_data_access_can_reconsider_a_rejection(
    make_comment, moderator_with_personal_data
):
    comment = make_comment(FLAGGED_TEXT, status=ModerationStatus.REJECTED, rejection_reason="spam")
    services.redact(comment, moderator_with_personal_data, "Ring me about the library")
    assert stored(comment).status == ModerationStatus.REDACTED


def test_moderators_can_edit_the_published_version_of_a_redacted_comment(make_comment, moderator):
    comment = make_comment(
        FLAGGED_TEXT, status=ModerationStatus.REDACTED, public_text="Ring me on [removed]"
    )
    services.redact(comment, moderator, "Please ring me about the library")
    assert stored(comment).public_text == "Please ring me about the library"


# Many at once -----------------------------------------------------------------------------


def test_approving_many_approves_each_and_logs_each_in_one_batch(make_comment, moderator):
    comments = [make_comment(f"Comment number {n}") for n in range(3)]
    changed = services.approve_many([comment.pk for comment in comments], moderator)
    assert changed == 3
    for comment in comments:
        assert stored(comment).status == ModerationStatus.APPROVED
        assert stored(comment).public_text == comment.answer.text
    entries = ModelLogEntry.objects.filter(action=log_actions.APPROVE)
    assert entries.count() == 3
    assert len({entry.uuid for entry in entries}) == 1
    assert all(entry.data["bulk"] and entry.user == moderator for entry in entries)


def test_rejecting_many_takes_a_queryset(make_comment, moderator):
    make_comment("one")
    make_comment("two")
    changed = services.reject_many(Comment.objects.all(), moderator, RejectionReason.SPAM)
    assert changed == 2
    assert set(Comment.objects.values_list("rejection_reason", flat=True)) == {"spam"}


def test_many_at_once_counts_only_the_comments_that_changed(make_comment, moderator):
    done = make_comment("done", status=ModerationStatus.APPROVED, public_text="done")
    waiting = make_comment("waiting")
    assert services.approve_many([done, waiting], moderator) == 1


def test_many_at_once_with_an_unknown_comment_changes_nothing(make_comment, moderator):
    comment = make_comment()
    with pytest.raises(ValidationError, match="999999"):
        services.approve_many([comment.pk, 999999], moderator)
    assert stored(comment).status == ModerationStatus.PENDING
    assert not ModelLogEntry.objects.exists()


def test_many_at_once_with_a_bad_id_changes_nothing(make_comment, moderator):
    comment = make_comment()
    with pytest.raises(ValidationError, match="not a comment number"):
        services.reject_many([comment.pk, "1; drop table"], moderator, RejectionReason.SPAM)
    assert stored(comment).status == ModerationStatus.PENDING


def test_many_at_once_with_a_bad_reason_changes_nothing(make_comment, moderator):
    comment = make_comment()
    with pytest.raises(ValidationError):
        services.reject_many([comment.pk], moderator, "because")
    assert stored(comment).status == ModerationStatus.PENDING


def test_many_at_once_is_all_or_nothing_when_one_comment_is_refused(make_comment, moderator):
    first, second = make_comment("first"), make_comment("second")
    hidden = make_comment("hidden", status=ModerationStatus.REJECTED, rejection_reason="spam")
    with pytest.raises(PermissionDenied):
        services.approve_many([first, second, hidden], moderator)
    assert stored(first).status == ModerationStatus.PENDING
    assert stored(second).status == ModerationStatus.PENDING
    assert not ModelLogEntry.objects.exists()


def test_many_at_once_needs_at_least_one_comment(moderator):
    with pytest.raises(ValidationError, match="at least one"):
        services.approve_many([], moderator)


# Comments queued when a resident responds ---------------------------------------------------


def submit_with(client, consultation, comments="Keep the libraries open", one=None):
    check = respond(client, consultation, one=one, two=section_two(comments))
    token = check.context["token"]
    return client.post(consultation.url + "respond/check/", {"token": token})


def test_a_free_text_answer_waits_for_moderation_flagged_as_personal_data(client, consultation):
    submit_with(client, consultation, comments="Ring me on 07700 900123 please")
    comment = Comment.objects.get(consultation=consultation, question_id=ids()["comments"])
    assert comment.status == ModerationStatus.PENDING
    assert comment.public_text == ""
    assert comment.flagged_personal_data
    assert not comment.flagged_abuse
    assert comment.flags == [{"kind": "phone", "start": 11, "end": 23}]
    assert comment.answer.text == "Ring me on 07700 900123 please"


def test_an_abusive_answer_is_flagged_as_abuse_not_personal_data(client, consultation):
    submit_with(client, consultation, comments="The planners are idiots")
    comment = Comment.objects.get(consultation=consultation)
    assert comment.flagged_abuse
    assert not comment.flagged_personal_data


def test_an_everyday_answer_waits_for_moderation_unflagged(client, consultation):
    submit_with(client, consultation, comments="Keep the libraries open")
    comment = Comment.objects.get(consultation=consultation)
    assert comment.status == ModerationStatus.PENDING
    assert comment.flags == []
    assert not comment.flagged_personal_data and not comment.flagged_abuse


def test_an_other_please_specify_answer_is_moderated_too(client, consultation):
    q = ids()
    one = {**section_one(choice="other"), field_name(q["choice"], "other"): "Email me at a@b.com"}
    submit_with(client, consultation, one=one)
    comment = Comment.objects.get(consultation=consultation, question_id=q["choice"])
    assert comment.status == ModerationStatus.PENDING
    assert comment.flagged_personal_data
