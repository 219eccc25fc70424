"""The budget simulator in a real browser: sliders by keyboard, selects without JavaScript, and
calculation.js giving exactly what calculation.py gives for the same choices."""

import dataclasses
import json
import random
import re
from decimal import Decimal

import pytest

from budget_simulator.calculation import (
    BudgetSpec,
    Lever,
    calculate,
    consequence_at,
    describe_line_choice,
    describe_revenue_choice,
    divide_rounded,
    format_money,
    format_percent,
    totals_text,
)
from budget_simulator.models import Budget
from consultations.journey import questions_of
from consultations.models import Answer, ConsultationPage
from tests.browser.test_response_journey import tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BUDGET = "/consultations/budget-2027-28/"
SIMULATOR = BUDGET + "respond/section/2/"
CALCULATION_JS = "/static/budget_simulator/js/calculation.js"
TOTALS = "[data-simulator-totals]"


def demo_spec():
    return Budget.objects.get(name="Kingsmere budget 2027/28").simulator_spec


def lever(spec, name):
    return next(lever for lever in [*spec.lines, *spec.revenue] if lever.name == name)


def expected_totals(spec, choices):
    """What the server says for these choices ({lever name: basis points})."""
    by_id = {lever(spec, name).id: bp for name, bp in choices.items()}
    return totals_text(spec, calculate(spec, by_id, by_id))


def simulator_id():
    page = ConsultationPage.objects.get(slug="budget-2027-28")
    return next(q.id for q in questions_of(page).values() if q.type == "budget_simulator")


def lever_box(page, name):
    return page.locator("[data-lever-id]").filter(has=page.get_by_text(name, exact=True))


def shown_totals(page):
    return page.locator(TOTALS).all_inner_texts()


def assert_totals(page, spec, choices):
    expected = expected_totals(spec, choices)
    assert shown_totals(page) == [expected, expected]
    return expected


def assert_focus_not_hidden_by_totals(page):
    """WCAG 2.4.11: the totals kept in sight at the foot of the screen never cover the focus."""
    overlap = page.evaluate(
        """() => {
            const focused = document.activeElement.getBoundingClientRect();
            const totals = document.querySelector(".portal-simulator__totals--end")
                .getBoundingClientRect();
            return focused.bottom > totals.top && focused.top < totals.bottom;
        }"""
    )
    assert not overlap, "the focused control is behind the sticky totals"


def press(page, key, times=1):
    for _ in range(times):
        page.keyboard.press(key)


def tab_to_slider(page, name):
    tab_to(page, name)
    assert page.evaluate("document.activeElement.type") == "range", f"{name} is not a slider"
    assert_focus_not_hidden_by_totals(page)


def value_text(page):
    return page.evaluate("document.activeElement.getAttribute('aria-valuetext')")


def answer_section_one_by_keyboard(page):
    page.goto(BUDGET + "respond/")
    page.wait_for_url(re.compile(r"respond/section/1/$"))
    page.wait_for_selector(".portal-ranking--enhanced")
    tab_to(page, "Keep this order")
    page.keyboard.press("Enter")
    tab_to(page, "Raise council tax by 4.99%")
    page.keyboard.press("Space")
    tab_to(page, "Continue")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"respond/section/2/$"))
    page.wait_for_selector(".portal-simulator--enhanced")


def test_resident_balances_the_budget_with_sliders_by_keyboard(live_demo, browser_page):
    page = browser_page
    spec = demo_spec()
    answer_section_one_by_keyboard(page)
    assert page.locator("[data-simulator-no-js]").is_hidden()
    assert page.locator("[data-simulator-no-js-hint]").is_hidden()
    assert page.locator("select:visible, input[type=text]:visible").count() == 0
    assert_totals(page, spec, {})
    page.assert_accessible()

    choices = {}
    adult = lever(spec, "Adult social care")
    tab_to_slider(page, "Adult social care")
    press(page, "ArrowLeft", 3)
    choices["Adult social care"] = -300
    assert value_text(page) == describe_line_choice(adult, -300) == "Cut by 3%: saves £3.5 million"
    assert_totals(page, spec, choices)
    effect = lever_box(page, "Adult social care").locator(".portal-simulator__effect")
    assert effect.inner_text() == f"Cut by 3%: saves £3.5 million. {consequence_at(adult, -300)}"
    assert "Longer waits for a care needs assessment" in effect.inner_text()
    press(page, "PageDown")  # a bigger step: a tenth of the range, on the step grid
    choices["Adult social care"] = -500
    assert value_text(page) == describe_line_choice(adult, -500)
    assert consequence_at(adult, -500) in effect.inner_text()

    tab_to_slider(page, "Running the council")
    press(page, "Home")  # the deepest cut allowed
    choices["Running the council"] = -2000
    tab_to_slider(page, "Council tax")
    press(page, "End")
    choices["Council tax"] = 499
    assert value_text(page) == describe_revenue_choice(lever(spec, "Council tax"), 499)
    expected = assert_totals(page, spec, choices)
    assert expected.endswith("You have met the savings target.")
    # The polite announcement waits for a pause, then says the totals once.
    page.wait_for_function(
        "expected => document.querySelector('[role=status]').textContent.endsWith(expected)",
        arg=expected,
    )
    assert page.locator("[role=status][aria-live=polite]").count() == 1
    page.assert_accessible()

    tab_to(page, "Reset Running the council")
    assert_focus_not_hidden_by_totals(page)
    page.keyboard.press("Enter")
    choices["Running the council"] = 0
    expected = assert_totals(page, spec, choices)
    assert "still to find" in expected
    page.wait_for_function(
        "expected => document.querySelector('[role=status]').textContent"
        " === 'Running the council: No change. ' + expected",
        arg=expected,
    )

    tab_to_slider(page, "Fees and charges")
    press(page, "PageUp", 5)
    choices["Fees and charges"] = 500
    expected = assert_totals(page, spec, choices)
    assert expected.endswith("You have met the savings target.")

    tab_to(page, "Continue")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"respond/section/3/$"))
    tab_to(page, "Strongly agree")
    page.keyboard.press("Space")
    tab_to(page, "Continue")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"respond/section/4/$"))
    tab_to(page, "Continue")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"respond/check/$"))
    by_id = {lever(spec, name).id: bp for name, bp in choices.items()}
    found = calculate(spec, by_id, by_id)
    assert f"Savings found: {format_money(found.savings_found_pence)}" in page.inner_text("main")
    tab_to(page, "Send response")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"respond/confirmation/$"))
    page.assert_no_console_errors()

    rows = Answer.objects.filter(question_id=simulator_id())
    stored = {(row.part, row.option): row.number for row in rows}
    expected_rows = {
        ("line", line.id): Decimal(choices.get(line.name, 0)) / 100 for line in spec.lines
    }
    expected_rows |= {
        ("revenue", option.id): Decimal(choices.get(option.name, 0)) / 100
        for option in spec.revenue
    }
    expected_rows[("savings_found", "")] = Decimal(found.savings_found_pence) / 100
    assert stored == expected_rows


def test_reset_all_returns_every_slider_to_no_change(live_demo, browser_page):
    page = browser_page
    spec = demo_spec()
    page.goto(BUDGET + "respond/")
    page.goto(SIMULATOR)
    page.wait_for_selector(".portal-simulator--enhanced")
    tab_to_slider(page, "Bins and recycling")
    press(page, "ArrowDown", 4)
    tab_to_slider(page, "Council tax")
    press(page, "ArrowRight", 7)
    assert_totals(page, spec, {"Bins and recycling": -400, "Council tax": 7})
    tab_to(page, "Reset all")
    page.keyboard.press("Enter")
    expected = assert_totals(page, spec, {})
    page.wait_for_function(
        "expected => document.querySelector('[role=status]').textContent"
        " === 'All choices reset. ' + expected",
        arg=expected,
    )
    assert (
        page.locator("input[type=range]").evaluate_all(
            "ranges => ranges.map(range => range.getAttribute('aria-valuetext'))"
        )
        == ["No change"] * 14
    )
    assert set(page.locator("select[hidden]").evaluate_all("s => s.map(x => x.value)")) == {"0"}
    page.assert_no_console_errors()


def test_resident_balances_the_budget_with_selects_without_javascript(live_demo, no_js_page):
    page = no_js_page
    spec = demo_spec()
    page.goto(BUDGET + "respond/")
    page.goto(SIMULATOR)
    assert page.locator("input[type=range]").count() == 0
    assert page.get_by_role("button", name="Update totals").is_visible()
    page.assert_accessible()

    page.get_by_label("Adult social care", exact=True).select_option("-5")
    page.get_by_label("Libraries", exact=True).select_option("-10")
    page.get_by_label("Council tax", exact=True).fill("2.99")
    with page.expect_navigation():
        page.get_by_role("button", name="Update totals").press("Enter")
    choices = {"Adult social care": -500, "Libraries": -1000, "Council tax": 299}
    expected = assert_totals(page, spec, choices)
    assert "still to find" in expected
    adult = lever(spec, "Adult social care")
    effect = lever_box(page, "Adult social care").locator(".portal-simulator__effect")
    assert (
        effect.inner_text() == f"{describe_line_choice(adult, -500)}. {consequence_at(adult, -500)}"
    )
    libraries = lever_box(page, "Libraries").locator(".portal-simulator__effect")
    assert consequence_at(lever(spec, "Libraries"), -1000) in libraries.inner_text()
    assert page.get_by_label("Council tax", exact=True).input_value() == "2.99"
    page.assert_accessible()

    with page.expect_navigation():
        page.get_by_role("button", name="Continue").press("Enter")
    summary = page.locator(".govuk-error-summary")
    by_id = {lever(spec, name).id: bp for name, bp in choices.items()}
    outcome = calculate(spec, by_id, by_id)
    assert f"find {format_money(outcome.gap_pence)} more to balance the budget" in (
        summary.inner_text()
    )
    assert format_money(outcome.savings_found_pence) in summary.inner_text()
    page.assert_accessible()

    page.get_by_label("Running the council", exact=True).select_option("-20")
    page.get_by_label("Fees and charges", exact=True).select_option("10")
    page.get_by_role("button", name="Continue").press("Enter")
    # The browser keeps the "Update totals" anchor through the redirect.
    page.wait_for_url(re.compile(r"respond/section/3/(#[\w-]+)?$"))
    page.assert_accessible()


def test_simulator_fits_a_320_pixel_screen_with_targets_of_24_pixels(live_demo, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(BUDGET + "respond/")
    page.goto(SIMULATOR)
    page.wait_for_selector(".portal-simulator--enhanced")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    smallest = page.locator(
        ".portal-simulator input[type=range], .portal-simulator button:visible"
    ).evaluate_all(
        """controls => controls.map(control => {
            const box = control.getBoundingClientRect();
            return [control.textContent || control.id, Math.min(box.width, box.height)];
        }).sort((a, b) => a[1] - b[1])[0]"""
    )
    assert smallest[1] >= 24, smallest
    page.assert_accessible()

    # A single tap, no dragging (WCAG 2.5.7): the step buttons move a slider one step.
    spec = demo_spec()
    page.get_by_role("button", name="Increase Fees and charges by 1%").click()
    page.get_by_role("button", name="Increase Fees and charges by 1%").click()
    page.get_by_role("button", name="Decrease Council tax by 0.01%").click()  # already lowest
    assert page.get_by_label("Fees and charges").get_attribute("aria-valuetext") == (
        describe_revenue_choice(lever(spec, "Fees and charges"), 200)
    )
    assert_totals(page, spec, {"Fees and charges": 200})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.assert_no_console_errors()


def test_simulator_without_javascript_fits_a_320_pixel_screen(live_demo, no_js_page):
    page = no_js_page
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(BUDGET + "respond/")
    page.goto(SIMULATOR)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


# The JavaScript calculation agrees with the Python one ------------------------------------------

STEPS = [1, 5, 10, 25, 50, 100, 250, 500, 1000]
# Ties between consequences at one level are broken by text, in code point order (as Python).
TEXTS = ["Fewer visits", "Longer waits", "Zebra crossing", "été", "\uff5e wave", "\U0001f600 smile"]


def random_lever(rng, index, is_revenue):
    step = rng.choice(STEPS)
    most = min(10_000 // step, 100)
    min_bp = -step * rng.randint(0, most)
    max_bp = step * rng.randint(0, most)
    if is_revenue:
        per_percent = rng.choice(
            [rng.randrange(1, 10_000, 2), rng.randrange(1, 500_000_001, 2), 2 * 10**11 + 1]
        )
        return Lever(
            id=f"option-{index}",
            name=f"Option {index}",
            min_bp=min_bp,
            max_bp=max_bp,
            step_bp=step,
            pence_per_percent=per_percent,
            is_revenue=True,
        )
    baseline = rng.choice(
        [
            rng.randrange(1, 2_000_001, 2),  # small lines: pounds, and half pence to round
            rng.randrange(1, 50_000_000_001, 2),
            rng.randrange(1, 500_000_000_001, 2),  # up to the £5bn the models allow
            10**14 + 1,  # beyond it: products past 2**53, which JavaScript must still get exact
        ]
    )
    floor = None
    if rng.random() < 0.5:
        floor = rng.randint(baseline + divide_rounded(baseline * min_bp, 10_000), baseline)
    levels = [bp for bp in range(min_bp, max_bp + 1, step) if bp]
    consequences = tuple(
        (rng.choice(levels), rng.choice(TEXTS)) for _ in range(rng.randint(0, 5)) if levels
    )
    return Lever(
        id=f"line-{index}",
        name=f"Line {index}",
        min_bp=min_bp,
        max_bp=max_bp,
        step_bp=step,
        baseline_pence=baseline,
        floor_pence=floor,
        consequences=consequences,
    )


def random_spec(rng):
    return BudgetSpec(
        currency=rng.choice(["GBP", "GBP", "EUR", "USD"]),
        target_pence=rng.choice([0, rng.randrange(1, 10**9, 2), rng.randrange(1, 10**12, 2)]),
        target_must_be_met=rng.random() < 0.7,
        allow_increases=rng.random() < 0.7,
        lines=tuple(random_lever(rng, n, False) for n in range(rng.randint(1, 8))),
        revenue=tuple(random_lever(rng, n, True) for n in range(rng.randint(0, 3))),
    )


def random_choice(rng, spec, lever):
    """Allowed levels mostly, and every way a posted value can be wrong."""
    levels = lever.levels(spec.allow_increases)
    kind = rng.choice(
        ["level", "level", "level", "zero", "off_step", "below", "above", "floor", "increase"]
    )
    if kind == "off_step" and lever.step_bp > 1:
        return rng.choice(levels) + rng.randint(1, lever.step_bp - 1)
    if kind == "below":
        return lever.min_bp - rng.randint(1, 2 * lever.step_bp)
    if kind == "above":
        return lever.max_bp + rng.randint(1, 2 * lever.step_bp)
    if kind == "floor" and lever.lowest_bp() > lever.min_bp:
        return rng.randrange(lever.min_bp, lever.lowest_bp(), lever.step_bp)
    if kind == "increase" and lever.max_bp > 0:
        return rng.randrange(lever.step_bp, lever.max_bp + 1, lever.step_bp)
    if kind == "zero":
        return 0
    return rng.choice(levels)


def random_case(rng, spec):
    line_choices, revenue_choices = {}, {}
    for levers, choices in ((spec.lines, line_choices), (spec.revenue, revenue_choices)):
        for each in levers:
            if rng.random() < 0.9:  # a missing lever counts as no change
                choices[each.id] = random_choice(rng, spec, each)
    found = calculate(spec, line_choices, revenue_choices).savings_found_pence
    if rng.random() < 0.25 and found >= 0:
        spec = dataclasses.replace(spec, target_pence=found + rng.choice([0, 0, 1]))
    return spec, line_choices, revenue_choices


def expected_results(spec, line_choices, revenue_choices):
    """Everything calculation.js must reproduce, computed by calculation.py."""
    symbol = spec.as_json()["symbol"]
    outcome = calculate(spec, line_choices, revenue_choices)
    levers = {}
    for each in [*spec.lines, *spec.revenue]:
        chosen = {**line_choices, **revenue_choices}.get(each.id, 0)
        describe = describe_revenue_choice if each.is_revenue else describe_line_choice
        levers[each.id] = {
            "levels": each.levels(spec.allow_increases),
            "lowest": each.lowest_bp(),
            "highest": each.highest_bp(spec.allow_increases),
            "describe": describe(each, chosen, symbol),
            "consequence": consequence_at(each, chosen),
        }
    return {
        "outcome": outcome.as_json(),
        "totals": totals_text(spec, outcome),
        "levers": levers,
    }


JS_RESULTS = """async (cases) => {
    const calc = await import(cases.module);
    return JSON.stringify(cases.cases.map(([spec, lineChoices, revenueChoices]) => {
        const outcome = calc.calculate(spec, lineChoices, revenueChoices);
        const levers = {};
        for (const lever of [...spec.lines, ...spec.revenue]) {
            const chosen = {...lineChoices, ...revenueChoices}[lever.id] ?? 0;
            const describe = lever.isRevenue ? calc.describeRevenueChoice : calc.describeLineChoice;
            levers[lever.id] = {
                levels: calc.levels(lever, spec.allowIncreases),
                lowest: calc.lowestBp(lever),
                highest: calc.highestBp(lever, spec.allowIncreases),
                describe: describe(lever, chosen, spec.symbol),
                consequence: calc.consequenceAt(lever, chosen),
            };
        }
        return {outcome, totals: calc.totalsText(spec, outcome), levers};
    }));
}"""


def tied_consequences_spec():
    """Two consequences at one level: Python keeps the text later in code point order, which
    for these two is not the later one in JavaScript's own (UTF-16) order."""
    line = Lever(
        id="tie",
        name="Tie",
        min_bp=-1000,
        max_bp=1000,
        step_bp=500,
        baseline_pence=1_000_001,
        consequences=((-500, "\U0001f600 smile"), (-500, "\uff5e wave"), (500, "b"), (500, "a")),
    )
    return BudgetSpec("GBP", 100, True, True, lines=(line,))


def agreement_cases(spec):
    rng = random.Random(20261123)
    tie = tied_consequences_spec()
    cases = [(tie, {"tie": bp}, {}) for bp in (-1000, -500, 0, 500, 1000)]
    cases += [random_case(rng, spec) for _ in range(120)]
    for _ in range(275):
        cases.append(random_case(rng, random_spec(rng)))
    return cases


def test_calculation_js_agrees_with_calculation_py_on_random_choices(live_demo, browser_page):
    page = browser_page
    page.goto(BUDGET)
    cases = agreement_cases(demo_spec())
    results = json.loads(
        page.evaluate(
            JS_RESULTS,
            {
                "module": CALCULATION_JS,
                "cases": [[spec.as_json(), lines, revenue] for spec, lines, revenue in cases],
            },
        )
    )
    assert len(results) == len(cases) == 400
    kinds = set()
    for (spec, lines, revenue), result in zip(cases, results, strict=True):
        expected = expected_results(spec, lines, revenue)
        assert result == expected, (spec, lines, revenue)
        kinds |= {code for _lever, code in expected["outcome"]["problems"]}
        kinds.add("met" if expected["outcome"]["targetMet"] else "not met")
        if expected["outcome"]["savingsFoundPence"] == spec.target_pence:
            kinds.add("met exactly")
    # The random cases reach every kind of answer they are meant to exercise.
    assert kinds >= {
        "below_minimum",
        "above_maximum",
        "off_step",
        "below_floor",
        "increase_not_allowed",
        "target_not_met",
        "met",
        "not met",
        "met exactly",
    }


def test_calculation_js_formats_and_rounds_like_calculation_py(live_demo, browser_page):
    page = browser_page
    page.goto(BUDGET)
    rng = random.Random(2027)
    pence = [0, 1, 49, 50, 149, 150, -150, 99_999_949, 99_999_950, 100_000_000, 104_999_999]
    pence += [105_000_000, -105_000_000, 949_999_999_999, 123_456_789_012_345]
    pence += [rng.randrange(-(10**13), 10**13) for _ in range(300)]
    percents = list(range(-1001, 1002)) + [rng.randrange(-100_000, 100_000) for _ in range(100)]
    divisions = [(n, d) for n in (-15, -5, -4, 0, 4, 5, 15) for d in (1, 2, 10)]
    divisions += [(rng.randrange(-(2**53), 2**53), rng.randrange(1, 10**9)) for _ in range(300)]
    result = page.evaluate(
        """async ([module, pence, percents, divisions]) => {
            const calc = await import(module);
            return {
                money: pence.map(p => [calc.formatMoney(p), calc.formatMoney(p, "€")]),
                percent: percents.map(calc.formatPercent),
                divided: divisions.map(([n, d]) => calc.divideRounded(n, d)),
            };
        }""",
        [CALCULATION_JS, pence, percents, divisions],
    )
    assert result["money"] == [[format_money(p), format_money(p, "€")] for p in pence]
    assert result["percent"] == [format_percent(bp) for bp in percents]
    assert result["divided"] == [divide_rounded(n, d) for n, d in divisions]
