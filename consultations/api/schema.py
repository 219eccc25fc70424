"""The OpenAPI 3.1 description of the open results data, served at /api/v1/schema/.

Every field of every response is documented here, and the results endpoint publishes only what
this document describes (`consultations.api.public.documented_only`): a field the results
dictionary gains is not published until someone documents it here.
"""

from django.utils.module_loading import import_string

from consultations.api.schema_parts import COUNT, array, closed_object, field, ref
from consultations.question_types import question_types

LICENCE_NAME = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
PAGE_SIZE = 50

# The document's parts (schema_parts.py), named as this module has always used them.
_object, _field, _ref, _list = closed_object, field, ref, array


def _question_schemas():
    """{type name: (its schema, the components it refers to)} for every registered type that
    publishes results, in the registry's order."""
    found = {}
    for name, block in question_types():
        if block.open_data_schema is not None:
            found[name] = import_string(block.open_data_schema)()
    return found


_SCHEMAS = _question_schemas()
QUESTIONS = {name: schema for name, (schema, _components) in _SCHEMAS.items()}
QUESTION_COMPONENTS = {
    key: component
    for _schema, components in _SCHEMAS.values()
    for key, component in components.items()
}
QUESTION_SCHEMAS = {
    name: "".join(word.capitalize() for word in name.split("_")) + "Question" for name in QUESTIONS
}

DATED_COUNT = _object(
    "Responses received on one day.",
    {
        "date": _field("string", "The day (ISO 8601).", format="date"),
        "count": _field("integer", "Responses that day.", minimum=0),
        "cumulative": _field("integer", "Responses up to and including that day.", minimum=0),
    },
)

RESULTS = _object(
    "A consultation's results: aggregated counts only, never personal data and never text "
    "residents wrote.",
    {
        "consultation": _object(
            "The consultation.",
            {
                "id": _field("integer", "The consultation's id."),
                "slug": _field("string", "The consultation's slug, as in its web address."),
                "title": _field("string", "The consultation's title."),
                "opens_at": _field("string", "When it opened (ISO 8601).", format="date-time"),
                "closes_at": _field("string", "When it closed (ISO 8601).", format="date-time"),
            },
        ),
        "smallest_cell": _field(
            "integer",
            "The small-numbers rule: counts of residents by area or by an 'about you' answer "
            "from 1 to this less one are hidden, with whatever else would let them be worked "
            "out from anything published for the consultation.",
            minimum=1,
        ),
        "responses": _object(
            "Responses received.",
            {
                "total": _field("integer", "Every response received.", minimum=0),
                "by_channel": _list(_ref("Count"), "By channel (online, paper, email, event)."),
                "by_area": _list(
                    _ref("Count"), "By the area residents said they live in (small counts hidden)."
                ),
                "over_time": _list(_ref("DatedCount"), "Per day, from the first response."),
            },
        ),
        "questions": _list(
            {
                "oneOf": [_ref(QUESTION_SCHEMAS[name]) for name in QUESTIONS],
                "discriminator": {
                    "propertyName": "type",
                    "mapping": {
                        name: f"#/components/schemas/{QUESTION_SCHEMAS[name]}" for name in QUESTIONS
                    },
                },
            },
            "Each question, in the consultation's order; fields depend on `type`.",
        ),
        "licence": _object(
            "The licence the results are published under.",
            {
                "name": _field("string", "The licence."),
                "url": _field("string", "Where to read it.", format="uri"),
            },
        ),
        "outcome_url": _field("string", "The published 'you said, we did' page.", format="uri"),
    },
)

CONSULTATION = _object(
    "A consultation, with links to its results once they are published.",
    {
        "slug": _field("string", "The consultation's slug, as in its web address."),
        "title": _field("string", "The consultation's title."),
        "summary": _field("string", "One or two sentences about it."),
        "status": {
            "type": "string",
            "enum": ["upcoming", "open", "closed"],
            "description": "Whether it is upcoming, open or closed now.",
        },
        "opens_at": _field("string", "When it opens (ISO 8601).", format="date-time"),
        "closes_at": _field("string", "When it closes (ISO 8601).", format="date-time"),
        "url": _field("string", "The consultation's web page.", format="uri"),
        "topics": _list(_ref("Tag"), "What it is about."),
        "areas": _list(_ref("Tag"), "The parts of the borough it affects."),
        "outcome_url": _field(
            ["string", "null"],
            "The published 'you said, we did' page; null until there is one.",
            format="uri",
        ),
        "results_url": _field(
            ["string", "null"],
            "The results as JSON; null until they are published with the outcome.",
            format="uri",
        ),
        "results_csv_url": _field(
            ["string", "null"],
            "The results as CSV; null until they are published with the outcome.",
            format="uri",
        ),
        "response_count": _field(
            ["integer", "null"],
            "Responses received; null until the results are published.",
            minimum=0,
        ),
    },
)

TAG = _object(
    "A topic or area.",
    {
        "slug": _field("string", "Its stable key."),
        "name": _field("string", "Its name."),
    },
)

CONSULTATION_LIST = _object(
    "One page of consultations, most recently closing first.",
    {
        "count": _field("integer", "Consultations matching, on every page.", minimum=0),
        "next": _field(["string", "null"], "The next page, or null.", format="uri"),
        "previous": _field(["string", "null"], "The previous page, or null.", format="uri"),
        "results": _list(_ref("Consultation"), f"Up to {PAGE_SIZE} consultations."),
    },
)

ERROR = _object(
    "Why the request could not be answered.",
    {"error": _field("string", "What went wrong, in words.")},
)

OPEN_DATA_HEADERS = {
    "Access-Control-Allow-Origin": {
        "description": "Always `*`: anyone may read the open data, from any site.",
        "schema": {"type": "string"},
    },
    "Cache-Control": {
        "description": "`public, max-age=300`: responses may be cached for five minutes.",
        "schema": {"type": "string"},
    },
}


HTML_PAGE = {
    "schema": {
        "type": "string",
        "description": "For a browser that prefers HTML (or `?format=html`): the same JSON in a "
        "readable page of the site.",
    }
}


def _json(schema_name, description, headers=True):
    response = {
        "description": description,
        "content": {"application/json": {"schema": _ref(schema_name)}, "text/html": HTML_PAGE},
    }
    if headers:
        response["headers"] = OPEN_DATA_HEADERS
    return response


def _error(description):
    return _json("Error", description, headers=False)


def _format(*formats):
    return {
        "name": "format",
        "in": "query",
        "description": "How to answer: `json`, `html` (the JSON in a page for people)"
        + (", or `csv` (the tidy table)" if "csv" in formats else "")
        + ". Without it, the `Accept` header decides: JSON unless HTML is preferred.",
        "schema": {"type": "string", "enum": list(formats)},
    }


NOT_ALLOWED = _error("Only GET and HEAD are allowed.")
SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "description": "The consultation's slug, as in its web address.",
    "schema": {"type": "string"},
}
CSV_DESCRIPTION = (
    "A tidy table, UTF-8, one row per number, with the columns `question_id`, `question`, "
    "`measure`, `item_key`, `item_label`, `value`. `measure` names where the number is in the "
    "JSON (e.g. `options.count`, `items.points`, `responses.by_area.count`). Rows about all "
    "responses have an empty `question_id`. An empty `value` is a number that is hidden under "
    "the small-numbers rule or cannot be worked out (a mean with no answers). Text cells "
    "starting with `=`, `+`, `-`, `@`, a tab or a line break are prefixed with `'` so that "
    "spreadsheets never run them as formulas."
)
CSV_RESPONSE = {
    "description": CSV_DESCRIPTION,
    "headers": OPEN_DATA_HEADERS,
    "content": {"text/csv": {"schema": {"type": "string"}}},
}

OPENAPI = {
    "openapi": "3.1.0",
    "info": {
        "title": "Consultation results open data",
        "version": "1.0.0",
        "summary": "What residents told the council, as aggregated counts.",
        "description": (
            "The council's consultations and, once the council has published what it did "
            "('you said, we did'), their results: counts and percentages only. Results never "
            "include personal data or text residents wrote, and counts by area or by an "
            "'about you' answer from 1 to 9 (`smallest_cell` less one) are hidden, with any "
            "other count that would let one be worked out, so that nobody can be "
            f"identified. Published under the {LICENCE_NAME}: {LICENCE_URL}"
        ),
        "license": {"name": LICENCE_NAME, "identifier": "OGL-UK-3.0"},
    },
    "servers": [{"url": "/api/v1", "description": "This site."}],
    "paths": {
        "/consultations/": {
            "get": {
                "operationId": "listConsultations",
                "summary": "Every published consultation, most recently closing first.",
                "parameters": [
                    {
                        "name": "page",
                        "in": "query",
                        "description": f"The page, from 1 ({PAGE_SIZE} consultations a page).",
                        "schema": {"type": "integer", "minimum": 1, "default": 1},
                    },
                    {
                        "name": "status",
                        "in": "query",
                        "description": "Only consultations that are upcoming, open or closed.",
                        "schema": {"type": "string", "enum": ["open", "closed", "upcoming"]},
                    },
                    _format("json", "html"),
                ],
                "responses": {
                    "200": _json("ConsultationList", "One page of consultations."),
                    "400": _error("The page, status or format is not one there can be."),
                    "405": NOT_ALLOWED,
                },
            }
        },
        "/consultations/{slug}/results/": {
            "get": {
                "operationId": "getResults",
                "summary": "A consultation's results, once its outcome is published.",
                "parameters": [SLUG, _format("json", "csv", "html")],
                "responses": {
                    "200": {
                        **_json("Results", "The results."),
                        "content": {
                            **_json("Results", "")["content"],
                            "text/csv": CSV_RESPONSE["content"]["text/csv"],
                        },
                    },
                    "400": _error("The format is not one of json, csv or html."),
                    "404": _error("No such consultation, or its results are not published yet."),
                    "405": NOT_ALLOWED,
                },
            }
        },
        "/consultations/{slug}/results.csv": {
            "get": {
                "operationId": "getResultsCsv",
                "summary": "A consultation's results as a tidy CSV table.",
                "parameters": [SLUG],
                "responses": {
                    "200": CSV_RESPONSE,
                    "404": _error("No such consultation, or its results are not published yet."),
                    "405": NOT_ALLOWED,
                },
            }
        },
        "/schema/": {
            "get": {
                "operationId": "getSchema",
                "summary": "This document.",
                "parameters": [_format("json", "html")],
                "responses": {
                    "200": {
                        "description": "The OpenAPI document.",
                        "headers": OPEN_DATA_HEADERS,
                        "content": {
                            "application/vnd.oai.openapi+json": {"schema": {"type": "object"}},
                            "text/html": HTML_PAGE,
                        },
                    },
                    "400": _error("The format is not json or html."),
                    "405": NOT_ALLOWED,
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Consultation": CONSULTATION,
            "ConsultationList": CONSULTATION_LIST,
            "Tag": TAG,
            "Results": RESULTS,
            "Count": COUNT,
            "DatedCount": DATED_COUNT,
            **QUESTION_COMPONENTS,
            **{QUESTION_SCHEMAS[name]: schema for name, schema in QUESTIONS.items()},
            "Error": ERROR,
        }
    },
}
