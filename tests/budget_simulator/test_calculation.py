"""The budget calculation on plain data: exact pence, basis points and halves away from zero.

No database: levers and budgets are built by hand, with figures small enough to check on paper.
"""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budget_simulator.calculation import (
    BudgetSpec,
    Lever,
    calculate,
    consequence_at,
    describe_line_choice,
    describe_revenue_choice,
    divide_rounded,
    format_amount_in_full,
    format_money,
    format_percent,
    lever_problem,
    line_change,
    revenue_raised,
    totals_text,
)

POUND = 100
MILLION = 1_000_000 * POUND

LIBRARIES = Lever(
    id="libraries",
    name="Libraries",
    min_bp=-3000,
    max_bp=1000,
    step_bp=500,
    baseline_pence=1_000_000 * POUND,
    consequences=((-1000, "One day less a week"), (-2000, "Two libraries close"), (500, "Sundays")),
)
SOCIAL_CARE = Lever(
    id="social-care",
    name="Social care",
    min_bp=-1000,
    max_bp=1000,
    step_bp=100,
    baseline_pence=4_000_000 * POUND,
    floor_pence=3_700_000 * POUND,
)
COUNCIL_TAX = Lever(
    id="council-tax",
    name="Council tax",
    min_bp=0,
    max_bp=499,
    step_bp=1,
    pence_per_percent=100_000 * POUND,
    is_revenue=True,
)
FEES = Lever(
    id="fees",
    name="Fees and charges",
    min_bp=-500,
    max_bp=1000,
    step_bp=100,
    pence_per_percent=10_000 * POUND,
    is_revenue=True,
)


def spec(target_pounds=200_000, must_be_met=True, allow_increases=True, revenue=(COUNCIL_TAX,)):
    return BudgetSpec(
        currency="GBP",
        target_pence=target_pounds * POUND,
        target_must_be_met=must_be_met,
        allow_increases=allow_increases,
        lines=(LIBRARIES, SOCIAL_CARE),
        revenue=revenue,
    )


# Rounding.


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(5, 2, 3), (-5, 2, -3), (7, 2, 4), (-7, 2, -4), (1, 3, 0), (-1, 3, 0), (2, 3, 1), (-2, 3, -1)],
)
def test_divide_rounded_rounds_halves_away_from_zero_for_both_signs(
    numerator, denominator, expected
):
    assert divide_rounded(numerator, denominator) == expected


def test_line_change_on_odd_pence_rounds_a_half_penny_away_from_zero():
    lever = Lever(id="x", name="X", min_bp=-100, max_bp=100, step_bp=1, baseline_pence=1_050)
    # 1,050p × -0.5% = -5.25p → -5p; × -1% = -10.5p → -11p.
    assert line_change(lever, -50) == -5
    assert line_change(lever, -100) == -11
    assert line_change(lever, 100) == 11


def test_revenue_raised_on_odd_pence_rounds_a_half_penny_away_from_zero():
    lever = Lever(id="x", name="X", min_bp=0, max_bp=100, step_bp=1, pence_per_percent=3)
    # 3p per 1% × 0.5% = 1.5p → 2p; × 0.01% = 0.03p → 0p.
    assert revenue_raised(lever, 50) == 2
    assert revenue_raised(lever, 1) == 0
    assert revenue_raised(lever, -50) == -2


# Meeting the target.


def test_choices_exactly_on_the_target_meet_it_with_no_gap():
    outcome = calculate(spec(), {"libraries": -1000}, {"council-tax": 100})
    assert outcome.savings_found_pence == 200_000 * POUND
    assert outcome.target_met
    assert outcome.gap_pence == 0
    assert outcome.valid


def test_choices_one_penny_short_of_the_target_do_not_meet_it_and_leave_a_gap_of_one_penny():
    short = BudgetSpec(
        currency="GBP",
        target_pence=200_000 * POUND + 1,
        target_must_be_met=True,
        allow_increases=True,
        lines=(LIBRARIES, SOCIAL_CARE),
        revenue=(COUNCIL_TAX,),
    )
    outcome = calculate(short, {"libraries": -1000}, {"council-tax": 100})
    assert outcome.savings_found_pence == 200_000 * POUND
    assert not outcome.target_met
    assert outcome.gap_pence == 1
    assert outcome.problems == [("", "target_not_met")]


def test_a_target_that_need_not_be_met_is_not_a_problem_when_missed():
    outcome = calculate(spec(must_be_met=False), {}, {})
    assert not outcome.target_met
    assert outcome.gap_pence == 200_000 * POUND
    assert outcome.valid


def test_a_missing_lever_counts_as_no_change():
    outcome = calculate(spec(must_be_met=False), {"libraries": -1000}, {})
    assert outcome.line_changes == {"libraries": -100_000 * POUND, "social-care": 0}
    assert outcome.revenue_raised == {"council-tax": 0}
    assert outcome.savings_found_pence == 100_000 * POUND


# Statutory floors, ranges and steps.


def test_the_deepest_cut_that_keeps_spend_above_the_statutory_floor_is_allowed():
    # £4m - 7% = £3.72m, above the £3.7m floor.
    assert lever_problem(SOCIAL_CARE, -700, allow_increases=True) is None


def test_one_step_below_the_statutory_floor_is_refused_as_below_floor():
    # £4m - 8% = £3.68m, below the £3.7m floor.
    assert lever_problem(SOCIAL_CARE, -800, allow_increases=True) == "below_floor"


def test_a_cut_landing_exactly_on_the_floor_is_allowed():
    lever = Lever(
        id="x",
        name="X",
        min_bp=-1000,
        max_bp=0,
        step_bp=100,
        baseline_pence=1_000 * POUND,
        floor_pence=950 * POUND,
    )
    assert lever_problem(lever, -500, allow_increases=True) is None
    assert lever.lowest_bp() == -500


def test_lowest_level_is_the_deepest_step_that_keeps_spend_above_the_floor():
    assert SOCIAL_CARE.lowest_bp() == -700
    assert SOCIAL_CARE.levels()[:2] == [-700, -600]


def test_lowest_level_without_a_floor_is_the_minimum():
    assert LIBRARIES.lowest_bp() == -3000
    assert LIBRARIES.levels() == [-3000, -2500, -2000, -1500, -1000, -500, 0, 500, 1000]


def test_a_value_off_the_step_grid_is_refused():
    assert lever_problem(LIBRARIES, -700, allow_increases=True) == "off_step"


@pytest.mark.parametrize(
    ("lever", "bp", "problem"),
    [
        (LIBRARIES, -3500, "below_minimum"),
        (LIBRARIES, 1500, "above_maximum"),
        (SOCIAL_CARE, -1100, "below_minimum"),
    ],
)
def test_a_value_outside_the_range_is_refused(lever, bp, problem):
    assert lever_problem(lever, bp, allow_increases=True) == problem


def test_an_increase_is_refused_when_the_budget_does_not_allow_increases():
    assert lever_problem(LIBRARIES, 500, allow_increases=False) == "increase_not_allowed"
    assert LIBRARIES.levels(allow_increases=False)[-1] == 0


def test_raising_revenue_is_allowed_when_the_budget_does_not_allow_increases():
    assert lever_problem(COUNCIL_TAX, 499, allow_increases=False) is None
    assert COUNCIL_TAX.levels(allow_increases=False)[-1] == 499


def test_problems_are_listed_in_lever_order_with_the_missed_target_last():
    outcome = calculate(
        spec(target_pounds=10_000_000, revenue=(COUNCIL_TAX, FEES)),
        {"libraries": -700, "social-care": -900},
        {"council-tax": 500, "fees": -600},
    )
    assert outcome.problems == [
        ("libraries", "off_step"),
        ("social-care", "below_floor"),
        ("council-tax", "above_maximum"),
        ("fees", "below_minimum"),
        ("", "target_not_met"),
    ]
    assert not outcome.valid


# Consequences.


@pytest.mark.parametrize(
    ("bp", "expected"),
    [
        (-1000, "One day less a week"),
        (-1500, "One day less a week"),
        (-2000, "Two libraries close"),
        (-3000, "Two libraries close"),
        (1000, "Sundays"),
    ],
)
def test_consequence_is_the_deepest_level_reached_in_the_same_direction(bp, expected):
    assert consequence_at(LIBRARIES, bp) == expected


def test_no_change_has_no_consequence():
    assert consequence_at(LIBRARIES, 0) == ""


def test_a_change_short_of_the_first_level_has_no_consequence():
    assert consequence_at(LIBRARIES, -500) == ""


def test_an_increase_never_shows_a_cut_consequence():
    lever = Lever(
        id="x",
        name="X",
        min_bp=-1000,
        max_bp=1000,
        step_bp=100,
        consequences=((-100, "Cut"),),
    )
    assert consequence_at(lever, 1000) == ""


# Words and figures.


@pytest.mark.parametrize(
    ("pence", "expected"),
    [
        (0, "£0"),
        (45_000_000, "£450,000"),
        (99_999_999, "£1,000,000"),
        (MILLION, "£1.0 million"),
        (825_000_000, "£8.3 million"),
        (824_999_999, "£8.2 million"),
        (1_234_567_890_00, "£1,234.6 million"),
        (-45_000_000, "£450,000"),
        (-825_000_000, "£8.3 million"),
    ],
)
def test_format_money(pence, expected):
    assert format_money(pence) == expected


def test_format_money_uses_the_symbol_given():
    assert format_money(150, "€") == "€2"


@pytest.mark.parametrize(
    ("bp", "expected"),
    [(0, "0%"), (1000, "10%"), (250, "2.5%"), (499, "4.99%"), (5, "0.05%"), (-1050, "10.5%")],
)
def test_format_percent(bp, expected):
    assert format_percent(bp) == expected


def test_describe_line_choice_says_what_a_cut_saves_and_an_increase_costs():
    assert describe_line_choice(LIBRARIES, 0) == "No change"
    assert describe_line_choice(LIBRARIES, -1000) == "Cut by 10%: saves £100,000"
    assert describe_line_choice(LIBRARIES, 500) == "Increase by 5%: costs £50,000 more"


def test_describe_revenue_choice_says_what_a_rise_raises_and_a_cut_loses():
    assert describe_revenue_choice(COUNCIL_TAX, 0) == "No change"
    assert describe_revenue_choice(COUNCIL_TAX, 299) == "Raise by 2.99%: raises £299,000"
    assert describe_revenue_choice(FEES, -500) == "Lower by 5%: loses £50,000"


def test_totals_text_when_choices_add_to_the_gap():
    budget = spec()
    outcome = calculate(budget, {"libraries": 1000}, {})
    assert totals_text(budget, outcome) == (
        "Your choices add £100,000 to the gap of £200,000. £300,000 still to find."
    )


def test_totals_text_when_the_target_is_met():
    budget = spec()
    outcome = calculate(budget, {"libraries": -2000}, {"council-tax": 50})
    assert totals_text(budget, outcome) == (
        "You have found £250,000 of £200,000. You have met the savings target."
    )


def test_totals_text_when_the_target_is_not_met():
    budget = spec()
    outcome = calculate(budget, {"libraries": -500}, {})
    assert totals_text(budget, outcome) == (
        "You have found £50,000 of £200,000. £150,000 still to find."
    )


# Properties over any choices.


@st.composite
def budgets_and_choices(draw):
    """Any budget of service lines and revenue options, and any choice for each lever."""
    drawn = draw(
        st.lists(
            st.tuples(
                st.booleans(),
                st.integers(min_value=1, max_value=500_000_000_000),
                st.integers(min_value=1, max_value=5_000_000_000),
            ),
            min_size=1,
            max_size=8,
        )
    )
    all_levers = [
        Lever(
            id=f"lever-{n}",
            name=f"Lever {n}",
            min_bp=-10_000,
            max_bp=10_000,
            step_bp=1,
            baseline_pence=0 if is_revenue else baseline,
            pence_per_percent=per_percent if is_revenue else 0,
            is_revenue=is_revenue,
        )
        for n, (is_revenue, baseline, per_percent) in enumerate(drawn)
    ]
    budget = BudgetSpec(
        currency="GBP",
        target_pence=draw(st.integers(min_value=0, max_value=500_000_000_000)),
        target_must_be_met=draw(st.booleans()),
        allow_increases=draw(st.booleans()),
        lines=tuple(lever for lever in all_levers if not lever.is_revenue),
        revenue=tuple(lever for lever in all_levers if lever.is_revenue),
    )
    chosen = {
        lever.id: draw(st.integers(min_value=-10_000, max_value=10_000)) for lever in all_levers
    }
    return budget, chosen


@given(budgets_and_choices())
def test_savings_found_is_revenue_raised_minus_spending_changes(drawn):
    budget, chosen = drawn
    outcome = calculate(budget, chosen, chosen)
    expected = sum(revenue_raised(lever, chosen[lever.id]) for lever in budget.revenue) - sum(
        line_change(lever, chosen[lever.id]) for lever in budget.lines
    )
    assert outcome.savings_found_pence == expected
    assert outcome.savings_found_pence == (
        sum(outcome.revenue_raised.values()) - sum(outcome.line_changes.values())
    )


@given(budgets_and_choices())
def test_gap_is_what_is_left_of_the_target_and_never_negative(drawn):
    budget, chosen = drawn
    outcome = calculate(budget, chosen, chosen)
    assert outcome.gap_pence == max(budget.target_pence - outcome.savings_found_pence, 0)
    assert outcome.target_met == (outcome.gap_pence == 0)


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (Decimal("285000000.00"), "GBP", "£285,000,000"),
        (Decimal("1520000.50"), "GBP", "£1,520,000.50"),
        (Decimal("-450.25"), "EUR", "-€450.25"),
        (Decimal("0"), "GBP", "£0"),
    ],
)
def test_format_amount_in_full(amount, currency, expected):
    assert format_amount_in_full(amount, currency) == expected
