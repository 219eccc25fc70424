"""Charts of budget simulator results, each with a table of the same numbers.

Figures are built here with plotly and handed to the page as JSON; `portal/js/charts.js` draws
them with the basic plotly.js bundle. Each `Chart` carries its figure and its table, made from
the same rounded values and the same text, so what a chart shows and what its table says
cannot drift apart. Colours are from the GOV.UK palette; every bar is labelled with its value,
so nothing is told by colour alone.
"""

import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import plotly.graph_objects as go

from budget_simulator.calculation import SYMBOLS, format_money

RED = "#d4351c"  # cuts (4.9:1 against white)
GREY = "#505a5f"  # no change (7.1:1)
BLUE = "#1d70b8"  # increases (5.2:1)
TEXT = "#0b0c0c"
GRID = "#d8d8d8"
FONT = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'

# Levers with more levels than this (council tax in steps of 0.01%) list only the levels chosen.
MOST_LEVELS_LISTED = 41
NO_ANSWERS = "No answers"


def rounded(value, places):
    """A Decimal rounded to `places` decimal places, halves away from zero."""
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _plain(number):
    """A non-negative Decimal without trailing zeros: 12.50 -> '12.5', 3.00 -> '3'."""
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent_text(percent, places=2):
    """A % change as residents read it: '−3.25%', '+5%', '0%'; None -> 'No answers'."""
    if percent is None:
        return NO_ANSWERS
    value = rounded(percent, places)
    sign = "−" if value < 0 else "+" if value > 0 else ""
    return f"{sign}{_plain(abs(value))}%"


def share_text(share):
    """A share of residents to one decimal place: '40%', '32.5%'."""
    return NO_ANSWERS if share is None else f"{_plain(rounded(share, 1))}%"


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


def _number(value, places):
    return None if value is None else float(rounded(value, places))


def _padded_range(values, pad=0.25):
    """An axis range from zero to the values and a little beyond, so labels outside bars fit."""
    low = min([0, *(value for value in values if value is not None)])
    high = max([0, *(value for value in values if value is not None)])
    room = (high - low or 1) * pad
    return [low - room if low < 0 else 0, high + room if high > 0 else 0]


def _colour(value):
    return GREY if not value else RED if value < 0 else BLUE


@dataclass(frozen=True)
class Table:
    """The numbers of a chart as a table: each row starts with its row heading."""

    caption: str
    headings: tuple
    rows: tuple
    note: str = ""


@dataclass(frozen=True)
class Chart:
    """A figure and the table of its numbers, shown together."""

    id: str  # the id of the element holding the figure's JSON
    heading: str  # the page's heading for the chart and its table
    title: str  # the figure's own title and the table's caption
    table: Table
    figure: dict | None = None  # None when there is nothing to draw

    @property
    def description(self):
        """What screen readers hear for the drawn chart: where to find its numbers."""
        return f"Chart: {self.title}. The table below it gives the same numbers."


def _layout(title, height, **extra):
    return {
        "template": "none",
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 18}},
        "font": {"family": FONT, "size": 14, "color": TEXT},
        "height": height,
        "margin": {"l": 10, "r": 30, "t": 70, "b": 60, "pad": 4},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hoverlabel": {"font": {"family": FONT, "size": 14}},
        **extra,
    }


def _figure(traces, layout):
    return json.loads(go.Figure(data=traces, layout=layout).to_json())


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
