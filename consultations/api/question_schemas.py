"""Each of consultations' own question types' part of the open data's OpenAPI document: the
fields its entry in the results dictionary has. A type names its function here as
`open_data_schema`; each returns (the schema, the components it refers to by name)."""

from consultations.api.schema_parts import ORDER, array, closed_object, field, question, ref


def single_choice():
    return (
        question(
            "single_choice",
            "A single-choice question: how many chose each option (an allowed 'Other' is the "
            "option with key `other`).",
            {"options": array(ref("Count"), "Each option, in the question's order.")},
        ),
        {},
    )


def agreement_scale():
    return (
        question(
            "agreement_scale",
            "An agreement scale ('Strongly agree' to 'Strongly disagree').",
            {"options": array(ref("Count"), "Each point of the scale, in order.")},
        ),
        {},
    )


def multiple_choice():
    return (
        question(
            "multiple_choice",
            "A multiple-choice question: each option counted once per response choosing it, so "
            "percentages can add up to more than 100.",
            {
                "multiple": {"const": True, "description": "Always true: answers can be several."},
                "options": array(ref("Count"), "Each option, in the question's order."),
            },
        ),
        {},
    )


def priority_ranking():
    return (
        question(
            "priority_ranking",
            "A priority ranking: residents put items in order (all of them, or their top N).",
            {
                "places": field("integer", "How many places residents filled.", minimum=1),
                "items": array(
                    closed_object(
                        "One ranked item.",
                        {
                            "key": field("string", "The item's stable key."),
                            "label": field("string", "The item as residents read it."),
                            "points": field(
                                "integer",
                                "Borda points: for each resident, places minus position plus one.",
                                minimum=0,
                            ),
                            "mean_rank": field(
                                ["number", "null"],
                                "The mean position among residents who ranked it, to two decimal "
                                "places (null if nobody ranked it).",
                            ),
                            "first_choices": field(
                                "integer", "Residents who put it first.", minimum=0
                            ),
                            "share_first": field(
                                ["number", "null"],
                                "`first_choices` as a percentage of those who answered.",
                            ),
                            "ranked_by": field("integer", "Residents who ranked it.", minimum=0),
                        },
                    ),
                    "Each item, in the question's order.",
                ),
                "borda_order": ORDER,
                "schulze_order": {
                    **ORDER,
                    "description": "The Schulze method's order, as tiers: a tier of two or more "
                    "items is a tie.",
                },
                "pairwise": closed_object(
                    "Pairwise preferences.",
                    {
                        "keys": array(
                            {"type": "string", "description": "An item key."},
                            "Item keys, naming the matrix's rows and columns.",
                        ),
                        "matrix": array(
                            array(
                                {"type": ["integer", "null"], "minimum": 0},
                                "One row: residents preferring the row's item to each column's.",
                            ),
                            "Residents preferring the row's item to the column's; the diagonal is "
                            "null.",
                        ),
                    },
                ),
            },
        ),
        {},
    )


def number():
    return (
        question(
            "number",
            "A number question.",
            {
                "count": field("integer", "Numbers given.", minimum=0),
                "mean": field(["number", "null"], "The mean (null with no answers)."),
                "median": field(["number", "null"], "The median (null with no answers)."),
                "min": field(["number", "null"], "The smallest number given."),
                "max": field(["number", "null"], "The largest number given."),
            },
        ),
        {},
    )


def free_text():
    return (
        question(
            "free_text",
            "A free-text question. Only counts are published: residents' words never are.",
            {
                "comments": closed_object(
                    "Comments by moderation status.",
                    {
                        "total": field("integer", "Comments received.", minimum=0),
                        "published": field(
                            "integer",
                            "Approved by a moderator (with or without redactions).",
                            minimum=0,
                        ),
                        "pending": field("integer", "Waiting for moderation.", minimum=0),
                        "rejected": field("integer", "Rejected by a moderator.", minimum=0),
                    },
                ),
                "themes": array(
                    closed_object(
                        "A theme analysts tagged published comments with.",
                        {
                            "name": field("string", "The theme."),
                            "count": field(
                                "integer", "Published comments tagged with it.", minimum=0
                            ),
                        },
                    ),
                    "Themes of the published comments.",
                ),
            },
        ),
        {},
    )


def about_you():
    return (
        question(
            "about_you",
            "Optional questions about the people who responded, counted under the small-numbers "
            "rule.",
            {
                "answered": field(
                    ["integer", "null"],
                    "Residents who answered any 'about you' question; null when it would give a "
                    "hidden count away.",
                    minimum=0,
                ),
                "parts": array(
                    closed_object(
                        "One 'about you' question.",
                        {
                            "key": field("string", "The part's stable key (e.g. `age_band`)."),
                            "question": field("string", "The question as residents read it."),
                            "answered": field(
                                ["integer", "null"],
                                "Residents who answered it; null when hidden under the "
                                "small-numbers rule.",
                                minimum=0,
                            ),
                            "options": array(ref("Count"), "Each answer, in order."),
                        },
                    ),
                    "Each 'about you' question asked.",
                ),
            },
        ),
        {},
    )
