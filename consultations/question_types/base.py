"""What every question type shares: the contract each type fulfils, its common fields, field
names and the answer error. Types live one to a module beside this one (and the budget simulator
in its own app); `consultations.question_types` lists them (docs/decisions/0009-one-unit-per-
question-type.md)."""

from wagtail import blocks

PREFER_NOT_TO_SAY = "prefer_not_to_say"
OTHER = "other"


# PostgreSQL cannot store NUL in text. The request middleware strips it from what browsers post;
# answers arriving another way (a spreadsheet import) are refused with this, field by field.
NUL = "\x00"


def hidden_null_message(whose):
    return f"{whose} contains a hidden null character, which cannot be stored: delete it"


class AnswerError(Exception):
    """The posted answer is not acceptable. `errors` maps a field's HTML id to one message."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def field_name(block_id, part=None):
    """The form field name (and HTML id) for a question, or one part of it."""
    return f"q-{block_id}" if part is None else f"q-{block_id}-{part}"


def posted(data, name):
    """One posted value, stripped; '' when missing."""
    value = data.get(name, "")
    return value.strip() if isinstance(value, str) else ""


class OptionBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=200)
    description = blocks.CharBlock(max_length=300, required=False)

    class Meta:
        icon = "radio-full"
        label = "Option"


class QuestionType:
    """The contract every question type fulfils, mixed into its Wagtail StructBlock.

    The block is the type: the officer sets it up in the editor (its fields and `clean`), the
    resident answers it (`form_context`, `clean_answer`, `field_names`, `to_form_data`,
    `describe_answer`), and it says how its clean answer is stored and read back (below). Code
    outside the type asks these methods and never tests which type a question is.
    """

    # The StreamField block name. Stored answers are keyed by the block's id, never by this.
    type_name = None

    # Static JavaScript modules that enhance this question's fields (loaded where it is asked).
    scripts = ()

    def question_text(self, value):
        """The question as residents read it (headings, exports, results)."""
        return value["question"]

    # Whether residents' own words in this type's answers (Answer.text) become comments that
    # moderators read before anyone else does.
    takes_comments = False

    def comment_label(self, value):
        """What moderators and analysts are told the comment answers."""
        return self.question_text(value)

    # Results (consultations/analysis/results.py). The pipeline counts every question's rows in a
    # few queries for all of them, then asks each type's builder for its part of the results.
    # How its Answer rows are counted: "option" (rows per option, from the index alone), "part"
    # (rows per part, option and number) or None (a ranking's ballots are counted on their own).
    counted_by = None
    # One answer is several Answer rows, so residents are counted rather than rows.
    several_rows = False
    # Roughly how many rows one answer writes (the counting query looks for the most first).
    typical_rows = 1
    # Dotted path of the function (scope, question, answers, small) → this type's results.
    results_builder = None
    # Dotted path of the function (this type's entry in the results dictionary) → QuestionCharts
    # (consultations/analysis/charts.py): its charts, each with a table, for dashboard and outcome.
    charts_builder = None
    # Dotted path of the function (consultations.spreadsheets.layout.QuestionSheet) → the columns
    # of the responses spreadsheet this type's answers fill, left to right.
    spreadsheet_columns = None
    # Dotted path of the function → (this type's schema in the open data's OpenAPI document, the
    # components it refers to by name). None: its results are not published as open data.
    open_data_schema = None
    # How answers are broken down by area or an "about you" answer: "options" (residents who
    # chose each option) or "first places" (residents who ranked each item first); None: never.
    breakdown = None
    # The answers describe the resident (area, age...): they make the results' groups.
    about_the_resident = False

    def offered_answers(self, value):
        """(key, label) for each answer a choice-like question offers, in order."""
        return []

    def area_choices(self, value):
        """(key, area name) for each area residents may say they live in, where this question
        asks it (the first such question gives each response its area); else None."""
        return None

    def multiple_parts(self, value):
        """Parts of this question that take several answers (counted by resident), in order."""
        return []

    # Storage: an answer is Answer rows (part, option, text, number) and, for rankings,
    # RankingPosition rows (item id → position).

    def answer_rows(self, answer):
        """The Answer rows (as dicts of their fields) that store this clean answer."""
        raise NotImplementedError

    def ranking_positions(self, answer):
        """{item id: position} to store as RankingPosition rows; most types have none."""
        return {}

    def answer_reader(self, question):
        """A function (answer rows, {item id: position}) → the clean answer, for `question`
        (journey.Question). Made once per question, so a big export prepares it once."""
        raise NotImplementedError


def single_row_reader(read):
    """A reader for types stored as one Answer row (the last one wins, as when it was written)."""

    def reader(rows, positions):
        return read(rows[-1])

    return reader


class QuestionBlock(QuestionType, blocks.StructBlock):
    """Fields every question has: the question itself, help text and whether it is required."""

    question = blocks.CharBlock(max_length=300, help_text="The question as residents will read it.")
    help_text = blocks.CharBlock(
        max_length=500, required=False, help_text="Hint text shown under the question."
    )
    required = blocks.BooleanBlock(
        required=False, default=True, help_text="Residents must answer before moving on."
    )

    # Meta.answer_template: the resident-facing form fields. (Meta.form_template would replace
    # the block's form in the Wagtail editor.)

    def form_context(self, value, block_id, data, errors):
        """Template context for this question's form fields, showing what was posted (`data`)."""
        name = field_name(block_id)
        return {
            "question": value,
            "block_id": block_id,
            "name": name,
            "current": data.get(name, ""),
            "errors": errors,
            "error": errors.get(name),
            "hint_id": f"{name}-hint" if value.get("help_text") else "",
        }

    # The ListBlock (if any) whose item ids stored answers point at.
    options_field = None

    def options_with_ids(self, value):
        if self.options_field is None:
            return []
        return [(item.id, item.value) for item in value[self.options_field].bound_blocks]

    def offered_answers(self, value):
        return [(item_id, item["label"]) for item_id, item in self.options_with_ids(value)]

    def option_labels(self, value):
        return {item_id: item["label"] for item_id, item in self.options_with_ids(value)}

    def missing(self, value, block_id, message=None):
        if value["required"]:
            raise AnswerError({field_name(block_id): message or f"Answer ‘{value['question']}’"})
        return None

    def clean_answer(self, value, block_id, data):
        """Return the clean answer from posted `data`, None if unanswered, or raise AnswerError."""
        raise NotImplementedError

    def describe_answer(self, value, answer):
        """The answer in words, as lines, for 'check your answers' and the emailed receipt."""
        raise NotImplementedError

    def option_ids(self, value):
        """Ids whose removal would change the meaning of stored answers."""
        return {item_id for item_id, _ in self.options_with_ids(value)}

    def field_names(self, value, block_id):
        """Every form field name this question may post; anything else is tampering."""
        return {field_name(block_id)}

    def to_form_data(self, value, block_id, answer):
        """The form fields that would post this answer (to pre-fill a changed response)."""
        return {field_name(block_id): [answer["option"]]}
