"""The "budget simulator" question: a consultation question that points at a Budget.

Its answer joins the same response as every other question: one posted field per service line
and revenue option (the % change), checked on the server against the budget's rules. Totals are
always recomputed here from the choices; anything the browser worked out is never read.

A clean answer: {"lines": {key: basis points}, "revenue": {key: basis points},
"savings_found_pence": int}.
"""

import re
from decimal import Decimal

from wagtail.snippets.blocks import SnippetChooserBlock

from budget_simulator.calculation import (
    SYMBOLS,
    calculate,
    consequence_at,
    describe_line_choice,
    describe_revenue_choice,
    format_money,
    format_percent,
    totals_text,
)
from consultations.question_types.base import AnswerError, QuestionBlock, field_name, posted

# Anything further from zero than this is not a percentage change a budget can offer.
LARGEST_PERCENT = Decimal("1000")
PERCENT_PATTERN = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?", re.ASCII)
MOST_CHOICES_IN_A_SELECT = 41


def percent_value(bp):
    """Basis points as the form value residents post: 1000 -> '10', -250 -> '-2.5'."""
    sign = "-" if bp < 0 else ""
    return sign + format_percent(bp).rstrip("%")


def parse_percent(raw):
    """A posted % change as basis points; None if it is not a number; a Decimal if off-grid.

    Accepts '-10', '−10' (a typographic minus), '+5', '2.99' and '10%'; nothing looser.
    """
    text = raw.strip().replace("−", "-")
    text = text.removesuffix("%").strip()
    if not PERCENT_PATTERN.fullmatch(text):
        return None
    percent = Decimal(text)
    if abs(percent) > LARGEST_PERCENT:
        return None
    bp = percent * 100
    return int(bp) if bp == bp.to_integral_value() else bp


def signed_percent(bp):
    return ("−" if bp < 0 else "+" if bp > 0 else "") + format_percent(bp)


def read_answer(rows, positions):
    """A stored answer: % change per lever (as basis points) and the savings found (pence)."""
    answer = {"lines": {}, "revenue": {}, "savings_found_pence": 0}
    for row in rows:
        hundredths = int((row.number * 100).to_integral_value())
        if row.part == "savings_found":
            answer["savings_found_pence"] = hundredths
        elif row.part == "line":
            answer["lines"][row.option] = hundredths
        elif row.part == "revenue":
            answer["revenue"][row.option] = hundredths
    return answer


class BudgetSimulatorBlock(QuestionBlock):
    """Residents cut, keep or grow each service (and may raise income) to meet a savings target."""

    type_name = "budget_simulator"
    counted_by = "part"
    # One row per service line and revenue option, and the savings found.
    typical_rows = 20
    results_builder = "budget_simulator.results.simulator_results"
    charts_builder = "budget_simulator.charts.simulator_charts"
    open_data_schema = "budget_simulator.open_data.budget_simulator_schema"
    spreadsheet_columns = "budget_simulator.spreadsheet_columns.simulator_columns"

    budget = SnippetChooserBlock("budget_simulator.Budget")

    # The journey offers an "Update totals" button that redisplays this question's sums.
    recalculates = True
    scripts = ("budget_simulator/js/simulator.js",)

    class Meta:
        icon = "table"
        label = "Budget simulator"
        answer_template = "budget_simulator/question.html"

    @staticmethod
    def spec(value):
        budget = value.get("budget")
        return budget.simulator_spec if budget else None

    def levers(self, value):
        spec = self.spec(value)
        return [*spec.lines, *spec.revenue] if spec else []

    def option_ids(self, value):
        return {lever.id for lever in self.levers(value)}

    def field_names(self, value, block_id):
        return {field_name(block_id, lever.id) for lever in self.levers(value)}

    def meaning_changes(self, old, new, answers):
        """An answered question keeps its budget: answers are costed against the version they
        were given on (budget_simulator/versions.py). Unanswered, it may move to another."""
        old_budget, new_budget = old.value.get("budget"), new.value.get("budget")
        if old_budget == new_budget or not answers.filter(part__in=["line", "revenue"]).exists():
            return []
        return [
            f"You cannot change the budget of the question ‘{old.text}’ from "
            f"‘{old_budget}’ to ‘{new_budget}’: residents have answered it, and their answers are "
            "costed against the budget they were given. Add a new budget question instead, or "
            "use the new version in a consultation nobody has answered yet."
        ]

    def to_form_data(self, value, block_id, answer):
        chosen = {**answer.get("lines", {}), **answer.get("revenue", {})}
        return {
            field_name(block_id, lever.id): [percent_value(chosen.get(lever.id, 0))]
            for lever in self.levers(value)
        }

    def choices_from(self, spec, block_id, data):
        """Basis points per lever from posted data, and errors for what cannot be read."""
        choices, errors = {}, {}
        for lever in [*spec.lines, *spec.revenue]:
            name = field_name(block_id, lever.id)
            raw = posted(data, name)
            if raw == "":
                errors[name] = f"Choose a change for {lever.name}"
                continue
            bp = parse_percent(raw)
            if bp is None:
                errors[name] = f"Enter the change for {lever.name} as a percentage, like -10"
            elif not isinstance(bp, int):
                errors[name] = (
                    f"The change for {lever.name} must be in steps of "
                    f"{format_percent(lever.step_bp)}"
                )
            else:
                choices[lever.id] = bp
        return choices, errors

    def clean_answer(self, value, block_id, data):
        spec = self.spec(value)
        if spec is None:
            return None
        choices, errors = self.choices_from(spec, block_id, data)
        levers = {lever.id: lever for lever in [*spec.lines, *spec.revenue]}
        symbol = SYMBOLS.get(spec.currency, "")
        outcome = calculate(spec, choices, choices)
        for lever_id, problem in outcome.problems:
            name = field_name(block_id, lever_id)
            if lever_id and name not in errors:
                errors[name] = self.problem_message(levers[lever_id], problem, spec, symbol)
        if errors:
            raise AnswerError(errors)
        if not value["required"] and not any(choices.values()):
            return None
        if not spec.target_must_be_met or outcome.target_met:
            return {
                "lines": {lever.id: choices[lever.id] for lever in spec.lines},
                "revenue": {lever.id: choices[lever.id] for lever in spec.revenue},
                "savings_found_pence": outcome.savings_found_pence,
            }
        raise AnswerError(
            {
                field_name(block_id): (
                    f"Your choices find {format_money(outcome.savings_found_pence, symbol)} of the "
                    f"{format_money(spec.target_pence, symbol)} needed: find "
                    f"{format_money(outcome.gap_pence, symbol)} more to balance the budget"
                )
            }
        )

    @staticmethod
    def problem_message(lever, problem, spec, symbol):
        lowest, highest = lever.lowest_bp(), lever.highest_bp(spec.allow_increases)
        if problem == "off_step":
            return (
                f"The change for {lever.name} must be in steps of {format_percent(lever.step_bp)}"
            )
        if problem == "increase_not_allowed":
            return f"{lever.name} cannot be increased in this budget: choose no change or a cut"
        if problem == "below_floor":
            return (
                f"{lever.name} cannot be cut by more than {format_percent(lowest)}: the council "
                f"must spend at least {format_money(lever.floor_pence, symbol)} on it by law"
            )
        return (
            f"The change for {lever.name} must be between {signed_percent(lowest)} "
            f"and {signed_percent(highest)}"
        )

    def describe_answer(self, value, answer):
        spec = self.spec(value)
        if spec is None:
            return ["Budget no longer available"]
        symbol = SYMBOLS.get(spec.currency, "")
        lines = []
        for lever in spec.lines:
            bp = answer["lines"].get(lever.id, 0)
            if bp:
                lines.append(f"{lever.name} – {describe_line_choice(lever, bp, symbol).lower()}")
        for lever in spec.revenue:
            bp = answer["revenue"].get(lever.id, 0)
            if bp:
                lines.append(f"{lever.name} – {describe_revenue_choice(lever, bp, symbol).lower()}")
        if not lines:
            lines.append("No changes to any service")
        found = answer["savings_found_pence"]
        lines.append(
            f"Savings found: {format_money(found, symbol)} of "
            f"{format_money(spec.target_pence, symbol)}"
            if found >= 0
            else f"Your choices add {format_money(found, symbol)} to the gap"
        )
        return lines

    def answer_rows(self, answer):
        """Answer rows to store: one per lever (its % change), and the savings found (£)."""
        rows = [
            {"part": part, "option": lever_id, "number": Decimal(bp) / 100}
            for part, key in (("line", "lines"), ("revenue", "revenue"))
            for lever_id, bp in answer[key].items()
        ]
        rows.append(
            {
                "part": "savings_found",
                "option": "",
                "number": Decimal(answer["savings_found_pence"]) / 100,
            }
        )
        return rows

    def answer_reader(self, question):
        return read_answer

    def form_context(self, value, block_id, data, errors):
        context = super().form_context(value, block_id, data, errors)
        spec = self.spec(value)
        if spec is None:
            return {**context, "unavailable": True}
        symbol = SYMBOLS.get(spec.currency, "")
        choices, _unreadable = self.choices_from(spec, block_id, data)
        # Totals of what the page shows: a value the form cannot offer is shown as no change.
        choices = {
            lever.id: choices.get(lever.id, 0)
            if choices.get(lever.id, 0) in lever.levels(spec.allow_increases)
            else 0
            for lever in [*spec.lines, *spec.revenue]
        }
        outcome = calculate(spec, choices, choices)
        groups = {}
        for lever in spec.lines:
            groups.setdefault(lever.group, []).append(
                self.lever_context(lever, block_id, choices, data, errors, spec, symbol)
            )
        return {
            **context,
            "budget": value["budget"],
            "spec_json": spec.as_json(),
            "spec_id": f"{context['name']}-spec",
            "groups": list(groups.items()),
            "revenue": [
                self.lever_context(lever, block_id, choices, data, errors, spec, symbol)
                for lever in spec.revenue
            ],
            "totals_text": totals_text(spec, outcome),
            "target": format_money(spec.target_pence, symbol),
        }

    @staticmethod
    def lever_context(lever, block_id, choices, data, errors, spec, symbol):
        name = field_name(block_id, lever.id)
        bp = choices.get(lever.id, 0)
        describe = describe_revenue_choice if lever.is_revenue else describe_line_choice
        levels = lever.levels(spec.allow_increases)
        in_a_select = len(levels) <= MOST_CHOICES_IN_A_SELECT
        raw = posted(data, name)
        # A typed value the budget does not offer is kept in its box, and said not to count.
        not_counted = bool(raw) and parse_percent(raw) not in levels
        if bp not in levels:
            bp = 0
        return {
            "id": lever.id,
            "name": name,
            "label": lever.name,
            "description": lever.description,
            "baseline": format_money(lever.baseline_pence, symbol),
            "per_percent": format_money(lever.pence_per_percent, symbol),
            "floor": None if lever.floor_pence is None else format_money(lever.floor_pence, symbol),
            "current": raw if raw and not in_a_select else percent_value(bp),
            "not_counted": not_counted,
            "raw": raw,
            "choice_text": describe(lever, bp, symbol),
            "consequence": "" if lever.is_revenue else consequence_at(lever, bp),
            # A select when the choices fit one; otherwise (council tax by 0.01%) a number box.
            "options": [(percent_value(level), describe(lever, level, symbol)) for level in levels]
            if in_a_select
            else None,
            "negative_allowed": levels[0] < 0,
            "range_text": f"From {signed_percent(levels[0])} to {signed_percent(levels[-1])}, "
            f"in steps of {format_percent(lever.step_bp)}.",
            "min": percent_value(levels[0]),
            "max": percent_value(levels[-1]),
            "step": percent_value(lever.step_bp),
            "error": errors.get(name),
        }
