"""The open-data CSV (consultations/api/tidy.py) escapes formulas by the exports' own rule: the
full-width and space-led forms too, while plain numbers stay numbers."""

import csv
import io

import pytest

from consultations.api.tidy import neutralise, results_csv
from portal.spreadsheets import starts_formula

DISGUISED = ["＝1+1", "＋44 20 7946 0000", "－2+3", "＠SUM(A1)", " =1+1", "\u00a0@SUM(1)"]


@pytest.mark.parametrize("label", DISGUISED)
def test_disguised_formulas_in_the_open_data_get_an_apostrophe(label):
    assert neutralise(label) == "'" + label


@pytest.mark.parametrize(("cell", "shown"), [(-3.5, "-3.5"), ("-3.5", "-3.5"), ("1 + 1", "1 + 1")])
def test_numbers_and_plain_text_stay_as_they_are(cell, shown):
    assert neutralise(cell) == shown


def test_no_open_data_cell_starts_a_formula_however_it_is_written():
    results = {
        "responses": {"total": 30},
        "questions": [
            {
                "id": "q1",
                "question": "＝cmd|' /C calc'!A0",
                "answered": 30,
                "options": [
                    {"key": f"o{n}", "label": label, "count": 10, "percent": 33.3}
                    for n, label in enumerate(DISGUISED)
                ],
            }
        ],
    }
    rows = list(csv.reader(io.StringIO(results_csv(results))))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if starts_formula(cell)]
    assert {"'" + label for label in DISGUISED} <= set(cells)
