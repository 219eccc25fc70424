"""'We asked, you said, we did': the rules an outcome keeps and what residents see.

The helpers at the top build closed consultations, moderated comments and outcome pages; the
other outcome test modules import them.
"""

import itertools
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import Page

from consultations.models import (
    Answer,
    Comment,
    ConsultationIndexPage,
    DecisionStatus,
    ModerationStatus,
    OutcomeDecision,
    OutcomeIndexPage,
    OutcomePage,
    OutcomeQuote,
    Response,
)
from consultations.outcomes import pages
from tests.builders import ConsultationPageFactory
from tests.consultations.conftest import ids

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


# Helpers (also used by test_outcomes_admin.py and test_outcomes_notifications.py) ------------


def closed_consultation(slug="closed-consultation", days_ago=30, **fields):
    """A live consultation that closed `days_ago` days ago, with the test questions."""
    now = timezone.now()
    return ConsultationPageFactory(
        parent=ConsultationIndexPage.objects.get(),
        slug=slug,
        privacy_notice=Page.objects.get(slug="privacy"),
        opens_at=now - timedelta(days=days_ago + 30),
        closes_at=now - timedelta(days=days_ago),
        **fields,
    )


def comment(consultation, original, status=ModerationStatus.PENDING, public_text=""):
    """A resident's free-text answer and its comment, in the given moderation state."""
    number = next(_numbers)
    response = Response.objects.create(consultation=consultation, reference=f"KBC-TEST-{number}")
    answer = Answer.objects.create(response=response, question_id=ids()["comments"], text=original)
    if status == ModerationStatus.APPROVED and not public_text:
        public_text = original
    return Comment.objects.create(
        answer=answer,
        consultation=consultation,
        question_id=answer.question_id,
        submitted_at=response.submitted_at,
        status=status,
        public_text=public_text,
    )


def decision(**fields):
    values = {
        "decision": "Keep the libraries open on Saturdays",
        "status": DecisionStatus.DONE,
        "decided_on": date(2026, 3, 1),
    }
    values.update(fields)
    return OutcomeDecision(**values)


def outcome(consultation, publish=True, quotes=(), decisions=None, **fields):
    """An outcome page under `consultation`, published unless told otherwise."""
    values = {
        "title": f"{consultation.title}: what we did",
        "slug": "outcome",
        "summary": "We kept the libraries open.",
        "you_said": "<p>Most of you wanted the libraries kept open.</p>",
        "show_results": False,
        "live": False,
    }
    values.update(fields)
    page = OutcomePage(
        decisions=decisions if decisions is not None else [decision()],
        quotes=[OutcomeQuote(comment=quoted) for quoted in quotes],
        **values,
    )
    consultation.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


def outcome_index(home):
    """The outcome index at /you-said-we-did/, made here if the demo has not made it."""
    index = OutcomeIndexPage.objects.first()
    if index is None:
        index = home.add_child(
            instance=OutcomeIndexPage(title="We asked, you said, we did", slug="you-said-we-did")
        )
        index.save_revision().publish()
    return index


@pytest.fixture
def closed(demo_site):
    return closed_consultation()


# Only once the consultation has closed ---------------------------------------------------------


def test_an_outcome_cannot_be_added_to_an_open_consultation(consultation):
    with pytest.raises(ValidationError) as refused:
        outcome(consultation)
    assert "only once the consultation has closed" in str(refused.value)


def test_the_refusal_says_when_the_consultation_closes(consultation):
    consultation.closes_at = timezone.make_aware(timezone.datetime(2031, 5, 7, 12))
    message = pages.open_consultation_refusal(consultation)
    assert consultation.title in message
    assert "closes on 7 May 2031" in message


def test_a_closed_consultation_accepts_an_outcome(closed):
    page = outcome(closed)
    assert page.live
    assert page.get_parent().pk == closed.pk


def test_an_upcoming_consultation_refuses_an_outcome(demo_site):
    now = timezone.now()
    upcoming = closed_consultation(slug="upcoming")
    upcoming.opens_at, upcoming.closes_at = now + timedelta(days=1), now + timedelta(days=9)
    assert pages.open_consultation_refusal(upcoming) is not None


# Quotes: only published comments of this consultation ------------------------------------------


def test_a_pending_comment_cannot_be_quoted(closed):
    pending = comment(closed, "Libraries matter")
    assert "waiting for moderation" in pages.quote_refusal(pending, closed)


def test_a_rejected_comment_cannot_be_quoted(closed):
    rejected = comment(closed, "Something abusive", ModerationStatus.REJECTED)
    assert "rejected" in pages.quote_refusal(rejected, closed)


def test_another_consultations_comment_cannot_be_quoted(closed):
    other = closed_consultation(slug="another")
    approved_elsewhere = comment(other, "Parks matter", ModerationStatus.APPROVED)
    assert other.title not in pages.quote_refusal(approved_elsewhere, closed)
    assert "another consultation" in pages.quote_refusal(approved_elsewhere, closed)


def test_approved_and_redacted_comments_of_this_consultation_can_be_quoted(closed):
    approved = comment(closed, "Keep it open", ModerationStatus.APPROVED)
    redacted = comment(closed, "I'm Jo Bloggs", ModerationStatus.REDACTED, "I'm [name removed]")
    assert pages.quote_refusal(approved, closed) is None
    assert pages.quote_refusal(redacted, closed) is None


def test_a_quote_model_refuses_an_unpublished_comment(closed):
    quote = OutcomeQuote(comment=comment(closed, "Not yet read"))
    with pytest.raises(ValidationError) as refused:
        quote.clean()
    assert "comment" in refused.value.message_dict


# Decisions -------------------------------------------------------------------------------------


def test_a_decision_not_taken_forward_needs_a_reason():
    with pytest.raises(ValidationError) as refused:
        decision(status=DecisionStatus.NOT_TAKEN_FORWARD, reason="  ").clean()
    assert refused.value.message_dict["reason"] == [pages.REASON_REQUIRED_MESSAGE]


def test_a_decision_not_taken_forward_with_a_reason_is_valid():
    decision(status=DecisionStatus.NOT_TAKEN_FORWARD, reason="It cost too much.").clean()


def test_a_done_decision_needs_no_reason():
    decision(status=DecisionStatus.DONE, reason="").clean()


def test_a_decision_cannot_be_expected_before_it_was_decided():
    errors = pages.decision_errors(
        DecisionStatus.IN_PROGRESS, "", date(2026, 3, 1), date(2026, 2, 1)
    )
    assert errors == {"expected_by": pages.EXPECTED_BEFORE_DECIDED_MESSAGE}


# What residents see ----------------------------------------------------------------------------


def test_the_outcome_page_says_what_we_asked(client, closed):
    comment(closed, "A comment", ModerationStatus.APPROVED)
    html = client.get(outcome(closed).url).content.decode()
    assert "We asked" in html
    assert closed.summary in html
    # Dates as the council reads them (London time): late at night UTC, BST is already tomorrow.
    opened, closed_on = (
        timezone.localtime(moment) for moment in (closed.opens_at, closed.closes_at)
    )
    assert f"{opened:%-d %B %Y} to {closed_on:%-d %B %Y}" in html
    assert "1 response" in html
    assert "Online: 1 (100%)" in html  # how they responded
    assert "Rank these services" in html and "Anything else?" in html  # the questions asked


def test_the_outcome_page_shows_the_officers_words_and_decisions_with_their_status(client, closed):
    page = outcome(
        closed,
        decisions=[
            decision(),
            decision(
                decision="Open a café in every library",
                status=DecisionStatus.NOT_TAKEN_FORWARD,
                reason="Too few of you wanted it.",
            ),
            decision(
                decision="Longer opening hours",
                status=DecisionStatus.IN_PROGRESS,
                expected_by=date(2026, 9, 30),
            ),
        ],
    )
    html = client.get(page.url).content.decode()
    assert "Most of you wanted the libraries kept open." in html
    assert 'govuk-tag govuk-tag--green">Done<' in html
    assert 'govuk-tag govuk-tag--grey">Not taken forward<' in html
    assert 'govuk-tag govuk-tag--blue">In progress<' in html
    assert "Too few of you wanted it." in html
    assert "30 September 2026" in html


def test_a_redacted_quote_shows_the_moderators_version_not_the_original(client, closed):
    redacted = comment(
        closed,
        "My name is Jo Bloggs of 4 Elm Road and I love the library",
        ModerationStatus.REDACTED,
        "My name is [removed] and I love the library",
    )
    html = client.get(outcome(closed, quotes=[redacted]).url).content.decode()
    assert "My name is [removed] and I love the library" in html
    assert "Jo Bloggs" not in html
    assert "Elm Road" not in html


def test_no_pending_rejected_or_original_text_reaches_the_outcome_or_consultation_page(
    client, closed
):
    approved = comment(closed, "Approved words about books", ModerationStatus.APPROVED)
    redacted = comment(
        closed, "Call me on 07700 900123 about parks", ModerationStatus.REDACTED, "About parks"
    )
    comment(closed, "Pending words nobody has read", ModerationStatus.PENDING)
    comment(closed, "Rejected rude words", ModerationStatus.REJECTED)
    page = outcome(closed, quotes=[approved, redacted])
    # A quote can only be chosen while published; rejecting it later must also hide it.
    later = comment(closed, "Later rejected words", ModerationStatus.APPROVED)
    OutcomeQuote.objects.create(page=page, comment=later)
    Comment.objects.filter(pk=later.pk).update(status=ModerationStatus.REJECTED)
    for url in (page.url, closed.url):
        html = client.get(url).content.decode()
        for secret in ("Pending words", "Rejected rude", "07700 900123", "Later rejected"):
            assert secret not in html, (url, secret)
    assert "Approved words about books" in client.get(page.url).content.decode()


def test_a_quote_from_another_consultation_is_never_shown(client, closed):
    other = closed_consultation(slug="another")
    elsewhere = comment(other, "Words from another consultation", ModerationStatus.APPROVED)
    page = outcome(closed)
    OutcomeQuote.objects.create(page=page, comment=elsewhere)
    assert "Words from another" not in client.get(page.url).content.decode()


def test_the_consultation_page_shows_the_published_outcome_in_a_banner(client, closed):
    page = outcome(closed)
    html = client.get(closed.url).content.decode()
    assert "govuk-notification-banner" in html
    assert f'href="{page.url}"' in html
    assert "We are considering what people told us" not in html


def test_a_draft_outcome_is_not_shown_on_the_consultation_page(client, closed):
    outcome(closed, publish=False)
    html = client.get(closed.url).content.decode()
    assert "Outcome published" not in html
    assert "We are considering what people told us" in html


def test_charts_and_their_scripts_are_left_out_when_the_officer_hides_results(client, closed):
    comment(closed, "A comment", ModerationStatus.APPROVED)
    html = client.get(outcome(closed, show_results=False).url).content.decode()
    assert "plotly" not in html


def test_the_outcome_page_shows_the_results_with_the_chart_scripts(client, closed):
    comment(closed, "A comment", ModerationStatus.APPROVED)
    html = client.get(outcome(closed, show_results=True).url).content.decode()
    assert "plotly" in html
    assert "govuk-table" in html


# The index of outcomes -------------------------------------------------------------------------


def test_the_index_lists_live_outcomes_newest_first(client, demo_site):
    index = outcome_index(demo_site)
    older = outcome(closed_consultation(slug="older", title="Older consultation"))
    OutcomePage.objects.filter(pk=older.pk).update(
        first_published_at=timezone.now() - timedelta(days=5)
    )
    newer = outcome(closed_consultation(slug="newer", title="Newer consultation"))
    outcome(closed_consultation(slug="draft", title="Draft consultation"), publish=False)
    html = client.get(index.url).content.decode()
    assert html.index(newer.title) < html.index(older.title)
    assert "Draft consultation: what we did" not in html


def test_the_index_is_paginated(client, demo_site):
    index = outcome_index(demo_site)
    already = pages.live_outcomes().count()
    for number in range(pages.OUTCOMES_PER_PAGE + 1 - already):
        outcome(closed_consultation(slug=f"closed-{number}", title=f"Closed {number}"))
    first = client.get(index.url)
    second = client.get(index.url + "?page=2")
    assert len(first.context["outcomes"]) == pages.OUTCOMES_PER_PAGE
    assert len(second.context["outcomes"]) == 1
    assert 'class="govuk-pagination"' in first.content.decode()
    assert first.context["outcomes"][0]["consultation"] is not None
