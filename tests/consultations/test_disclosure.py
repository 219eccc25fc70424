"""No hidden count can be worked out from everything published with it (decision 0005).

The property test plays the reader who wants a hidden count back. From random small data it
builds what the results publish about groups of residents (responses by area, every "about you"
part, a question's answers, and a breakdown of that question by each part) with the real
functions, then, independently of how they chose what to hide, sets up the reader's puzzle: how
many residents gave each possible combination of answers (non-negative whole numbers) such that
every published count comes out as published. For every hidden count, the smallest and largest
value it can take in that puzzle are found with integer programming (scipy's milp, so a count
pinned down only by whole numbers is caught too): they must differ.
"""

import itertools
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from consultations.analysis.disclosure import Disclosure
from consultations.analysis.results import (
    AREA_PART,
    Crosstab,
    Published,
    Small,
    about_you_disclosure,
    about_you_results,
    breakdown_cells,
    by_area,
    part_choices,
)
from consultations.question_types.base import PREFER_NOT_TO_SAY

PNTS = PREFER_NOT_TO_SAY
AGES = [("young", "Under 35"), ("older", "35 and over")]
CONNECTIONS = [("live", "I live here"), ("work", "I work here")]
ANSWERS = [("yes", "Yes"), ("no", "No")]


# Plain stand-ins for an "about you" question and the counts of its answers --------------------


@dataclass
class Block:
    wards: list

    def parts(self, value):
        return [
            ("age_band", "Age", AGES, False),
            (AREA_PART, "Area", self.wards, False),
            ("connection", "Connection", CONNECTIONS, True),
        ]


@dataclass
class Question:
    id: str
    type: str
    block: Block
    value: dict


@dataclass(frozen=True)
class Resident:
    """One kind of resident: their answers (None: not answered; a tuple for "connection").

    `postcode`: they gave a postcode district, which counts them as answering "about you"
    though results publish nothing else about it.
    """

    ward: str | None
    age_band: str | None
    connection: tuple
    answer: str | None
    postcode: bool

    def answered_about_you(self):
        return bool(self.postcode or self.ward or self.age_band or self.connection)

    def groups(self, part):
        chosen = getattr(self, part)
        if part == "connection":
            return set(chosen)
        return set() if chosen is None else {chosen}


class Answers:
    """What AnswerCounts gives results.py, counted from residents."""

    def __init__(self, people, about_you_id):
        self.people = people
        self.about_you_id = about_you_id
        answered_any = sum(count for person, count in people.items() if person.answered_about_you())
        self.residents = {about_you_id: answered_any}

    def options(self, question_id, part=""):
        counts = {}
        for person, count in self.people.items():
            chosen = (
                person.groups(part)
                if question_id == self.about_you_id
                else {person.answer} - {None}
            )
            for option in chosen:
                counts[option] = counts.get(option, 0) + count
        return counts

    def part_answered(self, question_id, part):
        return sum(count for person, count in self.people.items() if person.groups(part))


def possible_residents(wards):
    """Every combination of answers a resident can give ("prefer not to say" stands alone)."""
    ward_keys = [None, PNTS, *(key for key, _label in wards)]
    ages = [None, PNTS, *(key for key, _label in AGES)]
    connections = [(), (PNTS,), ("live",), ("work",), ("live", "work")]
    answers = [None, *(key for key, _label in ANSWERS)]
    return [
        Resident(*combination)
        for combination in itertools.product(ward_keys, ages, connections, answers, [False, True])
    ]


@st.composite
def consultations(draw):
    """A few wards and some kinds of residents, several of each, small groups likely."""
    wards = [(f"ward{n}", f"Ward {n}") for n in range(draw(st.integers(1, 3)))]
    kinds = draw(
        st.lists(st.sampled_from(possible_residents(wards)), min_size=1, max_size=8, unique=True)
    )
    counts = draw(st.lists(st.integers(1, 14), min_size=len(kinds), max_size=len(kinds)))
    return wards, dict(zip(kinds, counts, strict=True))


# What is published, through the real functions -----------------------------------------------


@dataclass
class Figure:
    """A published or hidden figure: the residents it counts, and its value if shown."""

    counts: object  # Resident -> how many times it counts them
    value: int | None
    where: str


def published_figures(wards, people, breakdowns):
    """Every count published about the consultation, with the residents each one counts."""
    about = Question("about", "about_you", Block(wards), {})
    answers = Answers(people, "about")
    total = sum(people.values())
    model = about_you_disclosure([about], answers, total, about)
    small = Small(model.values, model.hidden())
    results = about_you_results(None, about, answers, small)
    figures = [
        Figure(lambda p: 1, total, "responses"),
        Figure(
            Resident.answered_about_you,
            results["answered"],
            "about you answered",
        ),
        Figure(
            lambda p: p.answer is not None,
            sum(count for person, count in people.items() if person.answer),
            "question answered",
        ),
    ]
    for key, _label in ANSWERS:
        figures.append(
            Figure(lambda p, key=key: p.answer == key, answers.options("q").get(key, 0), key)
        )
    for row in by_area(about, small, total):
        if row["key"] == "not_answered":
            counts = lambda p: p.ward is None  # noqa: E731
        else:
            counts = lambda p, key=row["key"]: p.ward == key  # noqa: E731
        figures.append(Figure(counts, row["count"], f"by area {row['key']}"))
    for part in results["parts"]:
        name = part["key"]
        figures.append(
            Figure(lambda p, name=name: bool(p.groups(name)), part["answered"], f"{name} answered")
        )
        for option in part["options"]:
            figures.append(
                Figure(
                    lambda p, name=name, key=option["key"]: key in p.groups(name),
                    option["count"],
                    f"{name} {option['key']}",
                )
            )
            if option["percent"] is not None:
                assert part["answered"] is not None, "a share would give a hidden total away"
    published = Published([about], answers, total, about)
    for part in breakdowns:
        groups = part_choices(about, part)
        table = [
            [
                sum(c for p, c in people.items() if p.answer == row and group in p.groups(part))
                for group, _label in groups
            ]
            for row, _label in ANSWERS
        ]
        totals = [
            sum(c for p, c in people.items() if p.answer and group in p.groups(part))
            for group, _label in groups
        ]
        crosstab = Crosstab(
            "q",
            False,
            about,
            part,
            ANSWERS,
            groups,
            table,
            totals,
            answers.options("q"),
            sum(count for person, count in people.items() if person.answer),
        )
        shown = breakdown_cells(published, crosstab)
        for group in shown["groups"]:
            figures.append(
                Figure(
                    lambda p, part=part, g=group["key"]: bool(p.answer) and g in p.groups(part),
                    group["answered"],
                    f"breakdown {part} {group['key']} answered",
                )
            )
        for row in shown["rows"]:
            for group, cell in zip(shown["groups"], row["cells"], strict=True):
                figures.append(
                    Figure(
                        lambda p, part=part, r=row["key"], g=group["key"]: (
                            p.answer == r and g in p.groups(part)
                        ),
                        cell["count"],
                        f"breakdown {part} {row['key']} {group['key']}",
                    )
                )
                if cell["percent"] is not None:
                    assert group["answered"] is not None, "a share would give a total away"
    return figures


def range_of(figure, figures, kinds):
    """The smallest and largest whole-number value of `figure` given every shown figure."""
    shown = [f for f in figures if f.value is not None]
    matrix = np.array([[int(f.counts(kind)) for kind in kinds] for f in shown], dtype=float)
    values = np.array([f.value for f in shown], dtype=float)
    objective = np.array([int(figure.counts(kind)) for kind in kinds], dtype=float)
    found = []
    for sign in (1, -1):
        solved = milp(
            sign * objective,
            integrality=np.ones(len(kinds)),
            bounds=Bounds(0, np.inf),
            constraints=LinearConstraint(matrix, values, values),
        )
        assert solved.success, solved.message
        found.append(round(sign * solved.fun))
    return tuple(found)


def assert_nothing_hidden_can_be_worked_out(wards, people, breakdowns):
    figures = published_figures(wards, people, breakdowns)
    kinds = possible_residents(wards)
    for figure in figures:
        if figure.value is None:
            low, high = range_of(figure, figures, kinds)
            assert low < high, f"{figure.where} is hidden but must be {low}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consultations())
def test_no_hidden_count_in_the_results_can_be_worked_out(consultation):
    wards, people = consultation

    assert_nothing_hidden_can_be_worked_out(wards, people, breakdowns=[])


# Only parts where a resident is in one group: see "Consequences" in decision 0005 for a part
# where they can be in several.
@pytest.mark.parametrize("part", [AREA_PART, "age_band"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consultation=consultations())
def test_no_hidden_count_can_be_worked_out_from_the_results_and_a_breakdown(part, consultation):
    wards, people = consultation

    assert_nothing_hidden_can_be_worked_out(wards, people, breakdowns=[part])


# The rules, on plain tables ------------------------------------------------------------------


def line(counts, total_shown=True):
    """One row of counts adding up to a total (always shown when `total_shown`)."""
    model = Disclosure()
    cells = [model.cell(index, count, sensitive=True) for index, count in enumerate(counts)]
    model.cell("total", sum(counts), always_shown=total_shown, unpublished=not total_shown)
    model.total(cells, "total")
    return model


def test_counts_from_one_to_nine_are_hidden_and_ten_is_shown():
    assert line([10, 20, 30, 40], total_shown=False).hidden() == set()
    assert line([9, 20, 30, 40], total_shown=False).hidden() == {0}


def test_a_zero_is_shown_as_nobody_is_in_the_group():
    assert line([0, 20, 30, 40]).hidden() == set()


def test_a_lone_hidden_count_in_a_published_total_hides_the_next_smallest():
    assert line([9, 20, 12, 40]).hidden() == {0, 2}


def test_two_hidden_counts_in_a_line_need_no_more_hiding():
    assert line([9, 20, 3, 40]).hidden() == {0, 2}


def test_a_zero_is_hidden_when_nothing_else_can_hide_a_small_count():
    # Everyone (3) is in the first group: with the total shown only the zero can cover it.
    assert line([3, 0]).hidden() == {0, 1}


def test_the_same_count_in_two_tables_is_hidden_in_both():
    # The same six counts, once with a shown total and once with a "did not say" count shown.
    model = Disclosure()
    wards = [model.cell(("ward", n), count, sensitive=True) for n, count in enumerate([3, 40, 25])]
    model.cell("answered", 68, always_shown=True)
    model.cell("did not say", 15, sensitive=True)
    model.cell("responses", 83, always_shown=True)
    model.total(wards, "answered")
    model.total(["answered", "did not say"], "responses")

    assert model.hidden() == {("ward", 0), ("ward", 2)}
