"""The spreadsheet columns of consultations' own question types, left to right.

Each type names its function here as `spreadsheet_columns`; the responses layout
(`layout.py`) calls it with the question's place in the sheet (`QuestionSheet`). The budget
simulator's columns are its own (budget_simulator/spreadsheet_columns.py).
"""

from consultations.question_types.about_you import (
    AGE_BANDS,
    CONNECTIONS,
    DISABILITY,
    ETHNICITY,
    SEX,
)
from consultations.question_types.base import OTHER, PREFER_NOT_TO_SAY
from consultations.spreadsheets.layout import Column

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


def ranking_columns(sheet):
    """One column per item: the position the resident gave it."""
    question = sheet.question
    return [
        Column(
            f"{question.id}:{item_id}",
            f"{sheet.heading}: {item['label']}",
            "position",
            option=item_id,
            explanation=f"Where the resident ranked ‘{item['label']}’ (1 is the highest "
            "priority); empty if not ranked.",
            **sheet.common,
        )
        for item_id, item in question.block.options_with_ids(question.value)
    ]


def single_choice_columns(sheet):
    """The answer chosen, and the words of an allowed "Other" in a column of their own."""
    question = sheet.question
    columns = [
        Column(
            question.id,
            sheet.heading,
            "choice",
            choices=tuple(question.block.offered_answers(question.value)),
            explanation="The answer chosen.",
            **sheet.common,
        )
    ]
    if question.value["allow_other"]:
        columns.append(
            Column(
                f"{question.id}:{OTHER}",
                f"{sheet.heading}: other answer",
                "other",
                option=OTHER,
                personal=False,
                explanation=sheet.words_help,
                **sheet.common,
            )
        )
    return columns


def multiple_choice_columns(sheet):
    """One column per option: ticked (1) or not."""
    question = sheet.question
    return [
        Column(
            f"{question.id}:{item_id}",
            f"{sheet.heading}: {item['label']}",
            "option",
            option=item_id,
            explanation="1 if chosen, empty if not.",
            **sheet.common,
        )
        for item_id, item in question.block.options_with_ids(question.value)
    ]


def agreement_columns(sheet):
    question = sheet.question
    return [
        Column(
            question.id,
            sheet.heading,
            "agreement",
            choices=tuple(question.block.offered_answers(question.value)),
            explanation="How far the resident agrees.",
            **sheet.common,
        )
    ]


def free_text_columns(sheet):
    return [
        Column(
            sheet.question.id, sheet.heading, "text", explanation=sheet.words_help, **sheet.common
        )
    ]


def number_columns(sheet):
    return [
        Column(sheet.question.id, sheet.heading, "number", explanation="A number.", **sheet.common)
    ]


def about_you_columns(sheet):
    """A column per "about you" part (a column per choice where several may be chosen), the
    area only where the sheet does not show it beside the reference, and the postcode district
    only with personal data."""
    question = sheet.question
    qid, value = question.id, question.value
    common = {"question_id": qid, "question_text": "About you"}
    prefer_not = (PREFER_NOT_TO_SAY, "Prefer not to say")
    columns = []
    for part, _text, choices, multiple in question.block.parts(value):
        if part == "ward":
            if sheet.area_shown_apart:
                continue
            label = "Area"
        else:
            label = ABOUT_YOU_PARTS[part][0]
        heading = f"Q{sheet.number} About you: {label}"
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
                    label=label,
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
                    label=label,
                    choices=(*tuple(choices), prefer_not),
                    explanation=f"{label}, as the resident said.{note}",
                    **special,
                    **common,
                )
            )
    if value["ask_postcode_district"] and sheet.personal_data:
        columns.append(
            Column(
                f"{qid}:postcode_district",
                f"Q{sheet.number} About you: postcode district (personal data)",
                "postcode",
                option="postcode_district",
                personal=True,
                explanation="The first part of the postcode, e.g. KM1.",
                **common,
            )
        )
    return columns
