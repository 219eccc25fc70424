"""The response journey as plain data: sections of questions, cleaning posted answers, summaries.

Views call these; nothing here touches the request or the database.
"""

from dataclasses import dataclass, field

from django.utils.datastructures import MultiValueDict

from consultations.question_types.base import AnswerError

# Form fields that are not answers but may be posted with any section.
FORM_CONTROL_FIELDS = {"csrfmiddlewaretoken", "action", "return_to"}
# What the session keeps of one posted field, whatever is posted: one character more than the
# longest answer any question allows (FreeTextBlock's 10,000), so an answer over its question's
# limit is still refused by that question rather than cut short into a valid one.
MAX_FIELD_CHARACTERS = 10_001
# Values kept per field: more than any checkbox question's options.
MAX_FIELD_VALUES = 100


@dataclass
class Question:
    id: str
    block: object
    value: object
    type: str

    @property
    def text(self):
        return self.block.question_text(self.value)

    @property
    def required(self):
        return bool(self.value.get("required", False))

    @property
    def anchor(self):
        return f"question-{self.id}"

    def field_names(self):
        return self.block.field_names(self.value, self.id)


@dataclass
class Section:
    number: int
    title: str
    introduction: str
    questions: list = field(default_factory=list)

    def field_names(self):
        names = set()
        for question in self.questions:
            names |= question.field_names()
        return names


def sections_of(consultation):
    """The consultation's sections, numbered from 1, with their questions."""
    sections = []
    for number, section in enumerate(consultation.questions, start=1):
        questions = [
            Question(id=child.id, block=child.block, value=child.value, type=child.block_type)
            for child in section.value["questions"]
        ]
        sections.append(
            Section(
                number=number,
                title=section.value["title"],
                introduction=section.value["introduction"],
                questions=questions,
            )
        )
    return sections


def questions_by_id(sections):
    return {q.id: q for section in sections for q in section.questions}


def questions_of(consultation):
    return questions_by_id(sections_of(consultation))


def section_data(section, posted):
    """Keep only this section's answer fields from a POST, as JSON-able lists of strings.

    Answers in progress wait in the session unchecked ("Update totals", a draft), so what is kept
    is bounded: the section's own fields, `MAX_FIELD_VALUES` values and `MAX_FIELD_CHARACTERS`
    characters each at most.
    """
    names = section.field_names()
    return {name: _bounded(posted.getlist(name)) for name in posted if name in names}


def _bounded(values):
    kept, room = [], MAX_FIELD_CHARACTERS
    for value in values[:MAX_FIELD_VALUES]:
        value = str(value)[:room]
        kept.append(value)
        room -= len(value)
        if room <= 0:
            break
    return kept


def unexpected_fields(section, posted):
    """Field names posted that this section never offers: a tampered or stale form."""
    return sorted(set(posted) - section.field_names() - FORM_CONTROL_FIELDS)


def clean_section(section, data):
    """Clean every answer in a section. Returns (answers by question id, errors by field id)."""
    data = data if isinstance(data, MultiValueDict) else MultiValueDict(data)
    answers, errors = {}, {}
    for question in section.questions:
        try:
            answer = question.block.clean_answer(question.value, question.id, data)
        except AnswerError as problem:
            errors.update(problem.errors)
            continue
        if answer is not None:
            answers[question.id] = answer
    return answers, errors


def clean_all(sections, data):
    """Clean the whole response. Returns (answers, number of first section with errors or None)."""
    answers = {}
    for section in sections:
        section_answers, errors = clean_section(section, data)
        if errors:
            return answers, section.number
        answers.update(section_answers)
    return answers, None


def form_data_for(sections, answers):
    """Turn clean answers back into form data, to pre-fill a response being changed."""
    data = {}
    for section in sections:
        for question in section.questions:
            if question.id in answers:
                data.update(
                    question.block.to_form_data(question.value, question.id, answers[question.id])
                )
    return data


def summary(sections, answers):
    """Rows for 'check your answers' and the receipt: section, question, answer lines."""
    rows = []
    for section in sections:
        for question in section.questions:
            answer = answers.get(question.id)
            rows.append(
                {
                    "section": section,
                    "question": question,
                    "answered": bool(answer),
                    "lines": question.block.describe_answer(question.value, answer)
                    if answer
                    else ["Not answered"],
                }
            )
    return rows
