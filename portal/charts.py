"""What every results chart shares: a figure beside a table of the same numbers, and the text.

Figures are built in Python with plotly and handed to the page as JSON;
`portal/static/portal/js/charts.js` draws them with the basic plotly.js bundle, loaded only on
pages that draw charts. A `Chart` carries its figure and its `Table`, made from the same rounded
values and the same text, so what a chart shows and what its table says cannot drift apart.
Colours are from the GOV.UK palette; every bar is labelled with its value, so nothing is told by
colour alone. Used by the budget simulator's and the consultations' results.
"""

import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import plotly.graph_objects as go

RED = "#d4351c"  # cuts (4.9:1 against white)
GREY = "#505a5f"  # no change (7.1:1)
BLUE = "#1d70b8"  # increases, and any single series (5.2:1)
TEXT = "#0b0c0c"
GRID = "#d8d8d8"
FONT = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'

NO_ANSWERS = "No answers"


def rounded(value, places):
    """A Decimal rounded to `places` decimal places, halves away from zero."""
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def plain(number):
    """A non-negative Decimal without trailing zeros: 12.50 -> '12.5', 3.00 -> '3'."""
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent_text(percent, places=2):
    """A % change as residents read it: '−3.25%', '+5%', '0%'; None -> 'No answers'."""
    if percent is None:
        return NO_ANSWERS
    value = rounded(percent, places)
    sign = "−" if value < 0 else "+" if value > 0 else ""
    return f"{sign}{plain(abs(value))}%"


def share_text(share):
    """A share of residents to one decimal place: '40%', '32.5%'."""
    return NO_ANSWERS if share is None else f"{plain(rounded(share, 1))}%"


def count_text(count):
    """A count with thousands separated: 12345 -> '12,345'."""
    return f"{count:,}"


def number(value, places):
    """A value rounded for a figure (plotly wants floats); None stays None."""
    return None if value is None else float(rounded(value, places))


def padded_range(values, pad=0.25):
    """An axis range from zero to the values and a little beyond, so labels outside bars fit."""
    low = min([0, *(value for value in values if value is not None)])
    high = max([0, *(value for value in values if value is not None)])
    room = (high - low or 1) * pad
    return [low - room if low < 0 else 0, high + room if high > 0 else 0]


def colour(value):
    """Red for less, grey for no change, blue for more."""
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


def layout(title, height, **extra):
    """A figure's layout in the council's look: left-aligned title, system font, white ground."""
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


def figure(traces, figure_layout):
    """A plotly figure as plain JSON-able data, for Django's `json_script`."""
    return json.loads(go.Figure(data=traces, layout=figure_layout).to_json())
