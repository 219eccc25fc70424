"""The pieces the open data's OpenAPI document is made of (consultations/api/schema.py), shared
with each question type's part of it (consultations/api/question_schemas.py and the budget
simulator's budget_simulator/open_data.py). Imports nothing of the portal's own."""


def closed_object(description, properties, optional=()):
    """A closed JSON object: every property required unless named in `optional`."""
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
    }


def field(type_, description, **extra):
    return {"type": type_, "description": description, **extra}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def array(items, description):
    return {"type": "array", "description": description, "items": items}


def question(type_name, description, properties, optional=()):
    """One question's results: the fields every question has, then its type's own."""
    common = {
        "id": field("string", "The question's stable id; it never changes once answered."),
        "type": {"const": type_name, "description": "The question type."},
        "question": field("string", "The question as residents read it."),
        "section": field("string", "The title of the section the question was in."),
        "answered": field("integer", "How many responses answered this question.", minimum=0),
    }
    return closed_object(description, {**common, **properties}, optional=optional)


SUPPRESSED_NOTE = (
    " Null when hidden under the small-numbers rule (see `suppressed`): counts from 1 to "
    "`smallest_cell` - 1, and any other count that would let one be worked out. Zero is shown."
)

COUNT = closed_object(
    "How many responses gave one answer.",
    {
        "key": field("string", "The answer's stable key (an option id or a fixed choice key)."),
        "label": field("string", "The answer as residents read it."),
        "count": field(["integer", "null"], "Responses giving this answer." + SUPPRESSED_NOTE),
        "percent": field(
            ["number", "null"],
            "`count` as a percentage of those who answered, to one decimal place."
            + SUPPRESSED_NOTE
            + " Also null when the number it is a share of is hidden.",
        ),
        "suppressed": field(
            "boolean", "True when the count is hidden under the small-numbers rule."
        ),
    },
    optional=("suppressed",),
)

ORDER = array(
    array({"type": "string", "description": "An item key."}, "A tier of item keys."),
    "Items from first to last, as tiers: a tier of two or more items is a tie.",
)
