"""A real spreadsheet program opens our exports: LibreOffice (headless) turns the XLSX and the ODS
into CSV, which must hold exactly what our own CSV export holds, formula-safe text included, with
"Submitted at" read as a real date-and-time cell in UK time.

`make test` installs LibreOffice Calc when it is missing (apt package libreoffice-calc-nogui).
"""

import csv
import io
import shutil
import subprocess
from datetime import datetime

import pytest
from django.utils import timezone

from consultations.spreadsheets.exports import ResponsesExport
from consultations.spreadsheets.layout import HEADER_ROWS
from tests.consultations.test_spreadsheets import PLANTED, answered, budget, planted  # noqa: F401

pytestmark = pytest.mark.django_db

SOFFICE = shutil.which("soffice")


def converted_to_csv(content, file_format, tmp_path):
    """The first sheet of `content` as CSV rows, as LibreOffice reads it."""
    assert SOFFICE, (
        "LibreOffice is not installed: `make test` installs it "
        "(apt-get install -y libreoffice-calc-nogui)"
    )
    source = tmp_path / f"responses.{file_format}"
    source.write_bytes(content)
    # Comma separated, double quotes, UTF-8 (76), every text cell as shown.
    subprocess.run(  # noqa: S603
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = (tmp_path / "out" / "responses.csv").read_text(encoding="utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def our_csv(page):
    buffer = io.BytesIO()
    ResponsesExport(page, personal_data=True).write("csv", buffer)
    return list(csv.reader(io.StringIO(buffer.getvalue().decode("utf-8-sig"), newline="")))


def as_workbooks_show(rows):
    """Our CSV with "Submitted at" as a workbook's date cell shows it: UK clock time, no offset
    (the cell holds no time zone), in the format the cell asks for."""
    when = rows[1].index("submitted_at")
    shown = [list(row) for row in rows]
    for row in shown[HEADER_ROWS:]:
        moment = timezone.localtime(datetime.fromisoformat(row[when]))
        row[when] = f"{moment:%Y-%m-%d %H:%M:%S}"
    return shown


@pytest.mark.parametrize("file_format", ["xlsx", "ods"])
def test_libreoffice_opens_the_export_and_sees_what_the_csv_holds(
    planted,  # noqa: F811
    file_format,
    tmp_path,
):
    buffer = io.BytesIO()
    ResponsesExport(planted, personal_data=True).write(file_format, buffer)

    opened = converted_to_csv(buffer.getvalue(), file_format, tmp_path)
    expected = as_workbooks_show(our_csv(planted))

    def same(text):  # a carriage return in a cell comes back as a line feed
        return text.replace("\r\n", "\n").replace("\r", "\n")

    assert len(opened) == len(expected)
    for ours, theirs in zip(expected, opened, strict=True):
        assert [same(cell) for cell in theirs] == [same(cell) for cell in ours]
    # Hostile words arrive as text, quoted, never as a formula's result.
    cells = {cell for row in opened for cell in row}
    assert "'" + PLANTED[0] in cells
