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

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.utils import timezone

from consultations.journey import sections_of
from consultations.models import Channel, ModerationStatus
from consultations.question_types.about_you import (
    AGE_BANDS,
    CONNECTIONS,
    DISABILITY,
    ETHNICITY,
    SEX,
    ward_choices,
)
from consultations.question_types.agreement import AGREEMENT_SCALE
from consultations.question_types.base import OTHER, PREFER_NOT_TO_SAY, field_name

HEADER_ROWS = 2
SHORT_QUESTION = 48
CHOSEN = 1  # a ticked option in a multiple-choice column
CHOSEN_WORDS = {"1", "x", "yes", "y", "true", "✓", "✔"}
NOT_CHOSEN_WORDS = {"", "0", "no", "n", "false"}

ABOUT_YOU_PARTS = {
    "age_band": ("Age", AGE_BANDS),
    "connection": ("Connection to the area", CONNECTIONS),
    "sex": ("Sex", SEX),
    "disability": ("Disability", DISABILITY),
    "ethnicity": ("Ethnic group", ETHNICITY),
}
# "About you" answers kept to exports with personal data: equality monitoring, special category.
EQUALITY_PARTS = ("age_band", "sex", "disability", "ethnicity")
EQUALITY_HELP = (
    "Equality monitoring (special category personal data): in exports with personal data only."
)
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

    `kind` is one of: reference, submitted_at, channel, email, choice, other, option, agreement,
    text, number, position, lever, savings_found, still_to_find, beyond_target, about,
    about_option, postcode.
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


def percent_text(bp):
    """Basis points as a plain percentage number: -1000 → -10, 250 → 2.5."""
    value = Decimal(bp) / 100
    return int(value) if value == value.to_integral_value() else value.normalize()


def pounds(pence):
    value = Decimal(pence) / 100
    return int(value) if value == value.to_integral_value() else value.quantize(Decimal("0.01"))


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
        return [(column, CELL_RULES[column.kind]) for column in self.columns]

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
            if question.type == "about_you" and area_question_id is None:
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
                choices=(*ward_choices(about.value), (PREFER_NOT_TO_SAY, "Prefer not to say")),
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
        if not equality_answers and question.type == "about_you":
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
        label = ABOUT_YOU_PARTS[column.part or column.option][0]
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


def question_columns(number, question, personal_data, area_shown_apart):
    """The columns one question adds, left to right."""
    value, qid = question.value, question.id
    heading = f"Q{number} {short(question.text)}"
    common = {"question_id": qid, "question_text": question.text}
    kind = question.type
    if kind == "priority_ranking":
        return [
            Column(
                f"{qid}:{item_id}",
                f"{heading}: {item['label']}",
                "position",
                option=item_id,
                explanation=f"Where the resident ranked ‘{item['label']}’ (1 is the highest "
                "priority); empty if not ranked.",
                **common,
            )
            for item_id, item in question.block.options_with_ids(value)
        ]
    if kind == "single_choice":
        choices = tuple(question.block.options_with_ids(value))
        labels = tuple((item_id, item["label"]) for item_id, item in choices)
        columns = [
            Column(
                qid,
                heading,
                "choice",
                choices=labels + (((OTHER, "Other"),) if value["allow_other"] else ()),
                explanation="The answer chosen.",
                **common,
            )
        ]
        if value["allow_other"]:
            columns.append(
                Column(
                    f"{qid}:{OTHER}",
                    f"{heading}: other answer",
                    "other",
                    option=OTHER,
                    personal=False,
                    explanation=MODERATED_HELP if not personal_data else ORIGINAL_HELP,
                    **common,
                )
            )
        return columns
    if kind == "multiple_choice":
        return [
            Column(
                f"{qid}:{item_id}",
                f"{heading}: {item['label']}",
                "option",
                option=item_id,
                explanation="1 if chosen, empty if not.",
                **common,
            )
            for item_id, item in question.block.options_with_ids(value)
        ]
    if kind == "agreement_scale":
        return [
            Column(
                qid,
                heading,
                "agreement",
                choices=tuple(AGREEMENT_SCALE),
                explanation="How far the resident agrees.",
                **common,
            )
        ]
    if kind == "free_text":
        return [
            Column(
                qid,
                heading,
                "text",
                explanation=MODERATED_HELP if not personal_data else ORIGINAL_HELP,
                **common,
            )
        ]
    if kind == "number":
        return [Column(qid, heading, "number", explanation="A number.", **common)]
    if kind == "budget_simulator":
        spec = question.block.spec(value)
        if spec is None:
            return []
        columns = [
            Column(
                f"{qid}:{lever.id}",
                f"{heading}: {lever.name} (% change)",
                "lever",
                option=lever.id,
                explanation=f"The change chosen for {lever.name}, in % (-10 is a 10% cut). "
                "Empty on import means no change, when other lines are filled in.",
                **common,
            )
            for lever in [*spec.lines, *spec.revenue]
        ]
        columns += [
            Column(
                f"{qid}:savings_found",
                f"{heading}: savings found (£)",
                "savings_found",
                export_only=True,
                explanation="Worked out from the changes: what they save (negative if they add "
                "to the gap). Ignored on import.",
                **common,
            ),
            Column(
                f"{qid}:still_to_find",
                f"{heading}: still to find (£)",
                "still_to_find",
                export_only=True,
                target_pence=spec.target_pence,
                explanation="What the resident left of the savings target: the target less the "
                "savings found, never below 0 (see ‘found beyond target’). Ignored on import.",
                **common,
            ),
            Column(
                f"{qid}:beyond_target",
                f"{heading}: found beyond target (£)",
                "beyond_target",
                export_only=True,
                target_pence=spec.target_pence,
                explanation="How much more than the savings target the changes find; 0 when they "
                "do not reach it. Ignored on import.",
                **common,
            ),
        ]
        return columns
    if kind == "about_you":
        return about_you_columns(number, question, personal_data, area_shown_apart)
    return []


MODERATED_HELP = (
    "The resident's words as moderated, redactions applied; "
    f"‘{TEXT_MARKS[ModerationStatus.PENDING]}’ while waiting for moderation and "
    f"‘{TEXT_MARKS[ModerationStatus.REJECTED]}’ once rejected (the words themselves go only in "
    "exports with personal data). Importing this file again skips those rows, whose references "
    "are already here; a new reference with one of these marks is refused."
)
ORIGINAL_HELP = "What the resident wrote, before moderation (personal data)."


def about_you_columns(number, question, personal_data, area_shown_apart):
    qid, value = question.id, question.value
    common = {"question_id": qid, "question_text": "About you"}
    prefer_not = (PREFER_NOT_TO_SAY, "Prefer not to say")
    columns = []
    for part, _text, choices, multiple in question.block.parts(value):
        if part == "ward":
            if area_shown_apart:
                continue
            label = "Area"
        else:
            label = ABOUT_YOU_PARTS[part][0]
        heading = f"Q{number} About you: {label}"
        equality = part in EQUALITY_PARTS
        special = {"personal": True, "equality": True} if equality else {}
        note = f" {EQUALITY_HELP}" if equality else ""
        if multiple:
            columns += [
                Column(
                    f"{qid}:{part}:{key}",
                    f"{heading}: {choice_label}",
                    "about_option",
                    option=key,
                    part=part,
                    explanation=f"1 if chosen, empty if not.{note}",
                    **special,
                    **common,
                )
                for key, choice_label in [*choices, prefer_not]
            ]
        else:
            columns.append(
                Column(
                    f"{qid}:{part}",
                    heading,
                    "about",
                    option=part,
                    choices=(*tuple(choices), prefer_not),
                    explanation=f"{label}, as the resident said.{note}",
                    **special,
                    **common,
                )
            )
    if value["ask_postcode_district"] and personal_data:
        columns.append(
            Column(
                f"{qid}:postcode_district",
                f"Q{number} About you: postcode district (personal data)",
                "postcode",
                option="postcode_district",
                personal=True,
                explanation="The first part of the postcode, e.g. KM1.",
                **common,
            )
        )
    return columns


# Writing a row ----------------------------------------------------------------------------------


def _when_answered(rule):
    """A cell worked out from its question's answer; empty when the question was not answered."""

    def cell(column, record):
        answer = record.answers.get(column.question_id)
        return None if answer is None else rule(column, answer, record)

    return cell


def _number(answer):
    number = Decimal(answer["number"])
    return int(number) if number == number.to_integral_value() else number.normalize()


def _lever(column, answer, record):
    bp = answer["lines"].get(column.option)
    return percent_text(answer["revenue"].get(column.option, 0) if bp is None else bp)


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
    "choice": _when_answered(
        lambda column, answer, record: column.labels.get(answer["option"], "Removed option")
    ),
    "other": _when_answered(
        lambda column, answer, record: (
            record.texts.get(column.question_id) if answer["option"] == OTHER else None
        )
    ),
    "option": _when_answered(
        lambda column, answer, record: CHOSEN if column.option in answer["options"] else None
    ),
    "agreement": _when_answered(lambda column, answer, record: column.labels.get(answer["option"])),
    "text": _when_answered(lambda column, answer, record: record.texts.get(column.question_id)),
    "number": _when_answered(lambda column, answer, record: _number(answer)),
    "position": _when_answered(
        lambda column, answer, record: answer["positions"].get(column.option)
    ),
    "lever": _when_answered(_lever),
    "savings_found": _when_answered(
        lambda column, answer, record: pounds(answer["savings_found_pence"])
    ),
    "still_to_find": _when_answered(
        lambda column, answer, record: pounds(
            max(0, column.target_pence - answer["savings_found_pence"])
        )
    ),
    "beyond_target": _when_answered(
        lambda column, answer, record: pounds(
            max(0, answer["savings_found_pence"] - column.target_pence)
        )
    ),
    "about": _when_answered(
        lambda column, answer, record: (
            column.labels.get(answer[column.option], "Removed option")
            if answer.get(column.option)
            else None
        )
    ),
    "about_option": _when_answered(
        lambda column, answer, record: (
            CHOSEN if column.option in answer.get(column.part, ()) else None
        )
    ),
    "postcode": _when_answered(
        lambda column, answer, record: answer.get("postcode_district") or None
    ),
}


def cell_for(column, record, layout=None):
    """One cell of a response's row."""
    return CELL_RULES[column.kind](column, record)


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
