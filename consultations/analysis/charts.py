"""Charts and tables of a consultation's results, drawn from the results dictionary alone.

Everything here reads `consultation_results(...)` (decision 0004), so the admin dashboard and
the public outcome page show the same numbers, and nothing here can show what the dictionary
does not hold. Each `Chart` (portal/charts.py) has a table of the same numbers; some results
are tables only (a number question, the pairwise preferences). Hidden small counts are shown as
HIDDEN, never drawn.
"""

import functools
from dataclasses import dataclass, field
from datetime import date

import plotly.graph_objects as go
from django.utils.module_loading import import_string

from consultations.analysis.results import SMALLEST_CELL
from consultations.analysis.results import percent as share
from consultations.question_types import question_type
from portal.charts import (
    BLUE,
    GRID,
    NO_ANSWERS,
    RED,
    Chart,
    Table,
    count_text,
    figure,
    layout,
    padded_range,
    share_text,
)

HIDDEN = "Not shown"
HIDDEN_NOTE = (
    "To protect residents’ privacy, counts from 1 to {smallest_less_one} are not shown, nor "
    "any other figure that would let them be worked out."
)
MULTIPLE_NOTE = (
    "Residents could choose more than one answer, so the shares add up to more than 100%."
)


@dataclass(frozen=True)
class QuestionCharts:
    """What a results page shows for one question: charts with their tables, tables alone, and
    for a ranking the Schulze order in words."""

    question: dict  # the question's entry in the results dictionary
    charts: tuple = ()
    tables: tuple = ()  # tables shown after the charts
    summary: tuple = ()  # tables shown before them
    order: tuple = ()  # Schulze order: (place, items in words, tied) per tier

    @property
    def anchor(self):
        return f"question-{self.question['id']}"


@dataclass(frozen=True)
class ResultsCharts:
    """A whole consultation's results as charts and tables."""

    results: dict
    responses: tuple = ()  # charts of who responded: by channel and by area
    over_time: Chart | None = None  # responses each day (the dashboard only)
    questions: tuple = field(default_factory=tuple)


def date_text(iso_date):
    """'2026-07-01' as '1 July 2026'."""
    day = date.fromisoformat(iso_date)
    return f"{day.day} {day:%B %Y}"


def chart_id(*parts):
    return "chart-" + "-".join(str(part) for part in parts)


def count_and_share(entry):
    if entry.get("suppressed"):
        return HIDDEN
    if entry["percent"] is None:
        return count_text(entry["count"])
    return f"{count_text(entry['count'])} ({share_text(entry['percent'])})"


def bar_height(rows):
    return 130 + 36 * max(rows, 1)


def count_axis(values):
    """Axis settings for counts of residents: whole numbers only, even when they are small."""
    highest = max([0, *(value for value in values if value is not None)])
    return {"tickformat": ",d", "dtick": 1} if highest <= 6 else {"tickformat": ",d"}


def horizontal_bars(title, labels, values, texts, axis_title, bar_colour=BLUE, percent=False):
    """One series of labelled horizontal bars, first at the top."""
    bars = go.Bar(
        x=values,
        y=labels,
        orientation="h",
        text=texts,
        textposition="outside",
        cliponaxis=False,
        marker={"color": bar_colour},
        hovertemplate="%{y}: %{text}<extra></extra>",
    )
    xaxis = {
        "title": {"text": axis_title},
        "range": [0, 100] if percent else padded_range(values),
        "gridcolor": GRID,
        "automargin": True,
        "rangemode": "tozero",
    }
    if percent:
        xaxis["ticksuffix"] = "%"
    else:
        xaxis.update(count_axis(values))
    return figure(
        [bars],
        layout(
            title,
            height=bar_height(len(labels)),
            showlegend=False,
            xaxis=xaxis,
            yaxis={"autorange": "reversed", "automargin": True, "title": {"text": ""}},
        ),
    )


def counts_chart(chart_key, heading, title, entries, total, row_heading="Answer", note=""):
    """A chart and table of [{"key", "label", "count", "percent"(, "suppressed")}] entries.

    `total` is None when it is hidden itself: the counts shown are drawn, their shares are not
    shown (they would give the total away).
    """
    hidden = total is None or any(entry.get("suppressed") for entry in entries)
    notes = [note] if note else []
    if hidden:
        notes.append(HIDDEN_NOTE.format(smallest_less_one=SMALLEST_CELL - 1))
    table = Table(
        caption=title,
        headings=(row_heading, "Residents", "Share"),
        rows=tuple(
            (
                entry["label"],
                HIDDEN if entry.get("suppressed") else count_text(entry["count"]),
                HIDDEN
                if entry.get("suppressed") or total is None
                else share_text(entry["percent"]),
            )
            for entry in entries
        ),
        note=" ".join(notes),
    )
    drawn = None
    if total != 0 and any(not entry.get("suppressed") for entry in entries):
        drawn = horizontal_bars(
            title,
            [entry["label"] for entry in entries],
            [None if entry.get("suppressed") else entry["count"] for entry in entries],
            [count_and_share(entry) for entry in entries],
            "Residents",
        )
    return Chart(id=chart_id(*chart_key), heading=heading, title=title, table=table, figure=drawn)


# Who responded -----------------------------------------------------------------------------


def responses_charts(results):
    responses = results["responses"]
    total = responses["total"]
    charts = [
        counts_chart(
            ("responses", "channel"),
            "How residents responded",
            "Responses by how they were sent",
            responses["by_channel"],
            total,
            row_heading="Channel",
        )
    ]
    if responses["by_area"]:
        charts.append(
            counts_chart(
                ("responses", "area"),
                "Where residents live",
                "Responses by the area residents said they live in",
                responses["by_area"],
                total,
                row_heading="Area",
            )
        )
    return tuple(charts)


def over_time_chart(series):
    title = "Responses each day"
    table = Table(
        caption=title,
        headings=("Date", "Responses that day", "Responses so far"),
        rows=tuple(
            (date_text(day["date"]), count_text(day["count"]), count_text(day["cumulative"]))
            for day in series
        ),
    )
    drawn = None
    if series:
        dates = [day["date"] for day in series]
        drawn = figure(
            [
                go.Bar(
                    name="Responses that day",
                    x=dates,
                    y=[day["count"] for day in series],
                    marker={"color": BLUE},
                    hovertemplate="%{x}: %{y} responses<extra></extra>",
                ),
                go.Scatter(
                    name="Responses so far",
                    x=dates,
                    y=[day["cumulative"] for day in series],
                    yaxis="y2",
                    mode="lines",
                    line={"color": RED, "width": 3},
                    hovertemplate="%{x}: %{y} so far<extra></extra>",
                ),
            ],
            layout(
                title,
                height=380,
                legend={"orientation": "h", "x": 0, "y": 1, "yanchor": "bottom"},
                xaxis={"title": {"text": "Date"}, "type": "date", "automargin": True},
                yaxis={
                    "title": {"text": "Responses that day"},
                    "rangemode": "tozero",
                    "gridcolor": GRID,
                    "automargin": True,
                    **count_axis(day["count"] for day in series),
                },
                yaxis2={
                    "title": {"text": "Responses so far"},
                    "overlaying": "y",
                    "side": "right",
                    "rangemode": "tozero",
                    "tickmode": "auto",
                    "showgrid": False,
                    "automargin": True,
                    "tickformat": ",d",
                },
            ),
        )
    return Chart(
        id=chart_id("responses", "over-time"),
        heading="Responses over time",
        title=title,
        table=table,
        figure=drawn,
    )


# Questions -----------------------------------------------------------------------------------


def choice_charts(question):
    chart = counts_chart(
        (question["id"], "options"),
        "Answers",
        question["question"],
        question["options"],
        question["answered"],
        note=MULTIPLE_NOTE if question.get("multiple") else "",
    )
    return QuestionCharts(question=question, charts=(chart,))


def order_in_words(question, tiers):
    """Tiers of item keys as (place, "A", tied) or (place, "A and B", True)."""
    labels = {item["key"]: item["label"] for item in question["items"]}
    found, place = [], 1
    for tier in tiers:
        names = [labels[key] for key in tier]
        words = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        found.append((place, words, len(names) > 1))
        place += len(names)
    return tuple(found)


def ranking_charts(question):
    items = {item["key"]: item for item in question["items"]}
    ordered = [items[key] for tier in question["borda_order"] for key in tier]
    title = f"{question['question']}: Borda points"
    answered = question["answered"]
    table = Table(
        caption=title,
        headings=("Item", "Borda points", "Mean rank", "Ranked first", "Ranked by"),
        rows=tuple(
            (
                item["label"],
                count_text(item["points"]),
                NO_ANSWERS if item["mean_rank"] is None else f"{item['mean_rank']:.2f}",
                f"{count_text(item['first_choices'])} ({share_text(item['share_first'])})"
                if answered
                else NO_ANSWERS,
                count_text(item["ranked_by"]),
            )
            for item in ordered
        ),
        note=(
            f"Each resident gives an item one point for every item they put below it ("
            f"{len(items) - 1} for first place). Mean rank is among residents who ranked the "
            "item; 1 is the highest."
        ),
    )
    drawn = None
    if answered:
        drawn = horizontal_bars(
            title,
            [item["label"] for item in ordered],
            [item["points"] for item in ordered],
            [count_text(item["points"]) for item in ordered],
            "Borda points",
        )
    borda_chart = Chart(
        id=chart_id(question["id"], "borda"),
        heading="Borda points",
        title=title,
        table=table,
        figure=drawn,
    )
    first_title = f"{question['question']}: ranked first"
    first_chart = Chart(
        id=chart_id(question["id"], "first"),
        heading="Ranked first",
        title=first_title,
        table=Table(
            caption=first_title,
            headings=("Item", "Residents who ranked it first", "Share"),
            rows=tuple(
                (item["label"], count_text(item["first_choices"]), share_text(item["share_first"]))
                for item in question["items"]
            ),
        ),
        figure=horizontal_bars(
            first_title,
            [item["label"] for item in question["items"]],
            [item["share_first"] for item in question["items"]],
            [share_text(item["share_first"]) for item in question["items"]],
            "Share of residents who ranked it first (%)",
            percent=True,
        )
        if answered
        else None,
    )
    keys = question["pairwise"]["keys"]
    pairwise = Table(
        caption="Head to head: residents who preferred the item in the row to the item in "
        "the column",
        headings=("Preferred", *(items[key]["label"] for key in keys)),
        rows=tuple(
            (
                items[row_key]["label"],
                *("—" if value is None else count_text(value) for value in row),
            )
            for row_key, row in zip(keys, question["pairwise"]["matrix"], strict=True)
        ),
        note="A resident prefers one item to another if they ranked it higher, or ranked it "
        "and left the other unranked.",
    )
    return QuestionCharts(
        question=question,
        charts=(borda_chart, first_chart),
        tables=(pairwise,),
        order=order_in_words(question, question["schulze_order"]) if answered else (),
    )


def number_charts(question):
    def value(number):
        if number is None:
            return NO_ANSWERS
        text = f"{number:,.2f}"
        return text.rstrip("0").rstrip(".") if "." in text else text

    table = Table(
        caption=question["question"],
        headings=("Measure", "Value"),
        rows=(
            ("Residents who answered", count_text(question["count"])),
            ("Mean", value(question["mean"])),
            ("Median", value(question["median"])),
            ("Lowest", value(question["min"])),
            ("Highest", value(question["max"])),
        ),
    )
    return QuestionCharts(question=question, summary=(table,))


def free_text_charts(question):
    comments = question["comments"]
    counts = Table(
        caption=f"{question['question']}: comments",
        headings=("Comments", "Number"),
        rows=(
            ("Received", count_text(comments["total"])),
            ("Published after moderation", count_text(comments["published"])),
            ("Waiting for moderation", count_text(comments["pending"])),
            ("Not published", count_text(comments["rejected"])),
        ),
    )
    themes = question["themes"]
    title = f"{question['question']}: themes in published comments"
    theme_chart = Chart(
        id=chart_id(question["id"], "themes"),
        heading="Themes",
        title=title,
        table=Table(
            caption=title,
            headings=("Theme", "Published comments"),
            rows=tuple((theme["name"], count_text(theme["count"])) for theme in themes),
            note="A comment can have more than one theme.",
        ),
        figure=horizontal_bars(
            title,
            [theme["name"] for theme in themes],
            [theme["count"] for theme in themes],
            [count_text(theme["count"]) for theme in themes],
            "Published comments",
        )
        if themes
        else None,
    )
    return QuestionCharts(
        question=question, charts=(theme_chart,) if themes else (), summary=(counts,)
    )


def count_share(count, total):
    """'12 (40%)', or 'No answers' when nobody answered."""
    return f"{count_text(count)} ({share_text(share(count, total))})" if total else NO_ANSWERS


def about_you_charts(question):
    charts = tuple(
        counts_chart(
            (question["id"], part["key"]),
            part["question"],
            part["question"],
            part["options"],
            part["answered"],
        )
        for part in question["parts"]
    )
    return QuestionCharts(question=question, charts=charts)


def question_charts(question):
    """The charts of one question's entry in the results dictionary, drawn by its type."""
    block = question_type(question["type"])
    if block is None or block.charts_builder is None:
        return QuestionCharts(question=question)
    return charts_builder(block.charts_builder)(question)


@functools.cache
def charts_builder(path):
    """The function a question type names to draw its results (looked up once)."""
    return import_string(path)


def results_charts(results):
    """Every chart and table of the results, for the officers' dashboard."""
    return ResultsCharts(
        results=results,
        responses=responses_charts(results),
        over_time=over_time_chart(results["responses"]["over_time"]),
        questions=tuple(question_charts(question) for question in results["questions"]),
    )


def public_charts(results):
    """The charts and tables a public page shows: who responded (without the daily series) and
    every question. Free-text questions show counts and theme counts only, as the dictionary
    holds nothing else."""
    return ResultsCharts(
        results=results,
        responses=responses_charts(results),
        questions=tuple(question_charts(question) for question in results["questions"]),
    )


# Breakdowns --------------------------------------------------------------------------------


def breakdown_table(breakdown):
    """A breakdown (results.question_breakdown) as a table: answers down, groups across."""
    rows = [
        (
            "Residents in the group who answered",
            *(
                HIDDEN if group["answered"] is None else count_text(group["answered"])
                for group in breakdown["groups"]
            ),
        )
    ]
    rows += [
        (
            row["label"],
            *(HIDDEN if cell["suppressed"] else count_and_share(cell) for cell in row["cells"]),
        )
        for row in breakdown["rows"]
    ]
    return Table(
        caption=f"{breakdown['question']['question']}, by {breakdown['by_label'].lower()}: "
        f"{breakdown['measure'].lower()}",
        headings=("Answer", *(group["label"] for group in breakdown["groups"])),
        rows=tuple(rows),
        note=HIDDEN_NOTE.format(smallest_less_one=breakdown["smallest_cell"] - 1)
        + " Shares are of the residents in each group who answered.",
    )
