"""Spreadsheet files in and out, safely, for every app: CSV (UTF-8), XLSX and ODS.

Officers open what we write in Excel or LibreOffice, so no cell we write may start a formula
(OWASP "CSV injection"): text that begins with = + - @ (or their full-width, small, superscript
and subscript forms, which some spreadsheets read as the ASCII ones), with spaces before any of
them, or with a tab, CR or LF gets a leading apostrophe, in every format, and reading our own
file back takes it off again. import-export's own escaping (IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT)
removes one leading "=" and nothing else ("==1+1" still exports as "=1+1"; + - @ tab CR are left
alone), and openpyxl writes any string that starts with "=" as a formula, so we do it here.

A datetime is written as each format's own: ISO 8601 text with its UTC offset in CSV; in XLSX and
ODS a date-and-time cell holding the local (Europe/London) time, since those cells hold no time
zone. Reading gives such a cell back as a naive datetime, to the second.

Reading is bounded: a few hundred bytes of zipped XML can declare a million rows, so every row
read counts against MAX_SHEET_ROWS and every cell against MAX_SHEET_CELLS, empty or not, before
anyone skips the blank ones; an upload over either limit is refused with a message naming it.

Writers take rows as iterables and never hold a whole file's rows in memory: CSV is yielded in
chunks for a streamed response; XLSX and ODS are written as XML straight into the zip. We write
both workbook formats ourselves (a note we owe the conventions): tablib's ODS (odfpy) builds the
whole document tree in memory and its reader drops repeated empty cells, shifting columns; and
openpyxl's write-only XLSX took 169 s for 100,000 responses where the target is 60 s.
"""

import csv
import io
import zipfile
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import timezone

# A cell starting with one of these may run as a formula when a spreadsheet opens the file.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Every character Unicode's compatibility mapping (NFKC) turns into = + - or @: full-width
# (＝ ＋ － ＠, typed with a Japanese or Chinese keyboard), small, superscript and subscript forms.
FORMULA_CHARACTERS = frozenset(
    "=+-@\u207a\u207c\u208a\u208c\ufb29\ufe62\ufe63\ufe66\ufe6b\uff0b\uff0d\uff1d\uff20"
)
# Characters a spreadsheet may skip before a formula: these and everything str.isspace() says.
INVISIBLE = frozenset("\u180e\u200b\u200c\u200d\u2060\ufeff")

MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# Every upload is read within a request: these bound its work whatever the file declares.
MAX_SHEET_ROWS = 10_000  # rows read, empty ones included (a run of repeated empty ODS rows is one)
MAX_SHEET_CELLS = 2_000_000  # cells read, up to the last filled one in each row
MAX_CELL_CHARACTERS = 32_767  # the most a cell holds in Excel and LibreOffice

FORMATS = {
    "csv": ("CSV (UTF-8, opens in Excel)", "text/csv; charset=utf-8"),
    "xlsx": (
        "Excel workbook (.xlsx)",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "ods": (
        "OpenDocument spreadsheet (.ods, LibreOffice)",
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
}


class SpreadsheetError(Exception):
    """The file as a whole cannot be read (wrong type, no headings, unknown columns…)."""

    def __init__(self, messages):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__(" ".join(self.messages))


# Cells: neutralising formulae on the way out, undoing it on the way in ------------------------


def starts_formula(text):
    """Whether a spreadsheet could read `text` as a formula: it starts with a tab, CR or LF, or
    its first character after any spaces is = + - or @ in any of their forms."""
    if not text:
        return False
    if text[0] in "\t\r\n":
        return True
    for character in text:
        if character in FORMULA_CHARACTERS:
            return True
        if not (character.isspace() or character in INVISIBLE):
            return False
    return False


def _escaped(value):
    """Whether `neutralise` puts an apostrophe before `value` (so `restore` can undo it)."""
    return starts_formula(value) or (
        value[:1] == "'" and len(value) > 1 and (value[1] == "'" or starts_formula(value[1:]))
    )


def neutralise(value):
    """Text that a spreadsheet could run as a formula gets a leading apostrophe; numbers stay.

    A value that already starts with an apostrophe before such text (or another apostrophe) is
    escaped too, so `restore` always gives back exactly the stored text.
    """
    if not isinstance(value, str) or not value:
        return value
    return "'" + value if _escaped(value) else value


def restore(text):
    """Undo `neutralise`: drop the apostrophe we put before a formula character."""
    if text[:1] == "'" and len(text) > 1 and (text[1] == "'" or starts_formula(text[1:])):
        return text[1:]
    return text


def cell_text(value):
    """A cell as trimmed text: spreadsheets hand us numbers and dates in text columns too."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return restore(str(value).strip())


def _written(value):
    """What a writer puts in a cell: numbers as numbers, a datetime as a datetime (each format
    writes its own kind of date), everything else as neutralised text."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float | Decimal | datetime):
        return value
    return neutralise(str(value))


def _csv_value(value):
    value = _written(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")  # with its UTC offset, when it has one
    return value


def _wall_clock(moment):
    """A datetime as workbook cells hold it: no time zone, so the local (Europe/London) time."""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.replace(tzinfo=None, microsecond=0)


# Excel counts days from 30 December 1899 (its serial dates, with the 1900 leap-year quirk).
EXCEL_EPOCH = datetime(1899, 12, 30)


def _excel_serial(moment):
    elapsed = _wall_clock(moment) - EXCEL_EPOCH
    return Decimal(elapsed.days) + Decimal(elapsed.seconds) / Decimal(86400)


# Reading files ---------------------------------------------------------------------------------


def file_format_of(name):
    """'csv', 'xlsx' or 'ods' from a file name, or None."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return suffix if suffix in FORMATS else None


def read_rows(
    content, file_format, max_columns, max_rows=MAX_SHEET_ROWS, max_cells=MAX_SHEET_CELLS
):
    """(row number, cells, number formats) for each row of the first sheet of CSV, XLSX or ODS.

    Cells are str for CSV; numbers, dates and text as the workbook typed them otherwise, each row
    up to its last filled cell. Number formats (Excel's, e.g. "0%") come with XLSX only, else
    None. Raises SpreadsheetError with a message an officer can act on, as soon as the sheet
    goes past `max_rows` rows or `max_cells` cells, empty rows and cells included.
    """
    if not content:
        raise SpreadsheetError("The file is empty.")
    if file_format == "csv":
        rows = _csv_rows(content)
    elif file_format == "xlsx":
        rows = _xlsx_rows(content, max_columns)
    elif file_format == "ods":
        rows = _ods_rows(content, max_columns)
    else:
        raise SpreadsheetError("Upload a .csv, .xlsx or .ods file.")
    return _bounded(rows, max_rows, max_cells)


def _bounded(rows, max_rows, max_cells):
    """The rows, refused once there are too many of them or of their cells: counted as read,
    before any reader or caller skips the empty ones."""
    cells_read = 0
    try:
        for count, (number, cells, formats) in enumerate(rows, 1):
            if count > max_rows:
                raise SpreadsheetError(
                    f"The sheet goes on for more than {max_rows:,} rows, counting empty rows "
                    f"(the most we read is {max_rows:,}). Delete the empty rows between and "
                    "under your data, or split the file into smaller ones."
                )
            cells_read += len(cells)
            if cells_read > max_cells:
                raise SpreadsheetError(
                    f"The sheet has more than {max_cells:,} cells, counting empty cells "
                    f"(the most we read is {max_cells:,}). Delete the columns and rows you do "
                    "not need, or split the file into smaller ones."
                )
            yield number, cells, formats
    finally:
        rows.close()


def _csv_rows(content):
    if content.startswith(b"PK\x03\x04") or b"\x00" in content[:4096]:
        raise SpreadsheetError(
            "This is not a CSV file (it looks like a spreadsheet workbook). Save it as "
            "‘CSV UTF-8 (comma delimited)’, or upload it with the .xlsx or .ods extension."
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SpreadsheetError(
            "The file is not UTF-8 text. In Excel, choose ‘Save as’ and then "
            "‘CSV UTF-8 (comma delimited)’."
        ) from error
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for number, row in enumerate(reader, 1):
            yield number, list(row), None
    except csv.Error as error:
        raise SpreadsheetError(
            f"Row {reader.line_num} could not be read as CSV: {error}."
        ) from error


NOT_A_WORKBOOK = {
    ".xlsx": "This is not an .xlsx workbook. Older .xls files need saving as .xlsx first.",
    ".ods": "This is not an .ods spreadsheet. Save it again from LibreOffice as .ods.",
}


def _open_zip(content, kind):
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as error:
        raise SpreadsheetError(NOT_A_WORKBOOK[kind]) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise SpreadsheetError(
            "The workbook is too large once unpacked. Split it into smaller files."
        )
    return archive


def _xlsx_rows(content, max_columns):
    import openpyxl
    from openpyxl.cell.read_only import EMPTY_CELL

    _open_zip(content, ".xlsx")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of error for damaged files
        raise SpreadsheetError(
            "The workbook could not be opened. Save it again from your spreadsheet program as "
            ".xlsx, or as CSV UTF-8."
        ) from error
    try:
        sheet = workbook.worksheets[0]
        # The size the file declares may be anything (A1:XFD1048576): read the rows it has.
        sheet.reset_dimensions()
        # openpyxl gives an empty row for each one missing between two rows in the file: they
        # count against the limit like any other row.
        for number, row in enumerate(sheet.iter_rows(max_col=max_columns), 1):
            if all(cell is EMPTY_CELL for cell in row):  # quick, for the gaps openpyxl fills
                yield number, [], []
                continue
            values = [_to_the_second(cell.value) for cell in row]
            while values and _blank(values[-1]):
                values.pop()
            formats = [getattr(cell, "number_format", None) or "" for cell in row[: len(values)]]
            yield number, values, formats
    finally:
        workbook.close()


def _to_the_second(value):
    """Excel keeps a time as a fraction of a day: undo the float's rounding error."""
    if isinstance(value, datetime) and value.microsecond:
        value = value.replace(microsecond=0) + timedelta(seconds=round(value.microsecond / 1e6))
    return value


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
ODS_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


class _TooLong(Exception):
    """A cell's text, spaces expanded, is longer than any spreadsheet cell can be."""


def _ods_text(element, room=MAX_CELL_CHARACTERS):
    """The text of an ODS paragraph, with its coded spaces, tabs and line breaks, refused once
    longer than `room` (`<text:s text:c="1000000000"/>` is a gigabyte of spaces)."""
    parts, length = [], 0

    def add(text):
        nonlocal length
        length += len(text)
        if length > room:
            raise _TooLong
        parts.append(text)

    add(element.text or "")
    for child in element:
        if child.tag == f"{ODS_TEXT}s":
            spaces = int(child.get(f"{ODS_TEXT}c", "1"))
            if spaces > room - length:
                raise _TooLong
            add(" " * max(spaces, 0))
        elif child.tag == f"{ODS_TEXT}tab":
            add("\t")
        elif child.tag == f"{ODS_TEXT}line-break":
            add("\n")
        else:
            add(_ods_text(child, room - length))
        add(child.tail or "")
    return "".join(parts)


def _ods_cell_value(cell):
    kind = cell.get(f"{ODS_OFFICE}value-type")
    if kind in {"float", "percentage", "currency"}:
        return Decimal(cell.get(f"{ODS_OFFICE}value"))
    if kind == "boolean":
        return cell.get(f"{ODS_OFFICE}boolean-value") == "true"
    if kind == "date":
        return _ods_date(cell.get(f"{ODS_OFFICE}date-value"))
    paragraphs, room = [], MAX_CELL_CHARACTERS
    for paragraph in cell.findall(f"{ODS_TEXT}p"):
        paragraphs.append(_ods_text(paragraph, room))
        room -= len(paragraphs[-1]) + 1
    return "\n".join(paragraphs) if paragraphs else None


def _ods_date(text):
    """An ODS date value as a date or (naive) datetime, like openpyxl gives for XLSX; text that
    is neither stays text for the caller to judge."""
    try:
        return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)
    except (TypeError, ValueError):
        return text


def _ods_rows(content, max_columns):
    from defusedxml.ElementTree import iterparse

    archive = _open_zip(content, ".ods")
    try:
        stream = archive.open("content.xml")
    except KeyError as error:
        raise SpreadsheetError("This .ods file has no sheet in it.") from error
    number = 0
    try:
        for _event, element in iterparse(stream, events=("end",)):
            if element.tag == f"{ODS_TABLE}table":
                break  # the first sheet only
            if element.tag != f"{ODS_TABLE}table-row":
                continue
            cells = []
            for cell in element:
                if cell.tag not in {f"{ODS_TABLE}table-cell", f"{ODS_TABLE}covered-table-cell"}:
                    continue
                repeat = int(cell.get(f"{ODS_TABLE}number-columns-repeated", "1"))
                try:
                    value = _ods_cell_value(cell)
                except _TooLong:
                    raise SpreadsheetError(
                        f"A cell in row {number + 1} holds more than {MAX_CELL_CHARACTERS:,} "
                        "characters, the most a spreadsheet cell can hold."
                    ) from None
                cells.extend([value] * max(0, min(repeat, max_columns - len(cells))))
                if len(cells) >= max_columns:
                    break
            while cells and _blank(cells[-1]):
                cells.pop()
            # LibreOffice ends every sheet with a million repeated empty rows: a run of empty
            # rows is read once. A repeated row with something in it is read (and counted) as
            # many times as it is repeated.
            repeat_rows = max(1, int(element.get(f"{ODS_TABLE}number-rows-repeated", "1")))
            for _ in range(repeat_rows if cells else 1):
                number += 1
                yield number, list(cells), None
            if not cells:
                number += repeat_rows - 1
            element.clear()
    except SpreadsheetError:
        raise
    except Exception as error:  # malformed XML, entities refused by defusedxml, bad numbers
        raise SpreadsheetError(
            "The .ods file could not be read. Save it again from LibreOffice and try again."
        ) from error


# Writing files ---------------------------------------------------------------------------------


def csv_chunks(rows, chunk_bytes=64 * 1024):
    """CSV as UTF-8 with a byte-order mark (so Excel reads accents and £), in chunks of bytes."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    yield "\ufeff".encode()
    for row in rows:
        writer.writerow([_csv_value(cell) for cell in row])
        if buffer.tell() >= chunk_bytes:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()


def write_csv(rows, target):
    for chunk in csv_chunks(rows):
        target.write(chunk)


class WorkbookSheet:
    """One sheet to write: its name, its rows (an iterable, read once), how many header rows to
    show in bold and freeze, and optional column widths."""

    def __init__(self, name, rows, header_rows=1, widths=None):
        self.name = name
        self.rows = rows
        self.header_rows = header_rows
        self.widths = widths or []


XLSX_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XLSX_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XLSX_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Cell styles (styles.xml's cellXfs, by position): 0 plain, 1 bold heading, 2 wrapped text,
# 3 date and time (a serial number shown as 2026-03-14 10:30:00).
XLSX_STYLES = (
    f'{XML_HEAD}<styleSheet xmlns="{XLSX_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _column_letters(count):
    letters = []
    for number in range(1, count + 1):
        name = ""
        while number:
            number, remainder = divmod(number - 1, 26)
            name = chr(65 + remainder) + name
        letters.append(name)
    return letters


def _xlsx_cell(reference, value, style):
    value = _written(value)
    if value is None:
        return ""
    if isinstance(value, str):
        text = escape(value.translate(XML_ILLEGAL))
        style = 2 if (style == 0 and "\n" in value) else style
        styled = f' s="{style}"' if style else ""
        return (
            f'<c r="{reference}" t="inlineStr"{styled}>'
            f'<is><t xml:space="preserve">{text}</t></is></c>'
        )
    if isinstance(value, datetime):
        value, style = _excel_serial(value), 3
    number = format(value, "f") if isinstance(value, Decimal) else repr(value)
    styled = f' s="{style}"' if style else ""
    return f'<c r="{reference}"{styled}><v>{number}</v></c>'


def _xlsx_sheet(spec, out):
    out.write(
        f'{XML_HEAD}<worksheet xmlns="{XLSX_MAIN}"><sheetViews><sheetView workbookViewId="0">'
    )
    if spec.header_rows:
        out.write(
            f'<pane ySplit="{spec.header_rows}" topLeftCell="A{spec.header_rows + 1}" '
            'activePane="bottomLeft" state="frozen"/>'
        )
    out.write("</sheetView></sheetViews>")
    if spec.widths:
        out.write("<cols>")
        for position, width in enumerate(spec.widths, 1):
            out.write(f'<col min="{position}" max="{position}" width="{width}" customWidth="1"/>')
        out.write("</cols>")
    out.write("<sheetData>")
    letters = []
    for number, row in enumerate(spec.rows, 1):
        row = list(row)
        if len(letters) < len(row):
            letters = _column_letters(len(row))
        style = 1 if number <= spec.header_rows else 0
        out.write(
            f'<row r="{number}">'
            + "".join(
                _xlsx_cell(f"{letters[position]}{number}", value, style)
                for position, value in enumerate(row)
            )
            + "</row>"
        )
    out.write("</sheetData></worksheet>")


def write_xlsx(sheets, target):
    """An Excel workbook written row by row into the zip, in constant memory.

    We write the XML ourselves: openpyxl's write-only mode (which Wagtail's exports use) took
    three times as long for 100,000 responses (bench/bench_exports.py). Text is always an inline
    string cell, never a formula, and is neutralised as well for programs that re-evaluate text.
    """
    sheets = list(sheets)
    names = [escape(spec.name[:31], {'"': "&quot;"}) for spec in sheets]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
            f'ContentType="{XLSX_TYPE}.worksheet+xml"/>'
            for n in range(1, len(sheets) + 1)
        )
        archive.writestr(
            "[Content_Types].xml",
            f'{XML_HEAD}<Types xmlns="{XLSX_PACKAGE}/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{XLSX_TYPE}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{XLSX_TYPE}.styles+xml"/>'
            f"{overrides}</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            f'{XML_HEAD}<Relationships xmlns="{XLSX_PACKAGE}/relationships">'
            f'<Relationship Id="rId1" Type="{XLSX_RELATIONSHIPS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'{XML_HEAD}<workbook xmlns="{XLSX_MAIN}" xmlns:r="{XLSX_RELATIONSHIPS}"><sheets>'
            + "".join(
                f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>'
                for n, name in enumerate(names, 1)
            )
            + "</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'{XML_HEAD}<Relationships xmlns="{XLSX_PACKAGE}/relationships">'
            + "".join(
                f'<Relationship Id="rId{n}" Type="{XLSX_RELATIONSHIPS}/worksheet" '
                f'Target="worksheets/sheet{n}.xml"/>'
                for n in range(1, len(sheets) + 1)
            )
            + f'<Relationship Id="rId{len(sheets) + 1}" Type="{XLSX_RELATIONSHIPS}/styles" '
            'Target="styles.xml"/></Relationships>',
        )
        archive.writestr("xl/styles.xml", XLSX_STYLES)
        for n, spec in enumerate(sheets, 1):
            with archive.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as raw:
                out = io.TextIOWrapper(raw, encoding="utf-8")
                _xlsx_sheet(spec, out)
                out.flush()
                out.detach()


ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" \
manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" \
manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""
ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'office:version="1.2"'
)
ODS_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {ODS_NAMESPACES}>'
    "<office:styles/></office:document-styles>"
)
# A date-and-time cell shown as 2026-03-14 10:30:00, like the XLSX one.
ODS_DATETIME_STYLE = (
    '<number:date-style style:name="when"><number:year number:style="long"/>'
    '<number:text>-</number:text><number:month number:style="long"/>'
    '<number:text>-</number:text><number:day number:style="long"/>'
    '<number:text> </number:text><number:hours number:style="long"/>'
    '<number:text>:</number:text><number:minutes number:style="long"/>'
    '<number:text>:</number:text><number:seconds number:style="long"/></number:date-style>'
    '<style:style style:name="datetime" style:family="table-cell" '
    'style:data-style-name="when"/>'
)
# XML 1.0 allows tab, LF and CR, but no other control characters.
XML_ILLEGAL = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def _ods_cell(value, style=""):
    value = _written(value)
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, str):
        paragraphs = "".join(
            f"<text:p>{escape(line.translate(XML_ILLEGAL))}</text:p>" for line in value.split("\n")
        )
        return (
            f'<table:table-cell{style} office:value-type="string">{paragraphs}</table:table-cell>'
        )
    if isinstance(value, datetime):
        moment = _wall_clock(value)
        return (
            '<table:table-cell table:style-name="datetime" office:value-type="date" '
            f'office:date-value="{moment.isoformat()}">'
            f"<text:p>{moment:%Y-%m-%d %H:%M:%S}</text:p></table:table-cell>"
        )
    number = format(value, "f") if isinstance(value, Decimal) else repr(value)
    return (
        f'<table:table-cell{style} office:value-type="float" office:value="{number}">'
        f"<text:p>{number}</text:p></table:table-cell>"
    )


def write_ods(sheets, target):
    """An OpenDocument spreadsheet written row by row into the zip, in constant memory."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        # The mimetype must come first and uncompressed, so programs can tell what the file is.
        archive.writestr("mimetype", FORMATS["ods"][1], compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST)
        archive.writestr("styles.xml", ODS_STYLES)
        with archive.open("content.xml", "w", force_zip64=True) as raw:
            content = io.TextIOWrapper(raw, encoding="utf-8")
            content.write(
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                f"<office:document-content {ODS_NAMESPACES}>"
                '<office:automatic-styles><style:style style:name="heading" '
                'style:family="table-cell"><style:text-properties fo:font-weight="bold"/>'
                "</style:style>"
                f"{ODS_DATETIME_STYLE}</office:automatic-styles><office:body><office:spreadsheet>"
            )
            for spec in sheets:
                content.write(
                    f'<table:table table:name="{escape(spec.name, {chr(34): "&quot;"})}">'
                )
                for index, row in enumerate(spec.rows):
                    style = ' table:style-name="heading"' if index < spec.header_rows else ""
                    content.write(
                        "<table:table-row>"
                        + "".join(_ods_cell(value, style) for value in row)
                        + "</table:table-row>"
                    )
                content.write("</table:table>")
            content.write("</office:spreadsheet></office:body></office:document-content>")
            content.flush()
            content.detach()
