"""One place for the file between upload, check and confirm (portal/uploads.py): every flow keeps
it the same way, for one officer and one subject, and one lifetime rule deletes it."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from budget_simulator.import_views import SERVICE_LINE_UPLOADS
from consultations.spreadsheets.import_views import RESPONSE_UPLOADS
from portal.models import PendingUpload
from portal.uploads import UPLOAD_LIFETIME, PendingUploads, delete_expired_uploads
from tests.builders import UserFactory

pytestmark = pytest.mark.django_db

PAPER = PendingUploads("tests.paper")
LINES = PendingUploads("tests.lines")


class Subject:
    """What a flow imports into: anything with a primary key (a consultation, a budget)."""

    def __init__(self, pk):
        self.pk = pk


def keep(flow, officer, subject, content=b"a,b\n1,2\n", **choices):
    return flow.keep(
        officer, subject, name="sheet.csv", file_format="csv", content=content, **choices
    )


def test_a_kept_file_comes_back_with_what_the_officer_chose():
    officer = UserFactory()
    keep(PAPER, officer, Subject(7), channel="paper")

    kept = PAPER.kept(officer, Subject(7))

    assert (kept.file_name, kept.file_format, kept.content, kept.choices) == (
        "sheet.csv",
        "csv",
        b"a,b\n1,2\n",
        {"channel": "paper"},
    )


def test_a_file_belongs_to_one_officer_one_flow_and_one_subject():
    officer, colleague = UserFactory(), UserFactory()
    keep(PAPER, officer, Subject(7))

    assert PAPER.kept(colleague, Subject(7)) is None
    assert PAPER.kept(officer, Subject(8)) is None
    assert LINES.kept(officer, Subject(7)) is None


def test_a_new_upload_replaces_the_officers_earlier_one_and_its_token():
    officer = UserFactory()
    first = keep(PAPER, officer, Subject(7), content=b"first")
    second = keep(PAPER, officer, Subject(7), content=b"second")

    assert PendingUpload.objects.count() == 1
    assert PAPER.confirmed(officer, Subject(7), first.token) == (None, "changed")
    upload, refusal = PAPER.confirmed(officer, Subject(7), second.token)
    assert (upload.content, refusal) == (b"second", None)


def test_confirming_with_nothing_kept_says_it_expired():
    assert PAPER.confirmed(UserFactory(), Subject(7), "any") == (None, "expired")


def test_a_file_an_hour_old_is_refused_and_deleted_by_the_next_look():
    officer = UserFactory()
    kept = keep(PAPER, officer, Subject(7))
    PendingUpload.objects.update(uploaded_at=timezone.now() - UPLOAD_LIFETIME)

    assert PAPER.confirmed(officer, Subject(7), kept.token) == (None, "expired")
    assert not PendingUpload.objects.exists()


def test_forgetting_deletes_only_that_officers_file():
    officer, colleague = UserFactory(), UserFactory()
    keep(PAPER, officer, Subject(7))
    keep(PAPER, colleague, Subject(7))

    PAPER.forget(officer, Subject(7))

    assert list(PendingUpload.objects.values_list("uploaded_by", flat=True)) == [colleague.pk]


def test_one_lifetime_rule_for_every_flow_applied_daily_however_the_officer_left():
    officer = UserFactory()
    keep(RESPONSE_UPLOADS, officer, Subject(7), channel="paper")
    keep(SERVICE_LINE_UPLOADS, officer, Subject(7))
    keep(SERVICE_LINE_UPLOADS, officer, Subject(8))
    an_hour_ago = timezone.now() - UPLOAD_LIFETIME - timedelta(seconds=1)
    PendingUpload.objects.exclude(subject="8").update(uploaded_at=an_hour_ago)
    output = io.StringIO()

    call_command("apply_retention", stdout=output)

    assert list(PendingUpload.objects.values_list("flow", "subject")) == [
        (SERVICE_LINE_UPLOADS.flow, "8")
    ]
    assert "Deleted 2 uploaded spreadsheet(s) older than an hour." in output.getvalue()
    assert delete_expired_uploads(now=timezone.now() + UPLOAD_LIFETIME) == 1
