"""`manage.py export_responses`: the same files as the admin's export, and an audit-log entry."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from wagtail.models import PageLogEntry

from consultations.models import ConsultationPage, Response
from consultations.spreadsheets.log_actions import EXPORT_RESPONSES
from portal.spreadsheets import read_rows
from tests.consultations.test_export_admin import (
    EVERY_RESIDENT_WORD,
    ORIGINAL,
    REDACTED,
    make_responses,
    make_survey,
    refs,
)

DEMO = "parks-and-green-spaces-strategy"


@pytest.fixture
def survey(db):
    return make_survey()


@pytest.fixture
def survey_responses(survey):
    return make_responses(survey)


def export(*args):
    out = io.StringIO()
    call_command("export_responses", *args, stdout=out)
    return out.getvalue()


def rows_of(path, file_format):
    return [cells for _n, cells, _f in read_rows(path.read_bytes(), file_format, 1000)]


def test_the_command_writes_each_format_of_the_demo_consultation(demo_site, tmp_path):
    consultation = ConsultationPage.objects.get(slug=DEMO)
    expected = set(
        Response.objects.filter(consultation=consultation).values_list("reference", flat=True)
    )
    assert expected

    for file_format in ["csv", "xlsx", "ods"]:
        path = tmp_path / f"parks.{file_format}"
        said = export(DEMO, "--format", file_format, "--output", str(path))

        assert f"Exported {len(expected)} responses to {path}" in said
        rows = rows_of(path, file_format)
        assert {row[rows[1].index("reference")] for row in rows[2:]} == expected
        assert "email" not in rows[1]
    assert path.read_bytes().startswith(b"PK")
    assert (tmp_path / "parks.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    workbook = openpyxl.load_workbook(tmp_path / "parks.xlsx", read_only=True)
    assert workbook.sheetnames == ["Responses", "Columns"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["parks.csv", "parks.ods", "parks.xlsx"]

    entries = PageLogEntry.objects.filter(action=EXPORT_RESPONSES, page=consultation)
    assert [entry.data["format"] for entry in entries.order_by("pk")] == ["csv", "xlsx", "ods"]
    for entry in entries:
        assert entry.user is None
        assert entry.data["source"] == "command line"
        assert entry.data["rows"] == len(expected)
        assert entry.data["personal_data"] is False


def test_the_format_comes_from_the_file_name_when_not_given(survey_responses, tmp_path):
    path = tmp_path / "survey.xlsx"

    export("survey", "--output", str(path))

    rows = rows_of(path, "xlsx")
    assert {row[0] for row in rows[2:]} == refs(*survey_responses)


def test_moderated_text_unless_personal_data_is_asked_for(survey_responses, tmp_path):
    plain, personal = tmp_path / "plain.csv", tmp_path / "personal.csv"

    export("survey", "--output", str(plain))
    said = export("survey", "--output", str(personal), "--personal-data")

    assert REDACTED in plain.read_text("utf-8-sig")
    assert ORIGINAL not in plain.read_text("utf-8-sig")
    assert "email" in rows_of(personal, "csv")[1]
    assert ORIGINAL in personal.read_text("utf-8-sig")
    assert "with personal data" in said
    entry = PageLogEntry.objects.filter(action=EXPORT_RESPONSES).latest("pk")
    assert entry.data["personal_data"] is True
    assert not any(words in str(entry.data) for words in EVERY_RESIDENT_WORD)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-consultation", "--output", "x.csv"], "No consultation has the slug"),
        (["survey", "--format", "pdf", "--output", "x.pdf"], "Unknown format ‘pdf’"),
        (["survey", "--output", "responses"], "Say which format"),
        (["survey", "--output", "/no/such/folder/x.csv"], "There is no folder"),
    ],
)
def test_clear_errors_and_no_file(survey, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)

    with pytest.raises(CommandError, match=message):
        export(*args)

    assert not list(tmp_path.iterdir())
    assert not PageLogEntry.objects.filter(action=EXPORT_RESPONSES).exists()
