"""The results dictionary as a tidy table: one row per number, safe to open in a spreadsheet.

`measure` names where the number sits in the JSON (`options.count`, `items.points`), so the CSV
and the JSON can be checked against each other.
"""

import csv
import io
import re

from portal.spreadsheets import neutralise as neutralise_text

COLUMNS = ("question_id", "question", "measure", "item_key", "item_label", "value")

PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?\Z")

ITEM_MEASURES = ("points", "mean_rank", "first_choices", "share_first", "ranked_by")
NUMBER_MEASURES = ("count", "mean", "median", "min", "max")
COMMENT_MEASURES = ("total", "published", "pending", "rejected")
LEVER_MEASURES = (
    "responses",
    "mean_percent",
    "median_percent",
    "cut",
    "kept",
    "increased",
)


def neutralise(cell):
    """The cell as text a spreadsheet shows as it is: anything that could start a formula gets
    a leading single quote (the exports' own rule, portal.spreadsheets), except a plain number
    (-3.5 stays a number)."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    text = str(cell)
    return text if PLAIN_NUMBER.match(text) else neutralise_text(text)


def _counts(question_id, question, measure, counts, key_prefix=""):
    for count in counts:
        for field in ("count", "percent"):
            yield (
                question_id,
                question,
                f"{measure}.{field}",
                key_prefix + str(count.get("key", "")),
                count.get("label", ""),
                count.get(field),
            )


def _ranked(question_id, question, measure, tiers, labels):
    """An order of tiers as one rank per item: tied items share the rank of their tier."""
    rank = 1
    for tier in tiers:
        for key in tier:
            yield (question_id, question, measure, key, labels.get(key, ""), rank)
        rank += len(tier)


def _responses_rows(responses):
    yield ("", "Responses", "responses.total", "", "", responses.get("total"))
    yield from _counts(
        "", "Responses by channel", "responses.by_channel", responses.get("by_channel", [])
    )
    yield from _counts("", "Responses by area", "responses.by_area", responses.get("by_area", []))
    for day in responses.get("over_time", []):
        for field in ("count", "cumulative"):
            date = day.get("date", "")
            yield (
                "",
                "Responses over time",
                f"responses.over_time.{field}",
                date,
                date,
                day.get(field),
            )


def _question_rows(question):
    qid, text = question.get("id", ""), question.get("question", "")
    yield (qid, text, "answered", "", "", question.get("answered"))
    yield from _counts(qid, text, "options", question.get("options", []))
    if "places" in question:
        yield (qid, text, "places", "", "", question["places"])
    labels = {item.get("key"): item.get("label", "") for item in question.get("items", [])}
    for item in question.get("items", []):
        for field in ITEM_MEASURES:
            yield (
                qid,
                text,
                f"items.{field}",
                item.get("key", ""),
                item.get("label", ""),
                item.get(field),
            )
    for order in ("borda_order", "schulze_order"):
        yield from _ranked(qid, text, f"{order}.rank", question.get(order, []), labels)
    pairwise = question.get("pairwise", {})
    keys = pairwise.get("keys", [])
    for row_key, row in zip(keys, pairwise.get("matrix", []), strict=False):
        for column_key, preferred in zip(keys, row, strict=False):
            if row_key != column_key:
                yield (
                    qid,
                    text,
                    "pairwise.preferred_over",
                    f"{row_key}>{column_key}",
                    f"{labels.get(row_key, row_key)} over {labels.get(column_key, column_key)}",
                    preferred,
                )
    if "mean" in question:  # a number question's summary
        for field in NUMBER_MEASURES:
            yield (qid, text, field, "", "", question.get(field))
    comments = question.get("comments", {})
    for field in COMMENT_MEASURES:
        if field in comments:
            yield (qid, text, f"comments.{field}", "", "", comments[field])
    for theme in question.get("themes", []):
        yield (qid, text, "themes.count", "", theme.get("name", ""), theme.get("count"))
    for group in ("lines", "revenue"):
        for lever in question.get(group, []):
            for field in LEVER_MEASURES:
                yield (
                    qid,
                    text,
                    f"{group}.{field}",
                    lever.get("key", ""),
                    lever.get("name", ""),
                    lever.get(field),
                )
    for part in question.get("parts", []):
        part_key = part.get("key", "")
        yield (qid, part.get("question", ""), "parts.answered", part_key, "", part.get("answered"))
        yield from _counts(
            qid,
            part.get("question", ""),
            "parts.options",
            part.get("options", []),
            key_prefix=f"{part_key}/",
        )


def results_rows(results):
    """Every number in the (public) results dictionary as a row of COLUMNS."""
    yield from _responses_rows(results.get("responses", {}))
    for question in results.get("questions", []):
        yield from _question_rows(question)


def results_csv(results):
    """The tidy table as CSV text, every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in results_rows(results):
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue()
