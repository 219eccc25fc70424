"""About you: optional questions about the resident (age, area, connection, equality
monitoring) and the postcode district."""

from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from consultations.question_types.base import (
    PREFER_NOT_TO_SAY,
    AnswerError,
    QuestionType,
    field_name,
    posted,
)

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


class AboutYouBlock(QuestionType, blocks.StructBlock):
    """Optional questions about the resident, each with 'Prefer not to say'.

    Equality-monitoring answers are special category data: always optional, reported only in
    aggregate.
    """

    type_name = "about_you"
    counted_by = "part"
    several_rows = True
    typical_rows = 5
    results_builder = "consultations.analysis.results.about_you_results"
    charts_builder = "consultations.analysis.charts.about_you_charts"
    open_data_schema = "consultations.api.question_schemas.about_you"
    spreadsheet_columns = "consultations.spreadsheets.question_columns.about_you_columns"
    about_the_resident = True

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

    def question_text(self, value):
        return "About you"

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

    def area_choices(self, value):
        return ward_choices(value)

    def multiple_parts(self, value):
        return [part for part, _text, _choices, many in self.parts(value) if many]

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

    def answer_rows(self, answer):
        rows = []
        for part, chosen in answer.items():
            if part == "postcode_district":
                rows.append({"part": part, "text": chosen})
                continue
            for option in chosen if isinstance(chosen, list) else [chosen]:
                rows.append({"part": part, "option": option})
        return rows

    def answer_reader(self, question):
        multiple = set(self.multiple_parts(question.value))

        def reader(rows, positions):
            answer = {}
            for row in rows:
                if row.part == "postcode_district":
                    answer[row.part] = row.text
                elif row.part in multiple:
                    answer.setdefault(row.part, []).append(row.option)
                else:
                    answer[row.part] = row.option
            return answer

        return reader
