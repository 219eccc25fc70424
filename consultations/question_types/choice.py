"""Single and multiple choice: one answer, or several, from the officer's list."""

from wagtail import blocks

from consultations.question_types.base import (
    NUL,
    OTHER,
    AnswerError,
    OptionBlock,
    QuestionBlock,
    field_name,
    hidden_null_message,
    posted,
    single_row_reader,
)


def option_and_other(row):
    """A one-option answer from its row: the option, and the words of an "other" answer."""
    return {"option": row.option, "other": row.text} if row.text else {"option": row.option}


class SingleChoiceBlock(QuestionBlock):
    """One answer from a list, with an optional 'Other, please specify'."""

    type_name = "single_choice"
    # The words of an "Other, please specify" answer.
    takes_comments = True
    counted_by = "option"
    results_builder = "consultations.analysis.results.choice_results"
    charts_builder = "consultations.analysis.charts.choice_charts"
    open_data_schema = "consultations.api.question_schemas.single_choice"
    spreadsheet_columns = "consultations.spreadsheets.question_columns.single_choice_columns"
    breakdown = "options"

    options = blocks.ListBlock(OptionBlock(), min_num=2)
    allow_other = blocks.BooleanBlock(required=False, label="Offer 'Other, please specify'")

    options_field = "options"

    class Meta:
        icon = "radio-full"
        label = "Single choice"
        answer_template = "consultations/questions/single_choice.html"

    def field_names(self, value, block_id):
        return {field_name(block_id), field_name(block_id, OTHER)}

    def to_form_data(self, value, block_id, answer):
        data = {field_name(block_id): [answer["option"]]}
        if answer["option"] == OTHER:
            data[field_name(block_id, OTHER)] = [answer["other"]]
        return data

    def form_context(self, value, block_id, data, errors):
        context = super().form_context(value, block_id, data, errors)
        context["options"] = self.options_with_ids(value)
        context["other_name"] = field_name(block_id, OTHER)
        context["other_current"] = data.get(field_name(block_id, OTHER), "")
        context["other_error"] = errors.get(field_name(block_id, OTHER))
        return context

    def clean_answer(self, value, block_id, data):
        chosen = posted(data, field_name(block_id))
        if chosen == "":
            return self.missing(value, block_id, f"Select an answer for ‘{value['question']}’")
        allowed = self.option_ids(value) | ({OTHER} if value["allow_other"] else set())
        if chosen not in allowed:
            raise AnswerError({field_name(block_id): "Select one of the answers shown"})
        if chosen == OTHER:
            other = posted(data, field_name(block_id, OTHER))
            if not other:
                raise AnswerError({field_name(block_id, OTHER): "Say what your other answer is"})
            if NUL in other:
                raise AnswerError(
                    {field_name(block_id, OTHER): hidden_null_message("Your other answer")}
                )
            if len(other) > 200:
                raise AnswerError(
                    {
                        field_name(
                            block_id, OTHER
                        ): "Your other answer must be 200 characters or fewer"
                    }
                )
            return {"option": OTHER, "other": other}
        return {"option": chosen}

    def describe_answer(self, value, answer):
        if answer["option"] == OTHER:
            return [f"Other: {answer['other']}"]
        labels = self.option_labels(value)
        return [labels.get(answer["option"], "Removed option")]

    def offered_answers(self, value):
        offered = super().offered_answers(value)
        return [*offered, (OTHER, "Other")] if value.get("allow_other") else offered

    def comment_label(self, value):
        return f"{self.question_text(value)} (Other, please specify)"

    def answer_rows(self, answer):
        return [{"option": answer["option"], "text": answer.get("other", "")}]

    def answer_reader(self, question):
        return single_row_reader(option_and_other)


class MultipleChoiceBlock(QuestionBlock):
    """Any number of answers from a list, up to an optional maximum."""

    type_name = "multiple_choice"
    counted_by = "option"
    several_rows = True
    results_builder = "consultations.analysis.results.choice_results"
    charts_builder = "consultations.analysis.charts.choice_charts"
    open_data_schema = "consultations.api.question_schemas.multiple_choice"
    spreadsheet_columns = "consultations.spreadsheets.question_columns.multiple_choice_columns"
    breakdown = "options"

    options = blocks.ListBlock(OptionBlock(), min_num=2)
    max_choices = blocks.IntegerBlock(
        required=False, min_value=1, help_text="Leave empty for no limit."
    )

    options_field = "options"

    class Meta:
        icon = "tasks"
        label = "Multiple choice"
        answer_template = "consultations/questions/multiple_choice.html"

    def form_context(self, value, block_id, data, errors):
        context = super().form_context(value, block_id, data, errors)
        context["options"] = self.options_with_ids(value)
        context["chosen"] = data.getlist(field_name(block_id))
        return context

    def to_form_data(self, value, block_id, answer):
        return {field_name(block_id): list(answer["options"])}

    def clean_answer(self, value, block_id, data):
        name = field_name(block_id)
        chosen = [item for item in data.getlist(name) if item] if hasattr(data, "getlist") else []
        if not chosen:
            return self.missing(
                value, block_id, f"Select at least one answer for ‘{value['question']}’"
            )
        allowed = self.option_ids(value)
        if any(item not in allowed for item in chosen) or len(set(chosen)) != len(chosen):
            raise AnswerError({name: "Select only the answers shown"})
        if value["max_choices"] and len(chosen) > value["max_choices"]:
            raise AnswerError({name: f"Select no more than {value['max_choices']} answers"})
        order = [item_id for item_id, _ in self.options_with_ids(value)]
        return {"options": sorted(chosen, key=order.index)}

    def describe_answer(self, value, answer):
        labels = self.option_labels(value)
        return [labels.get(item_id, "Removed option") for item_id in answer["options"]]

    def answer_rows(self, answer):
        return [{"option": option} for option in answer["options"]]

    def answer_reader(self, question):
        return lambda rows, positions: {"options": [row.option for row in rows]}
