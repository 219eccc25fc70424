"""Priority ranking: residents put services in order, all of them or their top N."""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from consultations.question_types.base import (
    AnswerError,
    OptionBlock,
    QuestionBlock,
    field_name,
    posted,
)


class PriorityRankingBlock(QuestionBlock):
    """Residents put services in order of priority: all of them, or their top N."""

    type_name = "priority_ranking"
    results_builder = "consultations.analysis.results.ranking_results"
    charts_builder = "consultations.analysis.charts.ranking_charts"
    open_data_schema = "consultations.api.question_schemas.priority_ranking"
    spreadsheet_columns = "consultations.spreadsheets.question_columns.ranking_columns"
    breakdown = "first places"

    items = blocks.ListBlock(OptionBlock(), min_num=2, label="Things to rank")
    top_n = blocks.IntegerBlock(
        required=False,
        min_value=1,
        help_text="Leave empty for 'rank all'. Set a number for 'rank your top N'.",
        label="Rank top N only",
    )

    options_field = "items"
    scripts = ("consultations/js/ranking.js",)

    class Meta:
        icon = "list-ol"
        label = "Priority ranking"
        answer_template = "consultations/questions/ranking.html"

    def clean(self, value):
        value = super().clean(value)
        top_n = value.get("top_n")
        if top_n and top_n >= len(value["items"]):
            raise StructBlockValidationError(
                block_errors={
                    "top_n": ValidationError(
                        f"Top N must be fewer than the {len(value['items'])} things to rank; "
                        "leave it empty to rank all."
                    )
                }
            )
        return value

    def places_to_fill(self, value):
        return value.get("top_n") or len(value["items"])

    def field_names(self, value, block_id):
        return {field_name(block_id, item_id) for item_id in self.option_ids(value)}

    def to_form_data(self, value, block_id, answer):
        return {
            field_name(block_id, item_id): [str(position)]
            for item_id, position in answer["positions"].items()
        }

    def form_context(self, value, block_id, data, errors):
        context = super().form_context(value, block_id, data, errors)
        items = self.options_with_ids(value)
        context.update(
            places=self.places_to_fill(value),
            rank_all=not value.get("top_n"),
            position_choices=[str(n) for n in range(1, self.places_to_fill(value) + 1)],
            first_name=field_name(block_id, items[0][0]),
            error=errors.get(field_name(block_id, items[0][0])),
            items=[
                {
                    "id": item_id,
                    "name": field_name(block_id, item_id),
                    "label": item["label"],
                    "description": item["description"],
                    "position": data.get(field_name(block_id, item_id), ""),
                    "error": errors.get(field_name(block_id, item_id)) if index else None,
                }
                for index, (item_id, item) in enumerate(items)
            ],
        )
        return context

    def clean_answer(self, value, block_id, data):
        items = self.options_with_ids(value)
        places = self.places_to_fill(value)
        first_item_field = field_name(block_id, items[0][0])
        positions, labels = {}, {}
        for item_id, item in items:
            raw = posted(data, field_name(block_id, item_id))
            if raw == "":
                continue
            try:
                position = int(raw)
            except ValueError:
                position = 0
            if not 1 <= position <= places:
                raise AnswerError(
                    {
                        field_name(block_id, item_id): (
                            f"Choose a position from 1 to {places} for {item['label']}"
                        )
                    }
                )
            positions[item_id] = position
            labels.setdefault(position, []).append(item["label"])
        if not positions:
            if value["required"]:
                raise AnswerError(
                    {
                        first_item_field: f"Rank {'all' if places == len(items) else 'your top'} "
                        f"{places} for ‘{value['question']}’"
                    }
                )
            return None
        for position, named in sorted(labels.items()):
            if len(named) > 1:
                raise AnswerError(
                    {
                        first_item_field: (
                            f"{' and '.join(named)} cannot both be number {position}: "
                            "give each a different position"
                        )
                    }
                )
        missing = [position for position in range(1, places + 1) if position not in labels]
        if missing:
            if value.get("top_n"):
                message = f"Rank exactly your top {places}: position {missing[0]} is not used"
            else:
                message = (
                    f"Give every item a position from 1 to {places}: "
                    f"position {missing[0]} is not used"
                )
            raise AnswerError({first_item_field: message})
        return {"positions": positions}

    def describe_answer(self, value, answer):
        labels = self.option_labels(value)
        ordered = sorted(answer["positions"].items(), key=lambda pair: pair[1])
        return [
            f"{position}. {labels.get(item_id, 'Removed item')}" for item_id, position in ordered
        ]

    def answer_rows(self, answer):
        return []

    def ranking_positions(self, answer):
        return answer["positions"]

    def answer_reader(self, question):
        return lambda rows, positions: {"positions": dict(positions)}
