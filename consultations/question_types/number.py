"""Number: a number, optionally whole and within limits."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from consultations.question_types.base import (
    AnswerError,
    QuestionBlock,
    field_name,
    posted,
    single_row_reader,
)


def number_answer(row):
    """The stored number as the journey posts it: "12", "12.5", never "12.0"."""
    number = row.number.normalize()
    return {"number": str(number if number != number.to_integral_value() else int(number))}


class NumberBlock(QuestionBlock):
    """A number, optionally within limits (for example 'How many times a month...')."""

    type_name = "number"
    counted_by = "part"
    results_builder = "consultations.analysis.results.number_results"
    charts_builder = "consultations.analysis.charts.number_charts"
    open_data_schema = "consultations.api.question_schemas.number"
    spreadsheet_columns = "consultations.spreadsheets.question_columns.number_columns"

    min_value = blocks.DecimalBlock(required=False)
    max_value = blocks.DecimalBlock(required=False)
    whole_number = blocks.BooleanBlock(required=False, default=True)
    unit = blocks.CharBlock(
        required=False, max_length=30, help_text="Shown after the box, e.g. 'times a month'."
    )

    class Meta:
        icon = "plus-inverse"
        label = "Number"
        answer_template = "consultations/questions/number.html"

    def clean(self, value):
        value = super().clean(value)
        if value["min_value"] is not None and value["max_value"] is not None:
            if value["min_value"] > value["max_value"]:
                raise StructBlockValidationError(
                    block_errors={
                        "max_value": ValidationError("The maximum must not be below the minimum.")
                    }
                )
        return value

    def clean_answer(self, value, block_id, data):
        name = field_name(block_id)
        raw = posted(data, name).replace(",", "")
        if raw == "":
            return self.missing(value, block_id, f"Enter a number for ‘{value['question']}’")
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise AnswerError({name: "Enter a number, like 12"}) from None
        if not number.is_finite() or abs(number) >= Decimal("1e12"):
            raise AnswerError({name: "Enter a number, like 12"})
        if value["whole_number"] and number != number.to_integral_value():
            raise AnswerError({name: "Enter a whole number, like 12"})
        if value["min_value"] is not None and number < value["min_value"]:
            raise AnswerError({name: f"Enter a number of at least {value['min_value']}"})
        if value["max_value"] is not None and number > value["max_value"]:
            raise AnswerError({name: f"Enter a number no bigger than {value['max_value']}"})
        if number == number.to_integral_value():
            return {"number": str(int(number))}
        return {"number": format(number.normalize(), "f")}

    def describe_answer(self, value, answer):
        unit = f" {value['unit']}" if value["unit"] else ""
        return [f"{answer['number']}{unit}"]

    def to_form_data(self, value, block_id, answer):
        return {field_name(block_id): [answer["number"]]}

    def answer_rows(self, answer):
        return [{"number": Decimal(answer["number"])}]

    def answer_reader(self, question):
        return single_row_reader(number_answer)
