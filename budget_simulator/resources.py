"""Service lines as a spreadsheet: the columns, reading CSV/XLSX files, importing and exporting.

Finance teams keep budgets in spreadsheets. One `ServiceLineResource` (django-import-export)
serves one budget: rows match that budget's lines by finance code (case-insensitive, as the
budget editor compares them) or become new lines; lines missing from the file are left alone.
Every cell written out is safe to open in a spreadsheet (OWASP CSV injection), and reading a
file we wrote gives back exactly what was stored, so download → upload changes nothing.
"""

import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Max
from import_export import resources, widgets
from import_export.fields import Field
from import_export.results import RowResult

from budget_simulator.models import ServiceLine
from portal.spreadsheets import (  # noqa: F401 (cell helpers re-exported for the import views)
    FORMULA_TRIGGERS,
    SpreadsheetError,
    WorkbookSheet,
    cell_text,
    csv_chunks,
    neutralise,
    read_rows,
    restore,
)
from portal.spreadsheets import write_xlsx as portal_write_xlsx

MAX_DATA_ROWS = 1000
MAX_COLUMNS = 40
CONSEQUENCE_TEXT_LENGTH = 300


def plain_number(value):
    """1000000.00 → 1000000 and 2.50 → 2.5: how numbers are written out and compared."""
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return value.normalize()


def show_money(value):
    number = plain_number(value)
    if number is None:
        return ""
    sign = "-" if number < 0 else ""
    return f"{sign}£{abs(number):,}" if isinstance(number, int) else f"{sign}£{abs(number):,.2f}"


def show_percent(value):
    number = plain_number(value)
    return "" if number is None else f"{number}%"


NUMBER = r"(?P<sign>[+-])?(?P<pound>£)?(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<fraction>\.\d+)?"


def parse_number(value, money):
    """A plain number, with an optional £ (amounts) or % (percentages) and thousands commas."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or isinstance(value, datetime | date | time):
        raise ValueError(f"‘{cell_text(value)}’ is not a number.")
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        number = Decimal(repr(value))
        if not number.is_finite():
            raise ValueError("This cell is not a number.")
        return number
    text = str(value).strip().replace("\u2212", "-")
    match = re.fullmatch(NUMBER + (r"" if money else r"(?P<percent>%)?"), text)
    if not match or (match["pound"] and not money):
        if money:
            raise ValueError(
                f"‘{text}’ is not an amount of money. Write pounds as a plain number, like "
                "1234567.89, 1,234,567.89 or £1,234,567.89 (not ‘£1.2m’ or ‘1.2 million’)."
            )
        raise ValueError(
            f"‘{text}’ is not a percentage. Write a plain number, like -10, 2.5 or 5%."
        )
    number = Decimal(match["digits"].replace(",", "") + (match["fraction"] or ""))
    return -number if match["sign"] == "-" else number


# Widgets: one cell ⇄ one model value -----------------------------------------------------------


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return cell_text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class NumberWidget(widgets.Widget):
    """Amounts (£) or percentages; written out as numbers so spreadsheets can add them up."""

    def __init__(self, money):
        super().__init__(coerce_to_string=False)
        self.money = money

    def clean(self, value, row=None, **kwargs):
        return parse_number(value, money=self.money)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else plain_number(value)

    def show(self, value):
        return show_money(value) if self.money else show_percent(value)


CONSEQUENCE_LINE = re.compile(r"(?P<change>[+\-\u2212]?\d+(?:\.\d+)?)\s*%?\s*:\s*(?P<text>.*)")
CONSEQUENCE_EXAMPLE = "‘-10%: Libraries open one day less a week’"


class ConsequencesWidget(widgets.Widget):
    """One consequence per line, like `-10%: Libraries open one day less a week`."""

    def clean(self, value, row=None, **kwargs):
        consequences, problems = [], []
        for number, line in enumerate(cell_text(value).splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            match = CONSEQUENCE_LINE.fullmatch(line)
            if not match:
                problems.append(
                    f"Line {number}, ‘{line}’, is not written like {CONSEQUENCE_EXAMPLE}."
                )
                continue
            change = Decimal(match["change"].replace("\u2212", "-"))
            text = match["text"].strip()
            if not text:
                problems.append(f"Line {number} says nothing after ‘{match['change']}%:’.")
            elif len(text) > CONSEQUENCE_TEXT_LENGTH:
                problems.append(
                    f"Line {number} is {len(text)} characters long; the most is "
                    f"{CONSEQUENCE_TEXT_LENGTH}."
                )
            elif abs(change) > 100 or change.as_tuple().exponent < -2:
                problems.append(
                    f"Line {number}: {match['change']}% must be between -100% and 100%, "
                    "with at most 2 decimal places."
                )
            else:
                consequences.append(("consequence", {"change": change, "text": text}))
        if problems:
            raise ValueError(" ".join(problems))
        return consequences

    def render(self, value, obj=None, **kwargs):
        return "\n".join(
            f"{plain_number(child.value['change'])}%: {' '.join(child.value['text'].split())}"
            for child in value or []
        )


class ConsequencesField(Field):
    """Keeps the stored blocks (and their ids) when the cell says the same thing."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        stream = ServiceLine._meta.get_field(self.attribute).to_python(self.clean(row, **kwargs))
        if self.widget.render(stream) != self.widget.render(getattr(instance, self.attribute)):
            setattr(instance, self.attribute, stream)


# Columns ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    attribute: str
    header: str
    required: bool
    hint: str
    kind: str = "text"  # "text", "money", "percent" or "consequences"


COLUMNS = [
    Column("code", "Code", True, "The finance code, e.g. ASC01. Rows are matched on it."),
    Column("name", "Name", True, "What residents see, e.g. ‘Adult social care’."),
    Column("group", "Group", False, "e.g. People, Place or Corporate."),
    Column("description", "Description", False, "A sentence on what the service does."),
    Column("baseline", "Baseline (£)", True, "This year's net spend in pounds.", "money"),
    Column(
        "statutory_floor",
        "Statutory floor (£)",
        False,
        "The least the council must spend by law; leave empty if none.",
        "money",
    ),
    Column("min_change", "Min change (%)", True, "The deepest cut, e.g. -20.", "percent"),
    Column("max_change", "Max change (%)", True, "The biggest increase, e.g. 10.", "percent"),
    Column("step", "Step (%)", True, "Residents move in steps of this many %, e.g. 5.", "percent"),
    Column(
        "consequences",
        "Consequences",
        False,
        "One per line, like ‘-10%: Libraries open one day less a week’.",
        "consequences",
    ),
]
COLUMNS_BY_ATTRIBUTE = {column.attribute: column for column in COLUMNS}


def header_key(text):
    return " ".join(cell_text(text).lower().replace("_", " ").split())


HEADER_ALIASES = {
    **{header_key(column.attribute): column for column in COLUMNS},
    **{header_key(column.header): column for column in COLUMNS},
}


# Reading files ---------------------------------------------------------------------------------


@dataclass
class Sheet:
    """The rows of an uploaded file under our canonical headers, ready for import-export."""

    dataset: tablib.Dataset
    row_numbers: list = field(default_factory=list)  # the spreadsheet row of each data row
    columns: list = field(default_factory=list)


def read_spreadsheet(content, file_format):
    """Read CSV (UTF-8, BOM optional) or XLSX bytes; raise SpreadsheetError saying what's wrong."""
    if file_format not in {"csv", "xlsx"}:
        raise SpreadsheetError("Upload a .csv or .xlsx file.")
    rows = read_rows(content, file_format, MAX_COLUMNS)
    try:
        return _sheet(rows)
    finally:
        rows.close()


def _sheet(rows):
    rows = iter(rows)
    first = next(rows, None)
    if first is None or not any(cell_text(cell) for cell in first[1]):
        raise SpreadsheetError("The first row must hold the column headings, such as ‘Code’.")
    headings = [cell_text(cell) for cell in first[1]]
    columns, problems, seen = [], [], set()
    for heading in headings:
        column = HEADER_ALIASES.get(header_key(heading))
        if not heading:
            columns.append(None)
        elif column is None:
            problems.append(f"Unknown column ‘{heading}’.")
            columns.append(None)
        elif column in seen:
            problems.append(f"The column ‘{column.header}’ appears twice.")
            columns.append(None)
        else:
            seen.add(column)
            columns.append(column)
    missing = [column.header for column in COLUMNS if column.required and column not in seen]
    if missing:
        problems.append(
            "Missing column" + ("s" if len(missing) > 1 else "") + ": " + ", ".join(missing) + "."
        )
    if problems:
        known = ", ".join(column.header for column in COLUMNS)
        raise SpreadsheetError([*problems, f"The columns are: {known}."])

    used = [column for column in columns if column is not None]
    dataset = tablib.Dataset(headers=[column.header for column in used])
    row_numbers = []
    for number, cells, formats in rows:
        if not any(cell_text(cell) for cell in cells):
            continue
        values = []
        for position, cell in enumerate(cells):
            column = columns[position] if position < len(columns) else None
            if column is None:
                if cell_text(cell):
                    raise SpreadsheetError(
                        f"Row {number} has a value in column {position + 1}, which has no "
                        "heading. Remove it or give the column one of our headings."
                    )
                continue
            if (
                column.kind == "percent"
                and formats
                and isinstance(cell, int | float)
                and not isinstance(cell, bool)
                and "%" in formats[position]
            ):
                # Excel keeps “-10%” as -0.1 in a percentage-formatted cell.
                cell = Decimal(repr(cell)) * 100
            values.append(cell)
        values += [None] * (len(used) - len(values))
        if len(row_numbers) >= MAX_DATA_ROWS:
            raise SpreadsheetError(f"The file has more than {MAX_DATA_ROWS} rows of service lines.")
        dataset.append(values)
        row_numbers.append(number)
    if not row_numbers:
        raise SpreadsheetError("The file has headings but no service lines under them.")
    return Sheet(dataset=dataset, row_numbers=row_numbers, columns=used)


# The resource ----------------------------------------------------------------------------------


def _widget(column):
    if column.kind == "money":
        return NumberWidget(money=True)
    if column.kind == "percent":
        return NumberWidget(money=False)
    if column.kind == "consequences":
        return ConsequencesWidget()
    return TextWidget()


def _field(column):
    field_class = ConsequencesField if column.kind == "consequences" else Field
    return field_class(
        attribute=column.attribute, column_name=column.header, widget=_widget(column)
    )


def code_key(code):
    return cell_text(code).upper()


PLAIN_MESSAGES = {
    "blank": "This cell is empty; it needs a value.",
    "null": "This cell is empty; it needs a value.",
    "min_value": "This must be at least {limit_value}.",
    "max_value": "This must be at most {limit_value}.",
}


def plain_errors(error_dict):
    """Django's messages, reworded where they would puzzle an officer."""
    plain = {}
    for name, errors in error_dict.items():
        messages = []
        for error in errors:
            template = PLAIN_MESSAGES.get(getattr(error, "code", None))
            if template:
                limit = (getattr(error, "params", None) or {}).get("limit_value")
                messages.append(
                    template.format(limit_value=plain_number(limit) if limit is not None else "")
                )
            else:
                messages.extend(ValidationError(error).messages)
        plain[name] = messages
    return plain


class ServiceLineResource(resources.ModelResource):
    """The service lines of one budget, as rows of a spreadsheet."""

    code = _field(COLUMNS_BY_ATTRIBUTE["code"])
    name = _field(COLUMNS_BY_ATTRIBUTE["name"])
    group = _field(COLUMNS_BY_ATTRIBUTE["group"])
    description = _field(COLUMNS_BY_ATTRIBUTE["description"])
    baseline = _field(COLUMNS_BY_ATTRIBUTE["baseline"])
    statutory_floor = _field(COLUMNS_BY_ATTRIBUTE["statutory_floor"])
    min_change = _field(COLUMNS_BY_ATTRIBUTE["min_change"])
    max_change = _field(COLUMNS_BY_ATTRIBUTE["max_change"])
    step = _field(COLUMNS_BY_ATTRIBUTE["step"])
    consequences = _field(COLUMNS_BY_ATTRIBUTE["consequences"])

    class Meta:
        model = ServiceLine
        fields = tuple(column.attribute for column in COLUMNS)
        import_id_fields = ("code",)
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        store_instance = True
        store_row_values = True

    def __init__(self, budget, row_numbers=None):
        super().__init__()
        self.budget = budget
        self.row_numbers = row_numbers

    def get_queryset(self):
        return ServiceLine.objects.filter(budget=self.budget)

    def sheet_row(self, index):
        """The spreadsheet row number of the dataset's `index`-th row (1-based)."""
        return self.row_numbers[index - 1] if self.row_numbers else index + 1

    def before_import(self, dataset, **kwargs):
        self.existing = defaultdict(list)
        for line in self.get_queryset():
            self.existing[code_key(line.code)].append(line)
        self.next_sort_order = (
            self.get_queryset().aggregate(last=Max("sort_order"))["last"] or 0
        ) + 1
        header = COLUMNS_BY_ATTRIBUTE["code"].header
        self.rows_by_code = defaultdict(list)
        for index, row in enumerate(dataset.dict, 1):
            if code_key(row.get(header)):
                self.rows_by_code[code_key(row.get(header))].append(self.sheet_row(index))

    def get_instance(self, instance_loader, row):
        matches = self.existing.get(code_key(row.get(COLUMNS_BY_ATTRIBUTE["code"].header)), [])
        if len(matches) > 1:
            raise ValidationError(
                {
                    "code": f"{len(matches)} service lines in this budget already have the code "
                    f"{matches[0].code}. Give them different codes in the budget editor first."
                }
            )
        return ServiceLine.objects.get(pk=matches[0].pk) if matches else None

    def init_instance(self, row=None):
        return ServiceLine(budget=self.budget)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        code = code_key(row.get(COLUMNS_BY_ATTRIBUTE["code"].header))
        rows = self.rows_by_code.get(code, [])
        if len(rows) > 1:
            errors.setdefault("code", []).append(
                ValidationError(
                    f"The code {instance.code} is on rows {', '.join(map(str, rows[:-1]))} and "
                    f"{rows[-1]}: each service line must appear once."
                )
            )
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or original is None or original.pk is None:
            return False
        return changed_columns(self, original, instance) == []

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            if errors:
                # Rules across columns would only repeat what is wrong with a cell; show that.
                instance.clean_fields(exclude=set(errors))
            else:
                instance.full_clean(validate_unique=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(plain_errors(errors))

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None:
            instance.sort_order = self.next_sort_order
            self.next_sort_order += 1

    def after_import(self, dataset, result, **kwargs):
        """Nothing: ModelResource would reset the id sequence, which is unsafe under concurrent
        writers on PostgreSQL and pointless here because rows never carry ids."""


def changed_columns(resource, original, instance):
    """The columns whose written-out value differs between two versions of a line."""
    changed = []
    for field_ in resource.get_import_fields():
        if field_.export(original) != field_.export(instance):
            changed.append(field_.column_name)
    return changed


# Writing files ---------------------------------------------------------------------------------


def export_dataset(budget):
    """The budget's lines in file order, numbers as numbers (the writers neutralise formulae)."""
    resource = ServiceLineResource(budget)
    return resource.export(resource.get_queryset().order_by("sort_order", "pk"))


def write_csv(dataset):
    """UTF-8 with a byte-order mark, so Excel shows £ and accents properly."""
    return b"".join(csv_chunks([dataset.headers, *dataset]))


XLSX_WIDTHS = {"Description": 50, "Consequences": 70, "Name": 36}


def write_xlsx(dataset):
    """Write-only openpyxl, as Wagtail's own exports; text cells are never formulas."""
    buffer = io.BytesIO()
    widths = [XLSX_WIDTHS.get(header, 18) for header in dataset.headers]
    portal_write_xlsx(
        [WorkbookSheet("Service lines", [dataset.headers, *dataset], widths=widths)], buffer
    )
    return buffer.getvalue()


# Reporting an import ---------------------------------------------------------------------------

STATUS_LABELS = {
    RowResult.IMPORT_TYPE_NEW: "New",
    RowResult.IMPORT_TYPE_UPDATE: "Updated",
    RowResult.IMPORT_TYPE_SKIP: "Unchanged",
    RowResult.IMPORT_TYPE_INVALID: "Error",
    RowResult.IMPORT_TYPE_ERROR: "Error",
}


@dataclass
class CellReport:
    header: str
    value: str
    previous: str | None = None  # what the budget holds now, when the file changes it
    has_error: bool = False


@dataclass
class RowReport:
    number: int
    status: str
    code: str
    cells: list
    errors: list  # (column header or "", message)

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


@dataclass
class ImportReport:
    rows: list
    file_errors: list
    untouched: list  # service lines in the budget that the file does not mention

    def codes(self, status):
        return [row.code for row in self.rows if row.status == status]

    def count(self, status):
        return sum(1 for row in self.rows if row.status == status)

    @property
    def new(self):
        return self.count(RowResult.IMPORT_TYPE_NEW)

    @property
    def updated(self):
        return self.count(RowResult.IMPORT_TYPE_UPDATE)

    @property
    def unchanged(self):
        return self.count(RowResult.IMPORT_TYPE_SKIP)

    @property
    def errors(self):
        return [
            (row.number, header, message) for row in self.rows for header, message in row.errors
        ]

    @property
    def has_errors(self):
        return bool(self.file_errors or self.errors)

    @property
    def has_changes(self):
        return bool(self.new or self.updated)


def _show(resource_field, value):
    widget = resource_field.widget
    if isinstance(widget, NumberWidget):
        return widget.show(value)
    return resource_field.widget.render(value)


def report(resource, result, sheet):
    """What an import did (or would do), row by row, in the officer's terms."""
    rows = []
    fields_ = [resource.fields[column.attribute] for column in sheet.columns]
    for index, row_result in enumerate(result.rows, 1):
        number = resource.sheet_row(index)
        raw = row_result.row_values or {}
        errors = []
        if row_result.validation_error is not None:
            error_dict = getattr(row_result.validation_error, "message_dict", None) or {
                NON_FIELD_ERRORS: row_result.validation_error.messages
            }
            for name, messages in error_dict.items():
                column = COLUMNS_BY_ATTRIBUTE.get(name)
                for message in messages:
                    errors.append((column.header if column else "", message))
        for error in row_result.errors:
            errors.append(("", f"This row could not be saved: {error.error}"))
        bad_headers = {header for header, _ in errors}
        cells = []
        for resource_field in fields_:
            header = resource_field.column_name
            if errors:
                value = cell_text(raw.get(header))
                cells.append(CellReport(header, value, has_error=header in bad_headers))
                continue
            value = _show(resource_field, resource_field.get_value(row_result.instance))
            previous = None
            if (
                row_result.original is not None
                and row_result.import_type == RowResult.IMPORT_TYPE_UPDATE
            ):
                before = _show(resource_field, resource_field.get_value(row_result.original))
                previous = before if before != value else None
            cells.append(CellReport(header, value, previous))
        rows.append(
            RowReport(
                number=number,
                status=row_result.import_type,
                code=cell_text(raw.get(COLUMNS_BY_ATTRIBUTE["code"].header)),
                cells=cells,
                errors=errors,
            )
        )
    file_errors = [f"The file could not be imported: {error.error}" for error in result.base_errors]
    mentioned = {code_key(row.code) for row in rows}
    untouched = [line for line in resource.get_queryset() if code_key(line.code) not in mentioned]
    return ImportReport(rows=rows, file_errors=file_errors, untouched=untouched)
