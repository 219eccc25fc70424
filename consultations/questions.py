"""Question blocks: one class per question type.

Each block lets an officer set a question up in Wagtail (and refuses a broken setup), and knows
how to turn a resident's posted form fields into a clean answer, or say exactly what is wrong.
Answers are keyed by the block's StreamField id, and options and ranking items by their ListBlock
item ids, so rewording a question never changes what stored answers mean.

A clean answer is plain JSON-able data:
    ranking          {"positions": {item_id: position, ...}}
    single choice    {"option": option_id, "other": "text"}   ("other" only for "other")
    multiple choice  {"options": [option_id, ...]}
    agreement        {"option": "agree"}
    free text        {"text": "..."}
    number           {"number": "12.5"}
    about you        {"age_band": "35_44", "ward": item_id, ...}   (only the parts answered)
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.snippets.blocks import SnippetChooserBlock

from budget_simulator.blocks import BudgetSimulatorBlock
from consultations.question_base import (  # noqa: F401 (re-exported for the question types' users)
    OTHER,
    PREFER_NOT_TO_SAY,
    AnswerError,
    OptionBlock,
    QuestionBlock,
    field_name,
    posted,
)

# PostgreSQL cannot store NUL in text. The request middleware strips it from what browsers post;
# answers arriving another way (a spreadsheet import) are refused with this, field by field.
NUL = "\x00"


def hidden_null_message(whose):
    return f"{whose} contains a hidden null character, which cannot be stored: delete it"


class PriorityRankingBlock(QuestionBlock):
    """Residents put services in order of priority: all of them, or their top N."""

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


class SingleChoiceBlock(QuestionBlock):
    """One answer from a list, with an optional 'Other, please specify'."""

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


class MultipleChoiceBlock(QuestionBlock):
    """Any number of answers from a list, up to an optional maximum."""

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

    class Meta:
        icon = "order"
        label = "Agreement scale"
        answer_template = "consultations/questions/agreement.html"

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


class FreeTextBlock(QuestionBlock):
    """A comment box with a character limit that residents can see."""

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


class NumberBlock(QuestionBlock):
    """A number, optionally within limits (for example 'How many times a month...')."""

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


AGE_BANDS = [
    ("under_16", "Under 16"),
    ("16_24", "16 to 24"),
    ("25_34", "25 to 34"),
    ("35_44", "35 to 44"),
    ("45_54", "45 to 54"),
    ("55_64", "55 to 64"),
    ("65_74", "65 to 74"),
    ("75_over", "75 or over"),
]
CONNECTIONS = [
    ("live", "I live in the area"),
    ("work", "I work in the area"),
    ("study", "I study in the area"),
    ("business", "I run a business in the area"),
    ("visit", "I visit the area"),
    ("organisation", "I am responding for an organisation"),
]
SEX = [("female", "Female"), ("male", "Male")]
DISABILITY = [("yes", "Yes"), ("no", "No")]
ETHNICITY = [
    ("asian", "Asian or Asian British"),
    ("black", "Black, Black British, Caribbean or African"),
    ("mixed", "Mixed or multiple ethnic groups"),
    ("white", "White"),
    ("other", "Another ethnic group"),
]


def ward_choices(value):
    """(item id, area name) for each area an "about you" question offers (an area deleted since
    is no longer offered)."""
    return [
        (item.id, item.value.name) for item in value["wards"].bound_blocks if item.value is not None
    ]


class AboutYouBlock(blocks.StructBlock):
    """Optional questions about the resident, each with 'Prefer not to say'.

    Equality-monitoring answers are special category data: always optional, reported only in
    aggregate.
    """

    intro = blocks.CharBlock(
        required=False,
        max_length=500,
        default="These questions help us check we have heard from everyone. They are all optional.",
    )
    # The council's one list of areas (the Area snippets consultations are tagged with): stored
    # answers point at the list item's id, so an area renamed under Snippets is renamed here too.
    wards = blocks.ListBlock(
        SnippetChooserBlock("consultations.Area"),
        min_num=1,
        label="Areas",
        help_text="The areas residents choose from: the council's list under Snippets › Areas.",
    )
    ask_postcode_district = blocks.BooleanBlock(required=False, default=True)
    ask_equality = blocks.BooleanBlock(
        required=False, default=True, label="Ask equality-monitoring questions"
    )

    class Meta:
        icon = "user"
        label = "About you"
        answer_template = "consultations/questions/about_you.html"

    def parts(self, value):
        """(part, question, choices, multiple) for each question this block asks."""
        wards = ward_choices(value)
        parts = [
            ("age_band", "What is your age?", AGE_BANDS, False),
            ("ward", "Which area do you live in?", wards, False),
            ("connection", "What is your connection to the area?", CONNECTIONS, True),
        ]
        if value["ask_equality"]:
            parts += [
                ("sex", "What is your sex?", SEX, False),
                ("disability", "Do you consider yourself to have a disability?", DISABILITY, False),
                ("ethnicity", "What is your ethnic group?", ETHNICITY, False),
            ]
        return parts

    def option_ids(self, value):
        return {item.id for item in value["wards"].bound_blocks}

    def field_names(self, value, block_id):
        names = {field_name(block_id, part) for part, *_ in self.parts(value)}
        return names | {field_name(block_id, "postcode_district")}

    def to_form_data(self, value, block_id, answer):
        return {
            field_name(block_id, part): chosen if isinstance(chosen, list) else [chosen]
            for part, chosen in answer.items()
        }

    def form_context(self, value, block_id, data, errors):
        questions = []
        for part, question, choices, multiple in self.parts(value):
            name = field_name(block_id, part)
            current = data.getlist(name) if multiple else data.get(name, "")
            questions.append(
                {
                    "part": part,
                    "name": name,
                    "question": question,
                    "choices": [*choices, (PREFER_NOT_TO_SAY, "Prefer not to say")],
                    "multiple": multiple,
                    "current": current,
                    "error": errors.get(name),
                }
            )
        postcode_name = field_name(block_id, "postcode_district")
        return {
            "block": value,
            "block_id": block_id,
            "questions": questions,
            "ask_postcode_district": value["ask_postcode_district"],
            "postcode_name": postcode_name,
            "postcode": data.get(postcode_name, ""),
            "postcode_error": errors.get(postcode_name),
        }

    def clean_answer(self, value, block_id, data):
        answer, errors = {}, {}
        for part, question, choices, multiple in self.parts(value):
            name = field_name(block_id, part)
            allowed = {key for key, _ in choices} | {PREFER_NOT_TO_SAY}
            if multiple:
                chosen = (
                    [item for item in data.getlist(name) if item]
                    if hasattr(data, "getlist")
                    else []
                )
                if any(item not in allowed for item in chosen):
                    errors[name] = f"Select only the answers shown for ‘{question}’"
                elif PREFER_NOT_TO_SAY in chosen and len(chosen) > 1:
                    errors[name] = "Select ‘Prefer not to say’ on its own, or untick it"
                elif chosen:
                    answer[part] = chosen
            else:
                chosen = posted(data, name)
                if chosen and chosen not in allowed:
                    errors[name] = f"Select one of the answers shown for ‘{question}’"
                elif chosen:
                    answer[part] = chosen
        if value["ask_postcode_district"]:
            name = field_name(block_id, "postcode_district")
            district = posted(data, name).upper().replace(" ", "")
            if district and not (
                2 <= len(district) <= 4 and district[0].isalpha() and district.isalnum()
            ):
                errors[name] = "Enter the first part of your postcode only, like KM1"
            elif district:
                answer["postcode_district"] = district
        if errors:
            raise AnswerError(errors)
        return answer or None

    def describe_answer(self, value, answer):
        lines = []
        for part, question, choices, multiple in self.parts(value):
            if part not in answer:
                continue
            labels = dict([*choices, (PREFER_NOT_TO_SAY, "Prefer not to say")])
            chosen = answer[part] if multiple else [answer[part]]
            lines.append(f"{question} {', '.join(labels.get(c, 'Removed option') for c in chosen)}")
        if "postcode_district" in answer:
            lines.append(f"Postcode district: {answer['postcode_district']}")
        return lines


class QuestionStreamBlock(blocks.StreamBlock):
    priority_ranking = PriorityRankingBlock()
    single_choice = SingleChoiceBlock()
    multiple_choice = MultipleChoiceBlock()
    agreement_scale = AgreementScaleBlock()
    free_text = FreeTextBlock()
    number = NumberBlock()
    about_you = AboutYouBlock()
    budget_simulator = BudgetSimulatorBlock()


class SectionBlock(blocks.StructBlock):
    """A group of questions. Each section is one page of the response form."""

    title = blocks.CharBlock(max_length=120)
    introduction = blocks.TextBlock(required=False)
    questions = QuestionStreamBlock(min_num=1)

    class Meta:
        icon = "folder-open-inverse"
        label = "Section"


class SectionsBlock(blocks.StreamBlock):
    section = SectionBlock()
