"""Free text: a comment box whose answers are moderated before anyone else reads them."""

from wagtail import blocks

from consultations.question_types.base import (
    NUL,
    AnswerError,
    QuestionBlock,
    field_name,
    hidden_null_message,
    posted,
    single_row_reader,
)


class FreeTextBlock(QuestionBlock):
    """A comment box with a character limit that residents can see."""

    type_name = "free_text"
    takes_comments = True
    counted_by = "option"
    results_builder = "consultations.analysis.results.free_text_results"
    charts_builder = "consultations.analysis.charts.free_text_charts"
    open_data_schema = "consultations.api.question_schemas.free_text"
    spreadsheet_columns = "consultations.spreadsheets.question_columns.free_text_columns"

    max_length = blocks.IntegerBlock(default=1000, min_value=10, max_value=10000)

    class Meta:
        icon = "pilcrow"
        label = "Free text"
        answer_template = "consultations/questions/free_text.html"

    def clean_answer(self, value, block_id, data):
        text = posted(data, field_name(block_id)).replace("\r\n", "\n")
        if not text:
            return self.missing(value, block_id, f"Enter your answer to ‘{value['question']}’")
        if NUL in text:
            raise AnswerError({field_name(block_id): hidden_null_message("Your answer")})
        if len(text) > value["max_length"]:
            raise AnswerError(
                {
                    field_name(
                        block_id
                    ): f"Your answer must be {value['max_length']} characters or fewer"
                }
            )
        return {"text": text}

    def describe_answer(self, value, answer):
        return [answer["text"]]

    def to_form_data(self, value, block_id, answer):
        return {field_name(block_id): [answer["text"]]}

    def answer_rows(self, answer):
        return [{"text": answer["text"]}]

    def answer_reader(self, question):
        return single_row_reader(lambda row: {"text": row.text})
