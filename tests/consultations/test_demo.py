"""The demo council's moderated comments, themes and published "you said, we did"."""

import pytest
from django.core.management import call_command
from wagtail.models import ModelLogEntry

from consultations.journey import sections_of
from consultations.models import (
    PUBLISHABLE,
    Answer,
    Comment,
    CommentTheme,
    ConsultationPage,
    DecisionStatus,
    ModerationStatus,
    OutcomeIndexPage,
    OutcomePage,
    OutcomeQuote,
    RejectionReason,
    Theme,
)
from consultations.moderation import log_actions
from consultations.moderation.comments import takes_comments
from consultations.moderation.pii import PERSONAL_DATA_KINDS, find_flags
from demo.consultations import DEMO_MODERATOR

pytestmark = pytest.mark.django_db

CLOSED = ["parks-and-green-spaces-strategy", "housing-allocations-policy"]


@pytest.fixture
def comments(demo_site):
    return Comment.objects.filter(consultation__slug__in=CLOSED).select_related("answer")


@pytest.fixture
def outcome(demo_site):
    return OutcomePage.objects.get()


def free_text_answers(slugs):
    answers = Answer.objects.none()
    for page in ConsultationPage.objects.filter(slug__in=slugs):
        ids = [q.id for s in sections_of(page) for q in s.questions if takes_comments(q)]
        answers |= Answer.objects.filter(response__consultation=page, question_id__in=ids)
    return answers.exclude(text="")


def test_every_free_text_answer_in_the_demo_is_in_moderation(demo_site):
    answers = free_text_answers(CLOSED)
    assert answers.exists()
    assert set(answers.values_list("pk", flat=True)) == set(
        Comment.objects.values_list("answer_id", flat=True)
    )


def test_closed_demo_consultations_have_comments_in_every_moderation_status(comments):
    assert set(comments.values_list("status", flat=True)) == set(ModerationStatus.values)


def test_demo_comments_include_some_flagged_for_personal_data_and_some_for_abuse(comments):
    assert comments.filter(flagged_personal_data=True).exists()
    assert comments.filter(flagged_abuse=True).exists()
    assert comments.filter(flagged_personal_data=False, flagged_abuse=False).count() > (
        comments.count() / 2
    )


def test_demo_moderator_rejects_abusive_comments_as_abusive(comments):
    abusive = comments.filter(flagged_abuse=True).exclude(status=ModerationStatus.PENDING)
    assert abusive.exists()
    assert set(abusive.values_list("status", "rejection_reason")) == {
        (ModerationStatus.REJECTED, RejectionReason.ABUSIVE)
    }


def test_demo_moderator_rejects_an_off_topic_comment_with_that_reason(comments):
    assert comments.filter(
        status=ModerationStatus.REJECTED, rejection_reason=RejectionReason.OFF_TOPIC
    ).exists()


def test_rejected_and_pending_demo_comments_publish_nothing(comments):
    hidden = comments.exclude(status__in=PUBLISHABLE)
    assert hidden.exists()
    assert set(hidden.values_list("public_text", flat=True)) == {""}


def test_redacted_demo_comments_keep_the_original_on_the_answer(comments):
    for comment in comments.filter(status=ModerationStatus.REDACTED):
        assert comment.public_text != comment.answer.text
        assert {flag.kind for flag in find_flags(comment.answer.text)} & PERSONAL_DATA_KINDS


def test_redacted_demo_comments_publish_no_flagged_personal_data(comments):
    redacted = comments.filter(status=ModerationStatus.REDACTED)
    assert redacted.exists()
    for comment in redacted:
        assert "[removed]" in comment.public_text
        assert not {flag.kind for flag in find_flags(comment.public_text)} & PERSONAL_DATA_KINDS


def test_approved_demo_comments_publish_the_answer_as_written(comments):
    approved = comments.filter(status=ModerationStatus.APPROVED)
    assert approved.exists()
    assert all(comment.public_text == comment.answer.text for comment in approved)


def test_every_demo_moderation_decision_is_in_the_audit_log_by_the_demo_moderator(comments):
    decided = comments.exclude(status=ModerationStatus.PENDING)
    logged = ModelLogEntry.objects.filter(
        action__in=[log_actions.APPROVE, log_actions.REJECT, log_actions.REDACT],
        object_id__in=[str(comment.pk) for comment in decided],
    )
    assert logged.count() == decided.count()
    assert set(logged.values_list("user__email", flat=True)) == {DEMO_MODERATOR}


def test_a_closed_demo_consultation_keeps_comments_waiting_for_the_queue(comments):
    assert comments.filter(
        consultation__slug="housing-allocations-policy", status=ModerationStatus.PENDING
    ).exists()


def test_the_consultation_with_a_published_outcome_has_nothing_waiting(comments):
    parks = comments.filter(consultation__slug="parks-and-green-spaces-strategy")
    assert parks.exists()
    assert not parks.filter(status=ModerationStatus.PENDING).exists()


@pytest.mark.parametrize("slug", CLOSED)
def test_closed_demo_consultations_have_themes_with_tagged_comments(demo_site, slug):
    themes = Theme.objects.filter(consultation__slug=slug)
    assert themes.count() >= 4
    assert CommentTheme.objects.filter(theme__in=themes).exists()


def test_demo_themes_tag_only_published_comments_of_their_own_consultation(demo_site):
    tags = CommentTheme.objects.select_related("comment", "theme")
    assert tags.exists()
    for tag in tags:
        assert tag.comment.status in PUBLISHABLE
        assert tag.comment.consultation_id == tag.theme.consultation_id


def test_the_outcome_index_is_live_at_you_said_we_did(demo_site):
    index = OutcomeIndexPage.objects.get()
    assert index.live
    assert index.title == "We asked, you said, we did"
    assert index.get_parent().specific == demo_site
    assert index.url == "/you-said-we-did/"


def test_the_parks_consultation_has_the_one_live_outcome(outcome):
    assert OutcomePage.objects.live().count() == 1
    assert outcome.get_parent().slug == "parks-and-green-spaces-strategy"
    assert outcome.get_parent().specific.published_outcome == outcome


def test_the_demo_outcome_has_a_decision_of_each_status(outcome):
    assert {d.status for d in outcome.decisions.all()} == set(DecisionStatus.values)


def test_the_demo_outcome_says_why_a_decision_was_not_taken_forward(outcome):
    for decision in outcome.decisions.filter(status=DecisionStatus.NOT_TAKEN_FORWARD):
        assert decision.reason


def test_the_demo_outcome_says_when_work_in_progress_should_be_done(outcome):
    for decision in outcome.decisions.filter(status=DecisionStatus.IN_PROGRESS):
        assert decision.expected_by > decision.decided_on


def test_the_demo_outcome_quotes_only_published_comments_of_its_consultation(outcome):
    quoted = [quote.comment for quote in outcome.quotes.all()]
    assert len(quoted) >= 2
    assert all(comment.status in PUBLISHABLE for comment in quoted)
    assert {comment.consultation_id for comment in quoted} == {outcome.get_parent().pk}


def test_the_demo_outcome_quotes_a_redacted_comment(outcome):
    statuses = [quote.comment.status for quote in outcome.quotes.all()]
    assert ModerationStatus.REDACTED in statuses


def test_the_published_outcome_revision_has_the_decisions_and_quotes(outcome):
    live = outcome.live_revision.as_object()
    assert len(live.decisions.all()) == outcome.decisions.count()
    assert len(live.quotes.all()) == outcome.quotes.count()


def test_seeding_again_queues_answers_stored_before_moderation_existed(demo_site):
    Comment.objects.exclude(pk__in=OutcomeQuote.objects.values("comment_id")).delete()
    call_command("seed_demo", verbosity=0)
    assert set(free_text_answers(CLOSED).values_list("pk", flat=True)) == set(
        Comment.objects.values_list("answer_id", flat=True)
    )
