"""What every question block shares: its common fields, field names and the answer error.

Kept apart from the question types so other apps (the budget simulator) can build question
blocks without importing every type.
"""

from wagtail import blocks

PREFER_NOT_TO_SAY = "prefer_not_to_say"
OTHER = "other"


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


class QuestionBlock(blocks.StructBlock):
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

    # Static JavaScript modules that enhance this question's fields (loaded where it is asked).
    scripts = ()

    # The ListBlock (if any) whose item ids stored answers point at.
    options_field = None

    def options_with_ids(self, value):
        if self.options_field is None:
            return []
        return [(item.id, item.value) for item in value[self.options_field].bound_blocks]

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
