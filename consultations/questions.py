"""A consultation's sections and the questions in them.

Each question is a block of one of the registered question types (`consultations.question_types`,
one class per type). Answers are keyed by the block's StreamField id, and options and ranking
items by their ListBlock item ids, so rewording a question never changes what stored answers mean.

A clean answer is plain JSON-able data:
    ranking          {"positions": {item_id: position, ...}}
    single choice    {"option": option_id, "other": "text"}   ("other" only for "other")
    multiple choice  {"options": [option_id, ...]}
    agreement        {"option": "agree"}
    free text        {"text": "..."}
    number           {"number": "12.5"}
    about you        {"age_band": "35_44", "ward": item_id, ...}   (only the parts answered)
    budget simulator {"lines": {key: basis points}, "revenue": {...}, "savings_found_pence": n}
"""

from wagtail import blocks

from consultations.question_types import question_types

# One child block per registered type, named by its type name (what Wagtail stores as "type").
QuestionStreamBlock = type(
    "QuestionStreamBlock",
    (blocks.StreamBlock,),
    {"__module__": __name__, **{name: block() for name, block in question_types()}},
)


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
