"""The responses spreadsheet: its columns, in the consultation's question order.

One row per response. Row 1 holds headings a person can read ("Q3 Which services matter most:
Libraries"); row 2 holds each column's id (the question's StreamField id, with the option, item,
lever or "about you" part after a colon), which imports match on, so rewording a question never
breaks a file. XLSX and ODS files add a "Columns" sheet explaining every column.

Each column knows how to write its cell from a stored answer and how to read its cell back into
the form field the online journey posts, so an imported response is checked by exactly the same
rules as one given online (`consultations.questions`).

Equality-monitoring answers (age, sex, disability, ethnic group) are special category personal
data: they are columns only of exports with personal data, and of the blank import template
(docs/decisions/0006-equality-answers-in-exports.md).
"""

import functools
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.utils import timezone
from django.utils.module_loading import import_string

from consultations.journey import sections_of
from consultations.models import Channel, ModerationStatus
from consultations.question_types.base import OTHER, PREFER_NOT_TO_SAY, field_name

HEADER_ROWS = 2
SHORT_QUESTION = 48
CHOSEN = 1  # a ticked option in a multiple-choice column
CHOSEN_WORDS = {"1", "x", "yes", "y", "true", "✓", "✔"}
NOT_CHOSEN_WORDS = {"", "0", "no", "n", "false"}

# What an export without personal data shows instead of words moderators have not published.
# The import knows them: a row already imported is skipped anyway, a new one is refused (decision
# 0002, "Round trips").
TEXT_MARKS = {
    ModerationStatus.PENDING: "[waiting for moderation]",
    ModerationStatus.REJECTED: "[rejected]",
}
EQUALITY_LEFT_OUT = (
    "Not in this export: the ‘About you’ equality-monitoring answers ({parts}). They are special "
    "category personal data (UK GDPR Article 9), reported only in aggregate, so they go only in "
    "exports with personal data, made by officers with personal data access."
)


@dataclass(frozen=True)
class Column:
    """One column: its id (row 2), heading (row 1), and what its cells hold.

    `kind` says what its cells hold: reference, submitted_at, channel, email, choice, other,
    option, agreement, text, number, position, lever, about, about_option, postcode; or a kind of
    the question type's own, written by its `rule` (the budget simulator's worked-out sums).
    """

    key: str
    heading: str
    kind: str
    question_id: str = ""
    option: str = ""  # option, item or lever id, or the "about you" part
    part: str = ""  # the "about you" part of an about_option column
    choices: tuple = ()  # (stored key, label) a cell may hold
    personal: bool = False  # only for staff allowed to see personal data
    equality: bool = False  # an equality-monitoring answer: exported only with personal data
    export_only: bool = False  # worked out from other cells; ignored on import
    explanation: str = ""
    question_text: str = ""
    target_pence: int = 0  # a simulator's savings target, for "still to find"
    label: str = ""  # the "about you" part's name ("Age"), for what an export leaves out
    rule: object = None  # how to write its cell, where CELL_RULES has no rule for its kind

    @cached_property
    def labels(self):
        return dict(self.choices)


def short(text, limit=SHORT_QUESTION):
    """A question cut at a word boundary, so headings stay readable in a narrow column."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


@dataclass
class Layout:
    """The columns of one consultation's responses spreadsheet, and the questions behind them."""

    consultation: object
    columns: list
    questions: dict  # question id -> journey.Question
    area_question_id: str | None
    left_out: list = field(default_factory=list)  # (what, why) for the Columns sheet

    @property
    def keys(self):
        return [column.key for column in self.columns]

    @cached_property
    def rules(self):
        """(column, how to read its cell) for each column, looked up once per export."""
        return [(column, column.rule or CELL_RULES[column.kind]) for column in self.columns]

    def header_rows(self):
        return [[column.heading for column in self.columns], self.keys]

    def dictionary_rows(self):
        """The "Columns" sheet: what each column holds and what a cell may say."""
        rows = [["Column id", "Heading", "Question", "What the cell holds"]]
        for column in self.columns:
            explanation = column.explanation
            if column.choices:
                explanation += " One of: " + "; ".join(label for _key, label in column.choices)
            rows.append([column.key, column.heading, column.question_text, explanation.strip()])
        rows += [["", what, "", why] for what, why in self.left_out]
        return rows

    def question_columns(self, question_id):
        return [column for column in self.columns if column.question_id == question_id]


def layout_for(consultation, personal_data=False, equality_answers=None):
    """The columns for `consultation`; personal-data columns only when `personal_data`, and the
    equality-monitoring answers only with it too unless `equality_answers` says otherwise (the
    blank import template has them for everyone: it holds no one's answers)."""
    if equality_answers is None:
        equality_answers = personal_data
    questions, columns = {}, []
    left_out = []
    area_question_id = None
    numbered = []
    for section in sections_of(consultation):
        for question in section.questions:
            questions[question.id] = question
            numbered.append(question)
            if question.block.area_choices(question.value) and area_question_id is None:
                area_question_id = question.id

    columns += [
        Column("reference", "Reference", "reference", explanation=REFERENCE_HELP),
        Column(
            "submitted_at",
            "Submitted at",
            "submitted_at",
            explanation=SUBMITTED_AT_HELP,
        ),
        Column(
            "channel",
            "Channel",
            "channel",
            choices=tuple(Channel.choices),
            explanation="How the response came in. Empty means the channel chosen on import.",
        ),
    ]
    if area_question_id:
        about = questions[area_question_id]
        columns.append(
            Column(
                "area",
                "Area",
                "about",
                question_id=area_question_id,
                option="ward",
                choices=(
                    *about.block.area_choices(about.value),
                    (PREFER_NOT_TO_SAY, "Prefer not to say"),
                ),
                explanation="The area the resident said they live in (from ‘About you’).",
                question_text="Which area do you live in?",
            )
        )
    if personal_data:
        columns.append(
            Column(
                "email",
                "Account email (personal data)",
                "email",
                personal=True,
                export_only=True,
                explanation="The email address of the account that responded, if signed in.",
            )
        )
    for number, question in enumerate(numbered, start=1):
        added = question_columns(number, question, personal_data, question.id == area_question_id)
        if not equality_answers:
            omitted = [column for column in added if column.equality]
            added = [column for column in added if not column.equality]
            if omitted:
                left_out.append(equality_left_out(number, omitted))
        columns += added
    return Layout(consultation, columns, questions, area_question_id, left_out)


def equality_left_out(number, omitted):
    """(what, why) for the Columns sheet: the equality columns an export leaves out."""
    labels = []
    for column in omitted:
        label = column.label
        if label not in labels:
            labels.append(label)
    what = f"Q{number} About you: " + ", ".join(labels)
    return what, EQUALITY_LEFT_OUT.format(parts=", ".join(labels).lower())


SUBMITTED_AT_HELP = (
    "Date and time received. In CSV: ISO 8601 with the UTC offset, e.g. "
    "2026-03-14T10:30:00+00:00. In Excel and OpenDocument files: a date-and-time cell in UK time "
    "(Europe/London, as the clocks showed it), because those cells hold no time zone. On import, "
    "any of these, or a UK date like 14/03/2026 10:30; a date alone means noon that day."
)
REFERENCE_HELP = (
    "The response's reference. For paper responses, write a reference of your own on each form "
    "(letters, digits and hyphens, up to 20), e.g. PARKS-P0001: a reference already imported is "
    "never imported again."
)


@dataclass(frozen=True)
class QuestionSheet:
    """Where one question's columns go: what its type's `spreadsheet_columns` function is given."""

    number: int  # the question's number in the sheet (Q1, Q2...)
    question: object  # journey.Question
    personal_data: bool  # an export with personal data
    area_shown_apart: bool  # its area answer is the sheet's "Area" column, beside the reference

    @property
    def heading(self):
        return f"Q{self.number} {short(self.question.text)}"

    @property
    def common(self):
        """The Column fields every column of the question shares."""
        return {"question_id": self.question.id, "question_text": self.question.text}

    @property
    def words_help(self):
        """What a column of residents' own words holds in this export."""
        return ORIGINAL_HELP if self.personal_data else MODERATED_HELP


def question_columns(number, question, personal_data, area_shown_apart):
    """The columns one question adds, left to right, laid out by its type."""
    path = question.block.spreadsheet_columns
    if path is None:
        return []
    sheet = QuestionSheet(number, question, personal_data, area_shown_apart)
    return columns_builder(path)(sheet)


@functools.cache
def columns_builder(path):
    """The function a question type names to lay out its columns (looked up once)."""
    return import_string(path)


MODERATED_HELP = (
    "The resident's words as moderated, redactions applied; "
    f"‘{TEXT_MARKS[ModerationStatus.PENDING]}’ while waiting for moderation and "
    f"‘{TEXT_MARKS[ModerationStatus.REJECTED]}’ once rejected (the words themselves go only in "
    "exports with personal data). Importing this file again skips those rows, whose references "
    "are already here; a new reference with one of these marks is refused."
)
ORIGINAL_HELP = "What the resident wrote, before moderation (personal data)."


# Writing a row ----------------------------------------------------------------------------------


def when_answered(rule):
    """A cell worked out from its question's answer; empty when the question was not answered."""

    def cell(column, record):
        answer = record.answers.get(column.question_id)
        return None if answer is None else rule(column, answer, record)

    return cell


def _number(answer):
    number = Decimal(answer["number"])
    return int(number) if number == number.to_integral_value() else number.normalize()


CHANNEL_LABELS = dict(Channel.choices)

# How each kind of column reads a Record (consultations.spreadsheets.exports.Record).
CELL_RULES = {
    "reference": lambda column, record: record.reference,
    # A datetime: CSV writes it as ISO 8601 with the offset, workbooks as a date-and-time cell.
    "submitted_at": lambda column, record: timezone.localtime(record.submitted_at).replace(
        microsecond=0
    ),
    "channel": lambda column, record: CHANNEL_LABELS.get(record.channel, record.channel),
    "email": lambda column, record: record.email or None,
    "choice": when_answered(
        lambda column, answer, record: column.labels.get(answer["option"], "Removed option")
    ),
    "other": when_answered(
        lambda column, answer, record: (
            record.texts.get(column.question_id) if answer["option"] == OTHER else None
        )
    ),
    "option": when_answered(
        lambda column, answer, record: CHOSEN if column.option in answer["options"] else None
    ),
    "agreement": when_answered(lambda column, answer, record: column.labels.get(answer["option"])),
    "text": when_answered(lambda column, answer, record: record.texts.get(column.question_id)),
    "number": when_answered(lambda column, answer, record: _number(answer)),
    "position": when_answered(
        lambda column, answer, record: answer["positions"].get(column.option)
    ),
    "about": when_answered(
        lambda column, answer, record: (
            column.labels.get(answer[column.option], "Removed option")
            if answer.get(column.option)
            else None
        )
    ),
    "about_option": when_answered(
        lambda column, answer, record: (
            CHOSEN if column.option in answer.get(column.part, ()) else None
        )
    ),
    "postcode": when_answered(
        lambda column, answer, record: answer.get("postcode_district") or None
    ),
}


def cell_for(column, record, layout=None):
    """One cell of a response's row."""
    return (column.rule or CELL_RULES[column.kind])(column, record)


def row_for(layout, record):
    return [rule(column, record) for column, rule in layout.rules]


def form_field(column):
    """The online form's field name this column's cell feeds."""
    if column.kind in {"choice", "agreement", "text", "number", "option"}:
        return field_name(column.question_id)
    if column.kind in {"other", "position", "lever"}:
        return field_name(column.question_id, column.option)
    if column.kind in {"about", "postcode"}:
        return field_name(column.question_id, column.option)
    if column.kind == "about_option":
        return field_name(column.question_id, column.part)
    return None
