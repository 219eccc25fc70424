"""The budget simulator's results in the open data (consultations/api/): its part of the
OpenAPI document, named by the question type as `open_data_schema`."""

from consultations.api.schema_parts import array, closed_object, field, question, ref

LEVER = closed_object(
    "What residents chose for one service line or revenue option in the budget simulator.",
    {
        "key": field("string", "The line's or option's stable key."),
        "name": field("string", "The service line or revenue option."),
        "responses": field("integer", "Residents who chose a level for it.", minimum=0),
        "mean_percent": field(
            ["number", "null"], "The mean change chosen, in percent (null with no responses)."
        ),
        "median_percent": field(
            ["number", "null"], "The median change chosen, in percent (null with no responses)."
        ),
        "cut": field("integer", "Residents who chose less (spending or income).", minimum=0),
        "kept": field("integer", "Residents who kept it as it is.", minimum=0),
        "increased": field("integer", "Residents who chose more.", minimum=0),
    },
)


def budget_simulator_schema():
    """The budget simulator's part of the open data's OpenAPI document
    (consultations/api/schema.py): each service line and revenue option, and the Lever schema
    they refer to."""
    return (
        question(
            "budget_simulator",
            "A budget simulator: residents cut, kept or grew each service and chose income.",
            {
                "lines": array(ref("Lever"), "Each service line."),
                "revenue": array(ref("Lever"), "Each revenue option (council tax, charges)."),
            },
        ),
        {"Lever": LEVER},
    )
