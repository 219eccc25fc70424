"""`manage.py import_responses`, and the demo's sample of paper responses."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import PageLogEntry

from consultations.models import Channel, Comment, ConsultationPage, ModerationStatus, Response
from consultations.spreadsheets.log_actions import IMPORT_RESPONSES
from demo import consultations as demo
from tests.consultations.test_import_admin import AGREEMENT, SLUG, answers_row, spreadsheet

pytestmark = pytest.mark.django_db

SAMPLE_SIZE = 12


@pytest.fixture
def parks(demo_site):
    return ConsultationPage.objects.get(slug=SLUG)


@pytest.fixture
def sample(parks, tmp_path):
    """The demo's sample, dated for the demo as seeded today."""
    path = tmp_path / "parks-paper-responses.csv"
    path.write_bytes(demo.paper_responses_sample(parks))
    return path


def run(*args):
    out = io.StringIO()
    call_command("import_responses", *map(str, args), stdout=out)
    return out.getvalue()


def imported(page):
    return Response.objects.filter(consultation=page, reference__startswith="PARKS-")


def test_dry_run_says_what_would_be_imported_and_stores_nothing(parks, sample):
    output = run(SLUG, sample, "--dry-run")
    assert f"{SAMPLE_SIZE} responses would be imported (0 already imported)" in output
    assert not imported(parks).exists()
    assert not PageLogEntry.objects.filter(action=IMPORT_RESPONSES).exists()


def test_the_demo_sample_imports_cleanly_once_and_then_adds_nothing(parks, sample):
    assert run(SLUG, sample).strip() == f"Imported {SAMPLE_SIZE} responses (0 already imported)"
    assert imported(parks).count() == SAMPLE_SIZE
    assert set(imported(parks).values_list("channel", flat=True)) == {Channel.PAPER}
    comments = Comment.objects.filter(answer__response__in=imported(parks))
    assert comments.count() == 4
    assert set(comments.values_list("status", flat=True)) == {ModerationStatus.PENDING}
    assert comments.filter(answer__text__startswith="+1 for more trees").exists()

    assert run(SLUG, sample).strip() == f"Imported 0 responses ({SAMPLE_SIZE} already imported)"
    assert imported(parks).count() == SAMPLE_SIZE
    assert PageLogEntry.objects.filter(action=IMPORT_RESPONSES).count() == 1


def test_the_sample_differs_from_the_committed_file_only_in_its_dates(parks):
    def rows(content):
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))

    committed = rows(demo.PAPER_RESPONSES_SAMPLE.read_bytes())
    dated = rows(demo.paper_responses_sample(parks))
    assert len(committed) == len(dated) == SAMPLE_SIZE + 2
    assert parks.slug == demo.PAPER_RESPONSES_CONSULTATION
    for before, after in zip(committed, dated, strict=True):
        assert before[:1] + before[2:] == after[:1] + after[2:]


def test_an_import_is_logged_as_from_the_command_line(parks, tmp_path):
    path = tmp_path / "email.csv"
    path.write_bytes(spreadsheet(parks, [answers_row(parks, "PARKS-E0001")]))
    run(SLUG, path, "--channel", "email")
    assert imported(parks).get().channel == Channel.EMAIL
    entry = PageLogEntry.objects.get(action=IMPORT_RESPONSES)
    assert entry.user is None
    assert entry.data == {
        "new": 1,
        "skipped": 0,
        "channel": "email",
        "file_name": "email.csv",
        "format": "csv",
        "source": "command line",
    }


def test_a_file_with_errors_is_refused_with_each_row_and_reason(parks, tmp_path):
    path = tmp_path / "paper.xlsx"
    rows = [answers_row(parks, "PARKS-P0001"), answers_row(parks, "PARKS-P0002")]
    rows[1][AGREEMENT] = "Quite agree"
    path.write_bytes(spreadsheet(parks, rows, "xlsx"))
    with pytest.raises(CommandError) as refused:
        run(SLUG, path)
    message = str(refused.value)
    assert "Nothing was imported: the file has 1 problem." in message
    assert "Row 4 (PARKS-P0002), Q2 " in message
    assert "‘Quite agree’ is not one of the answers" in message
    assert not imported(parks).exists()


def test_unknown_consultations_and_file_types_are_refused(parks, tmp_path):
    with pytest.raises(CommandError, match="No consultation has the slug"):
        run("no-such-consultation", tmp_path / "paper.csv")
    with pytest.raises(CommandError, match="is not a .csv, .xlsx or .ods file"):
        run(SLUG, tmp_path / "paper.txt")
    with pytest.raises(CommandError, match="could not be read"):
        run(SLUG, tmp_path / "missing.csv")
