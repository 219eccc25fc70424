"""What a "we asked, you said, we did" page shows, and the rules an outcome must keep.

The page models (`OutcomePage`, `OutcomeIndexPage`, `OutcomeDecision`, `OutcomeQuote`) call these;
they take pages and plain values and return plain data, so each rule is tested on its own.
Public text comes only from the results dictionary (counts) and from a published comment's
`public_text`: never from an answer.
"""

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.formats import date_format

from consultations.analysis.results import consultation_results
from consultations.models import (
    PUBLISHABLE,
    Comment,
    ConsultationPage,
    DecisionStatus,
    OutcomeIndexPage,
    OutcomePage,
    Status,
)
from portal.charts import count_text, share_text

OUTCOMES_PER_PAGE = 10

OPEN_CONSULTATION_MESSAGE = (
    "You can write the outcome only once the consultation has closed. “{title}” closes on {closes}."
)
QUOTE_NOT_PUBLISHED_MESSAGE = (
    "Choose a comment a moderator has approved: this one is {status}, so it cannot be quoted."
)
QUOTE_OTHER_CONSULTATION_MESSAGE = (
    "Choose a comment from “{title}”: this one was made in another consultation."
)
REASON_REQUIRED_MESSAGE = "Say why this proposal was not taken forward."
EXPECTED_BEFORE_DECIDED_MESSAGE = "The date it is expected by must be on or after the decision."

# GOV.UK tag colours for each decision status (colour is never the only cue: the tag has text).
DECISION_TAG_CLASSES = {
    DecisionStatus.DONE: "govuk-tag--green",
    DecisionStatus.IN_PROGRESS: "govuk-tag--blue",
    DecisionStatus.NOT_TAKEN_FORWARD: "govuk-tag--grey",
}


def open_consultation_refusal(consultation, now=None):
    """Why no outcome may be written for `consultation` yet, or None once it has closed."""
    now = now or timezone.now()
    if consultation.status_at(now) == Status.CLOSED:
        return None
    closes = date_format(timezone.localtime(consultation.closes_at), "j F Y")
    return OPEN_CONSULTATION_MESSAGE.format(title=consultation.title, closes=closes)


def unpublished_comment_refusal(comment):
    """Why `comment` may not be quoted anywhere (still pending, or rejected), or None."""
    if comment.status in PUBLISHABLE:
        return None
    return QUOTE_NOT_PUBLISHED_MESSAGE.format(status=comment.get_status_display().lower())


def quote_refusal(comment, consultation):
    """Why `comment` may not be quoted on `consultation`'s outcome, or None if it may."""
    refusal = unpublished_comment_refusal(comment)
    if refusal:
        return refusal
    if comment.consultation_id != consultation.pk:
        return QUOTE_OTHER_CONSULTATION_MESSAGE.format(title=consultation.title)
    return None


def decision_errors(status, reason, decided_on, expected_by):
    """Field errors for one decision: a reason when not taken forward, dates in order."""
    errors = {}
    if status == DecisionStatus.NOT_TAKEN_FORWARD and not (reason or "").strip():
        errors["reason"] = REASON_REQUIRED_MESSAGE
    if decided_on and expected_by and expected_by < decided_on:
        errors["expected_by"] = EXPECTED_BEFORE_DECIDED_MESSAGE
    return errors


def published_quotes(page, consultation):
    """The quotes to show, in the officer's order, as the comments' public text.

    Checked again when the page is shown, not only when it was saved: a comment rejected after
    it was quoted disappears from the page instead of staying public.
    """
    comment_ids = [quote.comment_id for quote in page.quotes.all() if quote.comment_id]
    texts = dict(
        Comment.objects.filter(
            pk__in=comment_ids, consultation=consultation, status__in=PUBLISHABLE
        )
        .exclude(public_text="")
        .values_list("pk", "public_text")
    )
    return [texts[pk] for pk in comment_ids if pk in texts]


def decisions(page):
    """Each decision with the GOV.UK tag class of its status."""
    return [
        {
            "decision": decision,
            "tag_class": DECISION_TAG_CLASSES.get(decision.status, "govuk-tag--grey"),
        }
        for decision in page.decisions.all()
    ]


def we_asked(consultation, results):
    """The generated "we asked": what, when, how many answered and how, and the questions."""
    responses = results["responses"]
    return {
        "summary": consultation.summary,
        "opens_at": consultation.opens_at,
        "closes_at": consultation.closes_at,
        "total": responses["total"],
        "total_text": count_text(responses["total"]),
        "by_channel": [
            f"{row['label']}: {count_text(row['count'])} ({share_text(row['percent'])})"
            for row in responses["by_channel"]
            if row["count"]
        ],
        "questions": [question["question"] for question in results["questions"]],
    }


def outcome_context(page):
    """Template context for an outcome page (also used for previews of unsaved changes)."""
    consultation = page.get_parent().specific
    # The one results dictionary (docs/decisions/0004): counts only, never residents' words.
    results = consultation_results(consultation)
    return {
        "consultation": consultation,
        "results": results,
        "we_asked": we_asked(consultation, results),
        "show_results": page.show_results and results["responses"]["total"] > 0,
        "quotes": published_quotes(page, consultation),
        "decisions": decisions(page),
        "outcome_index": OutcomeIndexPage.objects.live().public().first(),
    }


def live_outcomes():
    """Every published outcome, newest first (by when it was first published)."""
    return OutcomePage.objects.live().public().order_by("-first_published_at", "-pk")


def index_context(params):
    """Template context for the outcome index: one page of live outcomes, newest first."""
    paginator = Paginator(live_outcomes(), OUTCOMES_PER_PAGE)
    page = paginator.get_page(params.get("page"))
    parents = {
        consultation.path: consultation
        for consultation in ConsultationPage.objects.filter(
            path__in=[outcome.path[: -OutcomePage.steplen] for outcome in page.object_list]
        )
    }
    return {
        "outcomes": [
            {"page": outcome, "consultation": parents.get(outcome.path[: -OutcomePage.steplen])}
            for outcome in page.object_list
        ],
        "page_obj": page,
        "paginator": paginator,
        "result_count": paginator.count,
    }
