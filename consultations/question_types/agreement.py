"""Agreement scale: how far a resident agrees with a statement."""

from consultations.question_types.base import (
    AnswerError,
    QuestionBlock,
    field_name,
    posted,
    single_row_reader,
)

AGREEMENT_SCALE = [
    ("strongly_agree", "Strongly agree"),
    ("agree", "Agree"),
    ("neither", "Neither agree nor disagree"),
    ("disagree", "Disagree"),
    ("strongly_disagree", "Strongly disagree"),
    ("dont_know", "Don’t know"),
]


class AgreementScaleBlock(QuestionBlock):
    """How far residents agree with a statement: five points plus 'Don't know'."""

    type_name = "agreement_scale"
    counted_by = "option"
    results_builder = "consultations.analysis.results.choice_results"
    charts_builder = "consultations.analysis.charts.choice_charts"
    open_data_schema = "consultations.api.question_schemas.agreement_scale"
    spreadsheet_columns = "consultations.spreadsheets.question_columns.agreement_columns"
    breakdown = "options"

    class Meta:
        icon = "order"
        label = "Agreement scale"
        answer_template = "consultations/questions/agreement.html"

    def offered_answers(self, value):
        return list(AGREEMENT_SCALE)

    def form_context(self, value, block_id, data, errors):
        context = super().form_context(value, block_id, data, errors)
        context["options"] = AGREEMENT_SCALE
        return context

    def clean_answer(self, value, block_id, data):
        chosen = posted(data, field_name(block_id))
        if chosen == "":
            return self.missing(
                value, block_id, f"Select how far you agree with ‘{value['question']}’"
            )
        if chosen not in dict(AGREEMENT_SCALE):
            raise AnswerError({field_name(block_id): "Select one of the answers shown"})
        return {"option": chosen}

    def describe_answer(self, value, answer):
        return [dict(AGREEMENT_SCALE)[answer["option"]]]

    def answer_rows(self, answer):
        return [{"option": answer["option"]}]

    def answer_reader(self, question):
        return single_row_reader(lambda row: {"option": row.option})
