"""Anonymising responses once a consultation's retention period ends (consultations/retention.py):
what identifies a resident goes, what results and the published outcome are made of stays."""

import uuid
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from wagtail.models import PageLogEntry

from consultations import retention
from consultations.analysis.results import consultation_results
from consultations.journey import questions_of
from consultations.models import (
    Answer,
    Comment,
    ModerationStatus,
    RankingBallot,
    RejectionReason,
    Response,
    ResponseDraft,
)
from consultations.responses import submit_response
from tests.builders import UserFactory
from tests.consultations.conftest import ids
from tests.consultations.test_outcomes import closed_consultation, outcome

pytestmark = pytest.mark.django_db

ORIGINAL = "Call me on 07700 900123 about the library, I live at 4 Mill Lane"
REDACTED = "Call me on [removed] about the library, I live at [removed]"


def respond(page, text, user=None, postcode="KM4"):
    """A resident's whole response, stored as the journey stores it, with its comment."""
    q = ids()
    answers = {
        q["ranking"]: {"positions": {q["libraries"]: 1, q["parks"]: 2, q["roads"]: 3}},
        q["choice"]: {"option": q["yes"]},
        q["comments"]: {"text": text},
        q["about"]: {"age_band": "35_44", "postcode_district": postcode},
    }
    response, _created = submit_response(page, questions_of(page), answers, uuid.uuid4(), user=user)
    return response


def moderate(response, status, public_text=""):
    comment = Comment.objects.get(answer__response=response)
    comment.status = status
    comment.public_text = public_text
    if status == ModerationStatus.REJECTED:
        comment.rejection_reason = RejectionReason.PERSONAL_DATA
    comment.save()
    return comment


def words(response):
    return Answer.objects.get(response=response, question_id=ids()["comments"]).text


@pytest.fixture
def expired(demo_site):
    """A consultation closed 400 days ago that keeps personal data for 12 months."""
    page = closed_consultation(slug="expired", days_ago=400, retention_months=12)
    resident = UserFactory()
    responses = {
        "approved": respond(page, "Keep the library open on Sundays", user=resident),
        "redacted": respond(page, ORIGINAL),
        "rejected": respond(page, "Ring me on 07700 900456"),
        "pending": respond(page, "My name is Ann Smith and I use the library"),
    }
    moderate(responses["approved"], ModerationStatus.APPROVED, "Keep the library open on Sundays")
    moderate(responses["redacted"], ModerationStatus.REDACTED, REDACTED)
    moderate(responses["rejected"], ModerationStatus.REJECTED)
    ResponseDraft.objects.create(consultation=page, user=resident, answers={"x": "half done"})
    return page, responses, resident


def test_responses_past_retention_lose_what_identifies_a_resident(expired):
    page, responses, resident = expired
    assert Comment.objects.filter(consultation=page).exclude(flags=[]).exists()

    done = retention.anonymise_expired_responses()

    assert done.responses == 4
    assert not Response.objects.filter(consultation=page, user__isnull=False).exists()
    assert not Response.objects.filter(consultation=page, anonymised_at__isnull=True).exists()
    districts = Answer.objects.filter(response__consultation=page, part="postcode_district")
    assert districts.count() == 4 and not districts.exclude(text="").exists()
    assert not ResponseDraft.objects.filter(consultation=page).exists()
    # Residents' words: only what was published survives.
    assert words(responses["approved"]) == "Keep the library open on Sundays"
    assert words(responses["redacted"]) == REDACTED
    assert words(responses["rejected"]) == ""
    assert words(responses["pending"]) == ""
    rejected = Comment.objects.get(answer__response=responses["rejected"])
    assert rejected.status == ModerationStatus.REJECTED  # the decision is kept, for the counts
    assert not Comment.objects.filter(answer__response=responses["pending"]).exists()
    assert not Comment.objects.filter(consultation=page).exclude(flags=[]).exists()
    # Nothing that looked like personal data is anywhere in the consultation's answers.
    stored = " ".join(
        Answer.objects.filter(response__consultation=page).values_list("text", flat=True)
    )
    for personal in ("07700 900123", "4 Mill Lane", "07700 900456", "Ann Smith", "KM4"):
        assert personal not in stored
    assert resident.pk  # the account itself is the resident's, and stays


def test_results_and_the_published_outcome_read_the_same_after_anonymising(client, expired):
    page, responses, _resident = expired
    quoted = Comment.objects.get(answer__response=responses["redacted"])
    published = outcome(page, quotes=[quoted])
    cache.clear()
    before = consultation_results(page)

    retention.anonymise_expired_responses()
    cache.clear()
    after = consultation_results(page)

    assert after["responses"] == before["responses"]
    by_id = {question["id"]: question for question in after["questions"]}
    for question in before["questions"]:
        if question["id"] == ids()["comments"]:
            # The unmoderated comment is gone; published and rejected counts stay.
            assert by_id[question["id"]]["answered"] == question["answered"]
            assert by_id[question["id"]]["comments"]["published"] == 2
            assert by_id[question["id"]]["comments"]["rejected"] == 1
            assert by_id[question["id"]]["comments"]["pending"] == 0
        else:
            assert by_id[question["id"]] == question
    assert RankingBallot.objects.filter(response__consultation=page).count() == 4
    quoted.refresh_from_db()
    assert quoted.public_text == REDACTED
    assert REDACTED in client.get(published.url).content.decode()


def test_consultations_still_within_retention_are_left_alone(demo_site):
    kept = closed_consultation(slug="kept", days_ago=40, retention_months=12)
    resident = UserFactory()
    response = respond(kept, ORIGINAL, user=resident)

    assert retention.anonymise_expired_responses().responses == 0

    response.refresh_from_db()
    assert response.user == resident and response.anonymised_at is None
    assert words(response) == ORIGINAL
    assert Answer.objects.filter(response=response, part="postcode_district").exists()


def test_anonymising_twice_changes_nothing_the_second_time(expired):
    page, _responses, _resident = expired
    retention.anonymise_expired_responses()
    first = dict(Response.objects.filter(consultation=page).values_list("pk", "anonymised_at"))

    assert retention.anonymise_expired_responses() == retention.Anonymised()
    assert dict(Response.objects.filter(consultation=page).values_list("pk", "anonymised_at")) == (
        first
    )


def test_a_response_imported_after_anonymising_is_anonymised_on_the_next_run(expired):
    page, _responses, _resident = expired
    retention.anonymise_expired_responses()
    late = respond(page, "Posted late: 07700 900789", postcode="KM2")
    Comment.objects.filter(answer__response=late).delete()  # as if it never reached the queue

    assert retention.anonymise_expired_responses().responses == 1
    assert words(late) == ""
    assert Answer.objects.get(response=late, part="postcode_district").text == ""


def test_anonymising_works_in_batches(expired, monkeypatch):
    page, _responses, _resident = expired
    monkeypatch.setattr(retention, "BATCH", 3)
    assert retention.anonymise_expired_responses().responses == 4
    assert not Response.objects.filter(consultation=page, anonymised_at__isnull=True).exists()


def test_the_apply_retention_command_anonymises_and_says_what_it_did(expired):
    output = StringIO()
    call_command("apply_retention", stdout=output)
    text = output.getvalue()
    assert "Anonymised 4 response(s) past retention" in text
    assert "4 postcode district(s) removed" in text
    assert "1 unmoderated comment(s) deleted" in text
    assert "1 unfinished response(s) deleted" in text


def test_each_anonymising_run_is_in_the_audit_log_with_counts_only(expired):
    page, _responses, _resident = expired
    retention.anonymise_expired_responses()
    retention.anonymise_expired_responses()  # nothing left to do: no second entry

    [entry] = PageLogEntry.objects.filter(page=page, action=retention.ANONYMISE_RESPONSES)
    assert entry.data["responses"] == 4 and entry.data["drafts"] == 1
    assert entry.message.startswith("Anonymised 4 response(s) at the end of the retention period")
    assert "Mill Lane" not in str(entry.data)


def test_a_run_that_fails_part_way_still_logs_what_it_did(expired, monkeypatch):
    page, _responses, _resident = expired
    monkeypatch.setattr(retention, "BATCH", 3)
    anonymise = retention._anonymise_responses
    calls = []

    def second_batch_fails(response_ids, now):
        calls.append(response_ids)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return anonymise(response_ids, now)

    monkeypatch.setattr(retention, "_anonymise_responses", second_batch_fails)
    with pytest.raises(RuntimeError):
        retention.anonymise_expired_responses()

    [entry] = PageLogEntry.objects.filter(page=page, action=retention.ANONYMISE_RESPONSES)
    assert entry.data["responses"] == 3
    assert Response.objects.filter(consultation=page, anonymised_at__isnull=True).count() == 1
