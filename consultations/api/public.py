"""Publish only what the OpenAPI document describes.

The results dictionary is public-safe by design (docs/decisions/0004); this is the second lock.
Walking the data with its schema keeps the documented fields and drops everything else, so a
field added to the dictionary later reaches the open data only once it is documented, and a
question type without a documented shape is left out rather than published blind.
"""

from consultations.api.schema import OPENAPI

SCALARS = (str, int, float, bool, type(None))


def _resolve(schema):
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = OPENAPI["components"]["schemas"][name]
    return schema


def _variant(value, choices):
    """The oneOf choice whose constant `type` matches the value's, or None."""
    if not isinstance(value, dict):
        return None
    for choice in map(_resolve, choices):
        if choice.get("properties", {}).get("type", {}).get("const") == value.get("type"):
            return choice
    return None


LEAVE_OUT = object()


def _documented(value, schema):
    schema = _resolve(schema)
    if "oneOf" in schema:
        schema = _variant(value, schema["oneOf"])
        return LEAVE_OUT if schema is None else _documented(value, schema)
    if "properties" in schema:
        if not isinstance(value, dict):
            return LEAVE_OUT
        kept = {}
        for name, field in schema["properties"].items():
            if name in value:
                part = _documented(value[name], field)
                if part is not LEAVE_OUT:
                    kept[name] = part
        return kept
    if "items" in schema:
        if not isinstance(value, list | tuple):
            return LEAVE_OUT
        parts = (_documented(item, schema["items"]) for item in value)
        return [part for part in parts if part is not LEAVE_OUT]
    return value if isinstance(value, SCALARS) else LEAVE_OUT


def documented_only(value, schema_name):
    """`value` keeping only what components/schemas/`schema_name` documents."""
    kept = _documented(value, {"$ref": f"#/components/schemas/{schema_name}"})
    return {} if kept is LEAVE_OUT else kept
