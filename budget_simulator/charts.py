"""Charts of budget simulator results, each with a table of the same numbers.

The shared pieces (`Chart`, `Table`, the figure layout, the GOV.UK colours and the text of
percentages) live in `portal/charts.py`, so consultation results draw the same way.
"""

from dataclasses import dataclass
from decimal import Decimal

import plotly.graph_objects as go

from budget_simulator.calculation import SYMBOLS, format_money
from consultations.analysis.charts import QuestionCharts as ResultsQuestionCharts
from consultations.analysis.charts import chart_id, count_share
from consultations.analysis.results import percent as share
from portal.charts import (  # noqa: F401 (percent_text and share_text are part of this API)
    BLUE,
    GREY,
    GRID,
    NO_ANSWERS,
    RED,
    TEXT,
    Chart,
    Table,
    count_text,
    percent_text,
    rounded,
    share_text,
)
from portal.charts import colour as _colour
from portal.charts import figure as _figure
from portal.charts import layout as _layout
from portal.charts import number as _number
from portal.charts import padded_range as _padded_range

# Levers with more levels than this (council tax in steps of 0.01%) list only the levels chosen.
MOST_LEVELS_LISTED = 41


def money_text(pence, symbol="£", signed=True):
    """An amount (exact pence, perhaps fractional) as '−£1.2 million' or '+£45,000'; `signed`
    False leaves out the plus sign."""
    if pence is None:
        return NO_ANSWERS
    whole = int(rounded(pence, 0))
    sign = "−" if whole < 0 else "+" if whole > 0 and signed else ""
    return f"{sign}{format_money(whole, symbol)}"


def level_text(bp):
    """A level a resident chose, in basis points, as a signed %: -1000 -> '−10%'."""
    return percent_text(Decimal(bp) / 100)


def symbol_of(results):
    return SYMBOLS.get(results.budget.currency, "") if results.budget else "£"


def _chart_id(results, name):
    return f"chart-{results.question_id}-{name}"


def mean_change_chart(results):
    """The average % change residents chose for each service line, with its table."""
    title = "Average change residents chose for each service"
    symbol = symbol_of(results)
    lines = results.lines
    names = [line.lever.name for line in lines]
    texts = [percent_text(line.mean_percent) for line in lines]
    table = Table(
        caption=title,
        headings=(
            "Service",
            "Residents",
            "Average change",
            "Average change in spend",
            "Median change",
        ),
        rows=tuple(
            (
                line.lever.name,
                str(line.responses),
                text,
                money_text(line.mean_change_pence, symbol),
                percent_text(line.median_percent),
            )
            for line, text in zip(lines, texts, strict=True)
        ),
    )
    figure = None
    if results.responses and lines:
        means = [_number(line.mean_percent, 2) for line in lines]
        bars = go.Bar(
            x=means,
            y=names,
            orientation="h",
            text=texts,
            textposition="outside",
            cliponaxis=False,
            marker={"color": [_colour(mean) for mean in means]},
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
        figure = _figure(
            [bars],
            _layout(
                title,
                height=130 + 36 * len(lines),
                showlegend=False,
                xaxis={
                    "title": {"text": "Average change in spending (%)"},
                    "range": _padded_range(means),
                    "ticksuffix": "%",
                    "zeroline": True,
                    "zerolinecolor": TEXT,
                    "gridcolor": GRID,
                    "automargin": True,
                },
                yaxis={"autorange": "reversed", "automargin": True, "title": {"text": ""}},
            ),
        )
    return Chart(
        id=_chart_id(results, "mean-change"),
        heading="Average change by service",
        title=title,
        figure=figure,
        table=table,
    )


CHOICES = (("Cut", "cut", RED), ("Kept the same", "kept", GREY), ("Increased", "increased", BLUE))


def choice_shares_chart(results):
    """The share of residents who cut, kept or increased each service line."""
    title = "Share of residents who cut, kept or increased each service"
    lines = results.lines
    table = Table(
        caption=title,
        headings=("Service", "Residents", *(label for label, _name, _colour in CHOICES)),
        rows=tuple(
            (
                line.lever.name,
                str(line.responses),
                *(
                    f"{getattr(line, name)} ({share_text(getattr(line, name + '_share'))})"
                    if line.responses
                    else NO_ANSWERS
                    for _label, name, _colour in CHOICES
                ),
            )
            for line in lines
        ),
    )
    figure = None
    if results.responses and lines:
        traces = [
            go.Bar(
                name=label,
                x=[_number(getattr(line, name + "_share"), 1) for line in lines],
                y=[line.lever.name for line in lines],
                orientation="h",
                text=[share_text(getattr(line, name + "_share")) for line in lines],
                customdata=[getattr(line, name) for line in lines],
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                textfont={"color": "#ffffff"},
                marker={"color": colour},
                hovertemplate=f"%{{y}}: %{{text}} {label.lower()} (%{{customdata}})<extra></extra>",
            )
            for label, name, colour in CHOICES
        ]
        figure = _figure(
            traces,
            _layout(
                title,
                height=160 + 36 * len(lines),
                barmode="stack",
                uniformtext={"mode": "hide", "minsize": 12},
                legend={
                    "orientation": "h",
                    "x": 0,
                    "y": 1,
                    "yanchor": "bottom",
                    "traceorder": "normal",
                },
                xaxis={
                    "title": {"text": "Share of residents (%)"},
                    "range": [0, 100],
                    "ticksuffix": "%",
                    "gridcolor": GRID,
                    "automargin": True,
                },
                yaxis={"autorange": "reversed", "automargin": True, "title": {"text": ""}},
            ),
        )
    return Chart(
        id=_chart_id(results, "shares"),
        heading="Cut, kept or increased",
        title=title,
        figure=figure,
        table=table,
    )


def listed_levels(lever_result):
    """The levels a distribution lists: all of them, or only those chosen if there are many."""
    if len(lever_result.distribution) <= MOST_LEVELS_LISTED:
        return lever_result.distribution
    return lever_result.chosen


def distribution_chart(results, lever_result):
    """How many residents chose each level for one service line or revenue option."""
    lever = lever_result.lever
    title = f"{lever.name}: the change residents chose"
    levels = listed_levels(lever_result)
    note = ""
    if levels is not lever_result.distribution:
        note = "Only the levels at least one resident chose are listed."
    axis = "Change in the rate (%)" if lever.is_revenue else "Change in spending (%)"
    table = Table(
        caption=title,
        headings=("Change", "Residents", "Share of residents"),
        rows=tuple(
            (level_text(level.bp), str(level.count), share_text(level.share)) for level in levels
        ),
        note=note,
    )
    figure = None
    if lever_result.responses:
        bars = go.Bar(
            x=[level_text(level.bp) for level in levels],
            y=[level.count for level in levels],
            text=[str(level.count) for level in levels],
            customdata=[share_text(level.share) for level in levels],
            textposition="outside",
            cliponaxis=False,
            marker={"color": [_colour(level.bp) for level in levels]},
            hovertemplate="%{x}: %{y} residents (%{customdata})<extra></extra>",
        )
        figure = _figure(
            [bars],
            _layout(
                title,
                height=380,
                showlegend=False,
                xaxis={
                    "title": {"text": axis},
                    "type": "category",
                    "automargin": True,
                },
                yaxis={
                    "title": {"text": "Residents"},
                    "rangemode": "tozero",
                    "gridcolor": GRID,
                    "automargin": True,
                },
            ),
        )
    return Chart(
        id=_chart_id(results, f"levels-{lever.id}"),
        heading=lever.name,
        title=title,
        figure=figure,
        table=table,
    )


def summary_table(results):
    """The whole question in four numbers."""
    symbol = symbol_of(results)
    target = format_money(results.target_pence, symbol)
    met = (
        f"{results.met_target} ({share_text(results.met_target_share)})"
        if results.responses
        else NO_ANSWERS
    )
    return Table(
        caption="Summary",
        headings=("Measure", "Result"),
        rows=(
            ("Residents who used the simulator", str(results.responses)),
            ("Average savings found", money_text(results.mean_savings_pence, symbol, False)),
            ("Median savings found", money_text(results.median_savings_pence, symbol, False)),
            (f"Met the savings target of {target}", met),
        ),
    )


def revenue_table(results):
    """What residents chose for each revenue option."""
    symbol = symbol_of(results)
    return Table(
        caption="Revenue options",
        headings=(
            "Option",
            "Residents",
            "Average change",
            "Average income raised",
            "Median change",
            "Lowered",
            "Kept the same",
            "Raised",
        ),
        rows=tuple(
            (
                option.lever.name,
                str(option.responses),
                percent_text(option.mean_percent),
                money_text(option.mean_change_pence, symbol),
                percent_text(option.median_percent),
                *(
                    f"{count} ({share_text(part)})" if option.responses else NO_ANSWERS
                    for count, part in (
                        (option.cut, option.cut_share),
                        (option.kept, option.kept_share),
                        (option.increased, option.increased_share),
                    )
                ),
            )
            for option in results.revenue
        ),
    )


@dataclass(frozen=True)
class QuestionCharts:
    """Everything a results page shows for one budget simulator question."""

    results: object
    summary: Table
    mean_change: Chart
    shares: Chart
    revenue: Table
    revenue_charts: tuple
    line_charts: tuple


def question_charts(results):
    return QuestionCharts(
        results=results,
        summary=summary_table(results),
        mean_change=mean_change_chart(results),
        shares=choice_shares_chart(results),
        revenue=revenue_table(results),
        revenue_charts=tuple(distribution_chart(results, option) for option in results.revenue),
        line_charts=tuple(distribution_chart(results, line) for line in results.lines),
    )


# In the consultation's results ------------------------------------------------------------


def simulator_charts(question):
    """This type's charts in the consultation's results (consultations/analysis/charts.py), from
    its entry in the results dictionary."""
    lines = question["lines"]
    title = f"{question['question']}: share who cut, kept or increased each service"
    table = Table(
        caption=title,
        headings=(
            "Service",
            "Residents",
            "Average change",
            "Median change",
            *(label for label, _key, _colour in CHOICES),
        ),
        rows=tuple(
            (
                line["name"],
                count_text(line["responses"]),
                percent_text(line["mean_percent"]),
                percent_text(line["median_percent"]),
                *(count_share(line[key], line["responses"]) for _label, key, _colour in CHOICES),
            )
            for line in lines
        ),
    )
    drawn = None
    if question["answered"] and lines:
        drawn = _figure(
            [
                go.Bar(
                    name=label,
                    x=[share(line[key], line["responses"]) for line in lines],
                    y=[line["name"] for line in lines],
                    orientation="h",
                    text=[share_text(share(line[key], line["responses"])) for line in lines],
                    textposition="inside",
                    insidetextanchor="middle",
                    textangle=0,
                    textfont={"color": "#ffffff"},
                    marker={"color": bar_colour},
                    hovertemplate=f"%{{y}}: %{{text}} {label.lower()}<extra></extra>",
                )
                for label, key, bar_colour in CHOICES
            ],
            _layout(
                title,
                height=160 + 36 * len(lines),
                barmode="stack",
                uniformtext={"mode": "hide", "minsize": 12},
                legend={"orientation": "h", "x": 0, "y": 1, "yanchor": "bottom"},
                xaxis={
                    "title": {"text": "Share of residents (%)"},
                    "range": [0, 100],
                    "ticksuffix": "%",
                    "gridcolor": GRID,
                    "automargin": True,
                },
                yaxis={"autorange": "reversed", "automargin": True, "title": {"text": ""}},
            ),
        )
    chart = Chart(
        id=chart_id(question["id"], "services"),
        heading="Services",
        title=title,
        table=table,
        figure=drawn,
    )
    revenue = Table(
        caption=f"{question['question']}: revenue options",
        headings=(
            "Option",
            "Residents",
            "Average change",
            "Median change",
            "Lowered",
            "Kept",
            "Raised",
        ),
        rows=tuple(
            (
                option["name"],
                count_text(option["responses"]),
                percent_text(option["mean_percent"]),
                percent_text(option["median_percent"]),
                *(
                    count_share(option[key], option["responses"])
                    for key in ("cut", "kept", "increased")
                ),
            )
            for option in question["revenue"]
        ),
    )
    return ResultsQuestionCharts(
        question=question, charts=(chart,), tables=(revenue,) if question["revenue"] else ()
    )
