"""Export → import holds whatever moderators have done to the words (decision 0002, "Round trips"),
budget columns never show a negative "still to find", and workbooks hold real date cells."""

import io
import uuid
import zipfile
from datetime import datetime

import openpyxl
import pytest
from django.utils import timezone

from budget_simulator.calculation import calculate
from budget_simulator.spreadsheet_columns import pounds
from consultations.journey import questions_of
from consultations.models import Answer, Comment, ModerationStatus, OutcomeQuote, Response
from consultations.responses import submit_response
from consultations.spreadsheets.exports import ResponsesExport
from consultations.spreadsheets.imports import import_responses
from consultations.spreadsheets.layout import HEADER_ROWS, layout_for
from portal.spreadsheets import (
    WorkbookSheet,
    cell_text,
    read_rows,
    write_csv,
    write_ods,
    write_xlsx,
)
from tests.consultations.test_spreadsheets import (  # noqa: F401
    HOSTILE_WORDS,
    answered,
    budget,
    exported,
    full_answers,
    respond,
)

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx", "ods"]
PENDING, REJECTED = "[waiting for moderation]", "[rejected]"


def text_columns(page):
    """The free-text question's column and the single choice's "Other" column."""
    layout = layout_for(page)
    free_text = next(c for c in layout.columns if c.kind == "text")
    other = next(c for c in layout.columns if c.kind == "other")
    return free_text, other


@pytest.fixture
def moderated(answered):  # noqa: F811
    """Comments in every state, in free text and in "Other": responses 1, 3 and 5 answered
    "Other", so each of pending, redacted and rejected has an "Other" comment and a free-text one.
    """
    free_text, other = text_columns(answered)
    statuses = {}
    for question_id in (free_text.question_id, other.question_id):
        comments = list(
            Comment.objects.filter(consultation=answered, question_id=question_id).order_by(
                "answer__response__submitted_at"
            )
        )
        for comment, status in zip(
            comments,
            [
                ModerationStatus.PENDING,
                ModerationStatus.REDACTED,
                ModerationStatus.REJECTED,
                ModerationStatus.APPROVED,
            ]
            * 2,
            strict=False,
        ):
            public = "[removed] by moderators" if status == ModerationStatus.REDACTED else ""
            if status == ModerationStatus.APPROVED:
                public = comment.answer.text
            Comment.objects.filter(pk=comment.pk).update(status=status, public_text=public)
            statuses.setdefault(question_id, set()).add(status)
    assert statuses[other.question_id] >= {
        ModerationStatus.PENDING,
        ModerationStatus.REDACTED,
        ModerationStatus.REJECTED,
    }
    return answered


def data_rows(content, file_format):
    rows = [cells for _n, cells, _f in read_rows(content, file_format, 500)]
    keys = rows[1]
    return [
        dict(zip(keys, [cell_text(cell) for cell in row], strict=False))
        for row in rows[HEADER_ROWS:]
    ]


def stored_answers(page):
    """Every response's answers, as rows a comparison can see, by reference."""
    return sorted(
        Answer.objects.filter(response__consultation=page).values_list(
            "response__reference",
            "response__submitted_at",
            "question_id",
            "part",
            "option",
            "text",
            "number",
        )
    )


def forget_responses(page):
    """The consultation as a fresh copy would be: the same questions, no responses."""
    OutcomeQuote.objects.all().delete()
    Response.objects.filter(consultation=page).delete()


# Marks for words not published ------------------------------------------------------------------


def test_an_export_without_personal_data_marks_words_waiting_or_rejected_in_both_columns(
    moderated,
):
    free_text, other = text_columns(moderated)
    statuses = {
        (comment.answer.response.reference, comment.question_id): comment
        for comment in Comment.objects.filter(consultation=moderated).select_related(
            "answer__response"
        )
    }
    rows = data_rows(exported(moderated, "csv"), "csv")
    seen = set()
    for row in rows:
        for column in (free_text, other):
            comment = statuses.get((row["reference"], column.question_id))
            if comment is None:
                continue
            expected = {
                ModerationStatus.PENDING: PENDING,
                ModerationStatus.REJECTED: REJECTED,
                ModerationStatus.REDACTED: "[removed] by moderators",
                ModerationStatus.APPROVED: comment.answer.text,
            }[comment.status]
            assert row[column.key] == expected
            seen.add((column.kind, comment.status))
    assert {("other", ModerationStatus.PENDING), ("other", ModerationStatus.REJECTED)} <= seen


def test_the_columns_sheet_explains_the_marks(moderated):
    sheet = dict((row[0], row[3]) for row in layout_for(moderated).dictionary_rows()[1:] if row[0])
    free_text, other = text_columns(moderated)
    for column in (free_text, other):
        assert PENDING in sheet[column.key] and REJECTED in sheet[column.key]


@pytest.mark.parametrize("file_format", FORMATS)
def test_importing_an_export_without_personal_data_into_its_consultation_adds_nothing(
    moderated, file_format
):
    before = stored_answers(moderated)
    content = exported(moderated, file_format)
    assert PENDING.encode() in content or file_format != "csv"

    report = import_responses(moderated, content, file_format, dry_run=False)

    assert (report.errors, report.file_errors) == ([], [])
    assert (report.new, report.skipped) == (0, len(HOSTILE_WORDS))
    assert stored_answers(moderated) == before


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_new_reference_with_a_mark_is_refused_naming_the_mark(moderated, file_format):
    content = exported(moderated, file_format)
    forget_responses(moderated)

    report = import_responses(moderated, content, file_format, dry_run=True)

    messages = [message for _row, _heading, message in report.errors]
    assert any(
        message.startswith(f"‘{PENDING}’ stands for words still waiting") for message in messages
    )
    assert any(
        message.startswith(f"‘{REJECTED}’ stands for words moderators rejected")
        for message in messages
    )
    assert all("export made with personal data" in message for message in messages)
    headings = {heading for _row, heading, _message in report.errors}
    assert any(heading.endswith("other answer") for heading in headings)


def test_a_mark_is_refused_in_any_case_and_spacing(moderated):
    rows = list(ResponsesExport(moderated).rows())
    forget_responses(moderated)
    free_text, _other = text_columns(moderated)
    column = rows[1].index(free_text.key)
    rows = rows[: HEADER_ROWS + 1]
    rows[-1][column] = "  [Waiting  for Moderation] "
    buffer = io.BytesIO()
    write_csv(rows, buffer)

    report = import_responses(moderated, buffer.getvalue(), "csv", dry_run=True)

    (message,) = [m for _row, heading, m in report.errors if heading == free_text.heading]
    assert message.startswith("‘[Waiting  for Moderation]’ stands for words still waiting")


# Identical answers with personal data -----------------------------------------------------------


@pytest.mark.parametrize("file_format", FORMATS)
def test_an_export_with_personal_data_imports_into_a_fresh_copy_with_identical_answers(
    moderated, file_format
):
    before = stored_answers(moderated)
    rows_before = list(ResponsesExport(moderated, personal_data=True).rows())
    content = exported(moderated, file_format, personal_data=True)
    forget_responses(moderated)

    report = import_responses(moderated, content, file_format, dry_run=False)

    assert (report.errors, report.file_errors, report.new) == ([], [], len(HOSTILE_WORDS))
    after = stored_answers(moderated)
    assert [row[:1] + row[2:] for row in after] == [row[:1] + row[2:] for row in before]
    # Submitted at comes back to the second, from ISO text or a workbook's date cell.
    assert [(row[0], row[1].replace(microsecond=0)) for row in after] == [
        (row[0], row[1].replace(microsecond=0)) for row in before
    ]
    email = rows_before[1].index("email")
    for row in rows_before[HEADER_ROWS:]:
        row[email] = None
    assert list(ResponsesExport(moderated, personal_data=True).rows()) == rows_before


# Budget columns ---------------------------------------------------------------------------------


def beating_the_target(page):
    """A response whose simulator answer finds more than the savings target."""
    answers = full_answers(page, 0, "We can do better")
    for question in questions_of(page).values():
        if question.type == "budget_simulator":
            spec = question.block.spec(question.value)
            lines = {lever.id: lever.lowest_bp() for lever in spec.lines}
            revenue = {lever.id: lever.levels()[-1] for lever in spec.revenue}
            found = calculate(spec, lines, revenue).savings_found_pence
            assert found > spec.target_pence
            answers[question.id] = {
                "lines": lines,
                "revenue": revenue,
                "savings_found_pence": found,
            }
            return answers, question.id, spec, found
    raise AssertionError("the consultation has no budget simulator")


@pytest.fixture
def generous(budget):  # noqa: F811
    answers, question_id, spec, found = beating_the_target(budget)
    submit_response(budget, questions_of(budget), answers, token=uuid.uuid4())
    return budget, question_id, spec, found


def test_a_resident_who_beats_the_target_has_nothing_still_to_find_and_the_rest_beyond_it(
    generous,
):
    page, qid, spec, found = generous
    (row,) = data_rows(exported(page, "csv"), "csv")
    assert row[f"{qid}:still_to_find"] == "0"
    assert row[f"{qid}:beyond_target"] == str(pounds(found - spec.target_pence))
    headings = dict(zip(layout_for(page).keys, layout_for(page).header_rows()[0], strict=True))
    assert headings[f"{qid}:beyond_target"].endswith("found beyond target (£)")


@pytest.mark.parametrize("file_format", FORMATS)
def test_worked_out_budget_columns_are_ignored_on_import_whatever_they_say(generous, file_format):
    page, qid, _spec, _found = generous
    rows = list(ResponsesExport(page, personal_data=True).rows())
    forget_responses(page)
    for key in ("savings_found", "still_to_find", "beyond_target"):
        rows[HEADER_ROWS][rows[1].index(f"{qid}:{key}")] = "not a number"
    buffer = io.BytesIO()
    if file_format == "csv":
        write_csv(rows, buffer)
    else:
        writer = write_xlsx if file_format == "xlsx" else write_ods
        writer([WorkbookSheet("Responses", rows, header_rows=HEADER_ROWS)], buffer)

    report = import_responses(page, buffer.getvalue(), file_format, dry_run=False)

    assert (report.errors, report.new) == ([], 1)
    assert any(h.endswith("found beyond target (£)") for h in report.ignored_headings)
    (row,) = data_rows(exported(page, "csv"), "csv")
    assert row[f"{qid}:still_to_find"] == "0"


# Dates in workbooks -----------------------------------------------------------------------------


def test_xlsx_submitted_at_is_a_date_cell_in_london_time(answered):  # noqa: F811
    content = exported(answered, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Responses"]
    newest = Response.objects.filter(consultation=answered).order_by("submitted_at").last()
    cells = {row[0].value: row[1] for row in sheet.iter_rows(min_row=HEADER_ROWS + 1)}
    cell = cells[newest.reference]
    assert cell.is_date and cell.number_format == "yyyy-mm-dd hh:mm:ss"
    local = timezone.localtime(newest.submitted_at, timezone.get_default_timezone())
    assert cell.value == local.replace(tzinfo=None, microsecond=0)
    columns = {
        row[0].value: row[3].value
        for row in openpyxl.load_workbook(io.BytesIO(content))["Columns"].iter_rows(min_row=2)
    }
    assert "Europe/London" in columns["submitted_at"]


def test_ods_submitted_at_is_a_date_cell_in_london_time(answered):  # noqa: F811
    content = exported(answered, "ods")
    xml = zipfile.ZipFile(io.BytesIO(content)).read("content.xml").decode()
    newest = Response.objects.filter(consultation=answered).order_by("submitted_at").last()
    local = timezone.localtime(newest.submitted_at).replace(tzinfo=None, microsecond=0)
    assert f'office:value-type="date" office:date-value="{local.isoformat()}"' in xml


def test_a_summer_time_response_keeps_its_moment_through_every_format(answered):  # noqa: F811
    """Workbooks hold British Summer Time as clocks show it; the import puts the offset back."""
    newest = Response.objects.filter(consultation=answered).order_by("submitted_at").last()
    now = timezone.localtime()
    year = now.year if now.month > 7 else now.year - 1
    summer = timezone.make_aware(datetime(year, 7, 1, 23, 30, 15))
    answered.opens_at = min(answered.opens_at, summer)
    answered.save(update_fields=["opens_at"])
    Response.objects.filter(pk=newest.pk).update(submitted_at=summer)
    for file_format in FORMATS:
        content = exported(answered, file_format, personal_data=True)
        forget_responses(answered)
        report = import_responses(answered, content, file_format, dry_run=False)
        assert not report.has_errors, report.errors
        assert Response.objects.get(reference=newest.reference).submitted_at == summer
