"""Importing paper, email and event responses from a spreadsheet laid out like an export.

Each row becomes the form data the online journey would post, and is cleaned by the same
question blocks, so a paper response obeys exactly the rules of an online one (a blank question
stays unanswered: residents may skip questions on paper). django-import-export runs the rows in
one transaction with a dry run first; nothing is stored unless every row is valid. A row's
reference makes it idempotent: a reference already in this consultation is skipped, so importing
the same file twice adds nothing the second time, and re-importing an export without personal
data never fails on its "[waiting for moderation]" or "[rejected]" marks (decision 0002).
"""

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from import_export import resources
from import_export.fields import Field
from import_export.results import RowResult

from consultations.models import Channel, ModerationStatus, Response
from consultations.question_types.base import AnswerError
from consultations.responses import submit_response
from consultations.spreadsheets.exports import record_of
from consultations.spreadsheets.layout import (
    CHOSEN_WORDS,
    HEADER_ROWS,
    NOT_CHOSEN_WORDS,
    TEXT_MARKS,
    form_field,
    layout_for,
    row_for,
)
from portal.spreadsheets import SpreadsheetError, cell_text, read_rows

# An upload is checked and imported within a request (about 8 s per 1,000 rows on SQLite).
MAX_IMPORT_ROWS = 2_000
REFERENCE = re.compile(r"[A-Z0-9][A-Z0-9-]{0,19}")
UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
# Imported responses' idempotency tokens are derived from the consultation and reference.
IMPORT_NAMESPACE = uuid.UUID("8d6f2c4e-61a5-4f0b-9d1e-3c7b2a9e5f10")
IMPORT_CHANNELS = [Channel.PAPER, Channel.EMAIL, Channel.EVENT, Channel.ONLINE]


@dataclass
class ResponseSheet:
    """An uploaded file's data rows under their column ids, ready for import-export."""

    layout: object
    dataset: tablib.Dataset
    row_numbers: list = field(default_factory=list)  # the spreadsheet row of each data row
    ignored_headings: list = field(default_factory=list)  # worked-out columns, not imported


def read_responses_file(layout, content, file_format, max_rows=MAX_IMPORT_ROWS):
    """Read an upload against `layout`; raise SpreadsheetError with what is wrong with the file."""
    known = {column.key: column for column in layout.columns}
    all_keys = {column.key: column for column in layout_for(layout.consultation, True).columns}
    rows = read_rows(content, file_format, max_columns=len(all_keys) + 50)
    try:
        next(rows, None)  # the headings, for people; the ids below are what we match
        ids = next(rows, None)
        if ids is None:
            raise SpreadsheetError(
                "The file needs two header rows: the headings, then the column ids, as in an "
                "export or the blank template."
            )
        keys = [cell_text(cell) for cell in ids[1]]
        if "reference" not in keys:
            raise SpreadsheetError(
                "Row 2 must hold the column ids (such as ‘reference’ and ‘submitted_at’), as in "
                "an export or the blank template. Download the template and copy your rows into it."
            )
        used, ignored, problems, seen = [], [], [], set()
        for position, key in enumerate(keys):
            column = known.get(key) or all_keys.get(key)
            if not key:
                used.append(None)
            elif column is None:
                problems.append(
                    f"Column {position + 1} has the id ‘{key}’, which is not a column of this "
                    "consultation."
                )
                used.append(None)
            elif key in seen:
                problems.append(f"The column ‘{column.heading}’ appears twice.")
                used.append(None)
            elif column.export_only or (column.personal and key not in known):
                seen.add(key)
                ignored.append(column.heading)
                used.append(None)
            else:
                seen.add(key)
                used.append(column)
        if problems:
            raise SpreadsheetError(problems)
        columns = [column for column in used if column is not None]
        dataset = tablib.Dataset(headers=[column.key for column in columns])
        row_numbers = []
        for number, cells, formats in rows:
            values = []
            for position, cell in enumerate(cells):
                column = used[position] if position < len(used) else None
                if column is None:
                    continue
                if (
                    column.kind == "lever"
                    and formats
                    and isinstance(cell, int | float)
                    and not isinstance(cell, bool)
                    and "%" in formats[position]
                ):
                    cell = Decimal(repr(cell)) * 100  # Excel keeps "-10%" as -0.1
                values.append(cell)
            values += [None] * (len(columns) - len(values))
            if not any(cell_text(value) for value in values):
                continue
            if len(row_numbers) >= max_rows:
                raise SpreadsheetError(
                    f"The file has more than {max_rows:,} responses: split it into smaller files."
                )
            dataset.append(values)
            row_numbers.append(number)
    finally:
        rows.close()
    if not row_numbers:
        raise SpreadsheetError("The file has header rows but no responses under them.")
    return ResponseSheet(layout, dataset, row_numbers, ignored)


# One row → one response's answers ---------------------------------------------------------------


def normalised_reference(value):
    return cell_text(value).upper()


def parse_submitted_at(value, consultation, now):
    """When a response arrived, from an ISO 8601 text, a UK date or a spreadsheet date."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time(12))
    else:
        text = cell_text(value)
        if not text:
            raise ValueError("Enter the date the response arrived, like 2026-03-14.")
        uk = UK_DATE.fullmatch(text)
        try:
            if uk:
                day, month, year, hour, minute, second = uk.groups()
                moment = datetime(
                    int(year),
                    int(month),
                    int(day),
                    int(hour or 12),
                    int(minute or 0),
                    int(second or 0),
                )
            elif len(text) == 10:
                moment = datetime.combine(date.fromisoformat(text), time(12))
            else:
                moment = datetime.fromisoformat(text)
        except ValueError as error:
            raise ValueError(
                f"‘{text}’ is not a date. Write it like 2026-03-14, 14/03/2026 or "
                "2026-03-14T10:30:00+00:00."
            ) from error
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > now:
        raise ValueError("This date is in the future.")
    if moment < consultation.opens_at:
        raise ValueError(
            "This is before the consultation opened on "
            f"{timezone.localtime(consultation.opens_at):%d %B %Y}."
        )
    return moment


def parse_channel(value, default):
    text = cell_text(value)
    if not text:
        return default
    for key, label in Channel.choices:
        if text.lower() in {key, label.lower()}:
            return key
    raise ValueError(
        f"‘{text}’ is not a channel. Write one of: "
        + ", ".join(label for _key, label in Channel.choices)
        + "."
    )


def comparable(text):
    """Labels as officers type them: any spacing or case, straight or curly apostrophes."""
    return " ".join(text.replace("’", "'").split()).lower()


def choice_key(column, value):
    text = comparable(cell_text(value))
    for key, label in column.choices:
        if text == comparable(label):
            return key
    raise ValueError(
        f"‘{cell_text(value)}’ is not one of the answers. Write one of: "
        + "; ".join(label for _key, label in column.choices)
        + "."
    )


MARK_REASONS = {
    comparable(mark): reason
    for mark, reason in (
        (TEXT_MARKS[ModerationStatus.PENDING], "words still waiting for moderation"),
        (TEXT_MARKS[ModerationStatus.REJECTED], "words moderators rejected"),
    )
}


def resident_words(value):
    """A free-text or "Other" cell's words, refusing the marks an export without personal data
    puts in place of unpublished words: a new response needs the words themselves."""
    text = cell_text(value)
    reason = MARK_REASONS.get(comparable(text))
    if reason:
        raise ValueError(
            f"‘{text}’ stands for {reason}, left out of the export this row came from, and this "
            "reference is not yet in this consultation. Use an export made with personal data, "
            "which holds the resident's words, or type the words in from the original."
        )
    return text


def is_chosen(value):
    text = cell_text(value).lower()
    if text in CHOSEN_WORDS:
        return True
    if text in NOT_CHOSEN_WORDS:
        return False
    raise ValueError(f"‘{cell_text(value)}’: write 1 if chosen, or leave the cell empty.")


def question_form_data(columns, cells):
    """The form data the journey would post for one question's cells, and cell errors."""
    data, errors = MultiValueDict(), {}
    filled = [column for column in columns if cell_text(cells.get(column.key))]
    levers_given = any(column.kind == "lever" for column in filled)
    for column in columns:
        value = cells.get(column.key)
        name = form_field(column)
        if not cell_text(value):
            if column.kind == "lever" and levers_given:
                data.setlist(name, ["0"])  # a line left blank on paper is "no change"
            continue
        try:
            if column.kind in {"choice", "agreement", "about"}:
                data.setlist(name, [choice_key(column, value)])
            elif column.kind == "option":
                if is_chosen(value):
                    data.appendlist(name, column.option)
            elif column.kind == "about_option":
                if is_chosen(value):
                    data.appendlist(name, column.option)
            elif column.kind in {"number", "lever", "position"}:
                data.setlist(name, [plain_number_text(value)])
            elif column.kind in {"text", "other"}:
                data.setlist(name, [resident_words(value)])
            else:
                data.setlist(name, [cell_text(value)])
        except ValueError as error:
            errors[column.key] = str(error)
    return data, errors, bool(filled)


def plain_number_text(value):
    if isinstance(value, float | Decimal | int) and not isinstance(value, bool):
        try:
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            return cell_text(value)
        return str(int(number)) if number == number.to_integral_value() else str(number.normalize())
    return cell_text(value)


def parse_answers(layout, cells):
    """Clean answers by question id from a row's cells, or ValidationError by column id."""
    answers, errors = {}, {}
    for question_id, question in layout.questions.items():
        columns = [column for column in layout.question_columns(question_id) if column.key in cells]
        if not columns:
            continue
        data, cell_errors, filled = question_form_data(columns, cells)
        errors.update(cell_errors)
        if not filled or cell_errors:
            continue
        try:
            answer = question.block.clean_answer(question.value, question_id, data)
        except AnswerError as problem:
            by_field = {form_field(column): column.key for column in columns}
            for name, message in problem.errors.items():
                errors[by_field.get(name, columns[0].key)] = str(message)
            continue
        if answer is not None:
            answers[question_id] = answer
    return answers, errors


# The import-export resource ---------------------------------------------------------------------


class ResponseResource(resources.ModelResource):
    """A consultation's responses as spreadsheet rows, for import-export: its dry-run import, and
    its default export path (one response object at a time, the whole file in memory: fine for a
    few thousand rows; ResponsesExport streams the same rows for big exports).

    Columns come from the consultation's questions (consultations.spreadsheets.layout), so the
    fields are added per consultation when the resource is made, keyed by column id.
    """

    class Meta:
        model = Response
        fields = ("reference",)
        import_id_fields = ("reference",)
        use_transactions = True
        report_skipped = True
        skip_diff = True
        store_instance = True
        store_row_values = True

    def __init__(
        self,
        consultation,
        layout=None,
        default_channel=Channel.PAPER,
        row_numbers=None,
        personal_data=False,
    ):
        super().__init__()
        self.consultation = consultation
        self.personal_data = personal_data
        self.layout = layout or layout_for(consultation, personal_data=personal_data)
        self.default_channel = default_channel
        self.row_numbers = row_numbers
        self.fields = {
            column.key: Field(attribute=None, column_name=column.key)
            for column in self.layout.columns
        }
        self.fields["reference"] = Field(attribute="reference", column_name="reference")
        self.now = timezone.now()

    def get_import_id_fields(self):
        return ["reference"]

    # Export ---------------------------------------------------------------------------------

    def get_queryset(self):
        return (
            Response.objects.filter(consultation=self.consultation)
            .select_related("user")
            .prefetch_related("answers__comment", "ranking_positions")
            .order_by("submitted_at", "pk")
        )

    def get_export_fields(self, selected_fields=None):
        return [self.fields[key] for key in self.layout.keys]

    def get_export_headers(self, selected_fields=None):
        return self.layout.keys

    def export_resource(self, instance, selected_fields=None, **kwargs):
        return row_for(self.layout, record_of(instance, self.layout, self.personal_data))

    # Import ---------------------------------------------------------------------------------

    def sheet_row(self, index):
        """The spreadsheet row number of the dataset's `index`-th row (1-based)."""
        return self.row_numbers[index - 1] if self.row_numbers else index + HEADER_ROWS

    def before_import(self, dataset, **kwargs):
        self.rows_by_reference = {}
        for index, row in enumerate(dataset.dict, 1):
            reference = normalised_reference(row.get("reference"))
            # Only well-formed references are looked up (a malformed one, even one holding a NUL
            # that PostgreSQL would refuse in a query, gets its row's own error below).
            if reference and REFERENCE.fullmatch(reference):
                self.rows_by_reference.setdefault(reference, []).append(self.sheet_row(index))
        self.already_here, self.elsewhere = {}, set()
        for pk, reference, consultation_id in Response.objects.filter(
            reference__in=list(self.rows_by_reference)
        ).values_list("pk", "reference", "consultation_id"):
            if consultation_id == self.consultation.pk:
                self.already_here[reference] = pk
            else:
                self.elsewhere.add(reference)

    def get_instance(self, instance_loader, row):
        pk = self.already_here.get(normalised_reference(row.get("reference")))
        return Response(pk=pk, consultation=self.consultation) if pk else None

    def init_instance(self, row=None):
        return Response(consultation=self.consultation)

    def import_instance(self, instance, row, **kwargs):
        if instance.pk:
            return  # already imported: skipped, never changed
        errors = {}
        reference = normalised_reference(row.get("reference"))
        if not reference:
            errors["reference"] = "Give each response a reference, like PARKS-P0001."
        elif not REFERENCE.fullmatch(reference):
            errors["reference"] = (
                f"‘{reference}’ cannot be a reference: use up to 20 letters, digits and hyphens."
            )
        elif reference in self.elsewhere:
            errors["reference"] = (
                f"{reference} is already the reference of a response to another consultation: "
                "give this consultation's paper responses their own, like PARKS-P0001."
            )
        elif len(self.rows_by_reference.get(reference, [])) > 1:
            rows = self.rows_by_reference[reference]
            errors["reference"] = (
                f"The reference {reference} is on rows {', '.join(map(str, rows[:-1]))} and "
                f"{rows[-1]}: each response must appear once."
            )
        instance.reference = reference
        try:
            instance.submitted_at = parse_submitted_at(
                row.get("submitted_at"), self.consultation, self.now
            )
        except ValueError as error:
            errors["submitted_at"] = str(error)
        try:
            instance.channel = parse_channel(row.get("channel"), self.default_channel)
        except ValueError as error:
            errors["channel"] = str(error)
        cells = {key: row.get(key) for key in row.keys() if key in self.fields}
        answers, answer_errors = parse_answers(self.layout, cells)
        errors.update(answer_errors)
        if not answers and not answer_errors:
            errors[NON_FIELD_ERRORS] = "This row has a reference but no answers."
        instance.imported_answers = answers
        if errors:
            raise ValidationError({key: [message] for key, message in errors.items()})

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return bool(instance.pk and not import_validation_errors)  # already imported

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if import_validation_errors:
            raise ValidationError(import_validation_errors)

    def do_instance_save(self, instance, is_create):
        stored, _created = submit_response(
            self.consultation,
            self.layout.questions,
            instance.imported_answers,
            token=uuid.uuid5(IMPORT_NAMESPACE, f"{self.consultation.pk}/{instance.reference}"),
            channel=instance.channel,
            reference=instance.reference,
            submitted_at=instance.submitted_at,
        )
        instance.pk = stored.pk

    def save_m2m(self, instance, row, **kwargs):
        """Answers are written with the response by `submit_response`."""

    def after_import(self, dataset, result, **kwargs):
        """Nothing: ModelResource would reset the id sequence, which is unsafe under concurrent
        writers on PostgreSQL."""


# What an import did, in the officer's terms -----------------------------------------------------


@dataclass
class RowOutcome:
    number: int
    reference: str
    status: str  # "new", "skip" or "error"
    errors: list  # (heading, message)


@dataclass
class ImportReport:
    rows: list
    file_errors: list = field(default_factory=list)
    ignored_headings: list = field(default_factory=list)

    def count(self, status):
        return sum(1 for row in self.rows if row.status == status)

    @property
    def new(self):
        return self.count("new")

    @property
    def skipped(self):
        return self.count("skip")

    @property
    def errors(self):
        return [
            (row.number, heading, message) for row in self.rows for heading, message in row.errors
        ]

    @property
    def has_errors(self):
        return bool(self.file_errors or self.errors)


STATUS = {
    RowResult.IMPORT_TYPE_NEW: "new",
    RowResult.IMPORT_TYPE_SKIP: "skip",
    RowResult.IMPORT_TYPE_INVALID: "error",
    RowResult.IMPORT_TYPE_ERROR: "error",
}


def import_responses(
    consultation,
    content,
    file_format,
    channel=Channel.PAPER,
    dry_run=True,
    max_rows=MAX_IMPORT_ROWS,
):
    """Check (dry run) or import a file of responses; returns an ImportReport.

    Nothing is stored unless every row is valid: import-export runs the rows in one transaction
    and rolls it back on a dry run, an error or a row that fails validation.
    """
    layout = layout_for(consultation, personal_data=True)
    try:
        sheet = read_responses_file(layout, content, file_format, max_rows)
    except SpreadsheetError as error:
        return ImportReport(rows=[], file_errors=error.messages)
    resource = ResponseResource(consultation, layout, channel, sheet.row_numbers, True)
    result = resource.import_data(
        sheet.dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True
    )
    headings = {column.key: column.heading for column in layout.columns}
    rows = []
    for index, row_result in enumerate(result.rows, 1):
        errors = []
        if row_result.validation_error is not None:
            for key, messages in row_result.validation_error.message_dict.items():
                heading = "" if key == NON_FIELD_ERRORS else headings.get(key, key)
                errors += [(heading, message) for message in messages]
        errors += [
            ("", f"This row could not be saved: {error.error}") for error in row_result.errors
        ]
        raw = row_result.row_values or {}
        rows.append(
            RowOutcome(
                number=resource.sheet_row(index),
                reference=normalised_reference(raw.get("reference")),
                status="error" if errors else STATUS.get(row_result.import_type, "error"),
                errors=errors,
            )
        )
    file_errors = [f"The file could not be imported: {error.error}" for error in result.base_errors]
    return ImportReport(rows=rows, file_errors=file_errors, ignored_headings=sheet.ignored_headings)
