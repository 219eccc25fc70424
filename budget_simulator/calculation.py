"""The one budget calculation: what a resident's choices change, save and leave to find.

Plain Python, no Django. Money is whole pence and percentages are whole basis points
(1% = 100), so every figure is an exact integer. `static/budget_simulator/js/calculation.js`
mirrors this module line for line so the widget's live totals match the server's; a browser
test feeds both the same random choices and requires identical results.

Rounding is always to the nearest unit, halves away from zero.
"""

from dataclasses import dataclass, field

PENCE_PER_MILLION = 100_000_000
SYMBOLS = {"GBP": "£", "EUR": "€"}


def divide_rounded(numerator, denominator):
    """Integer division rounded to nearest, halves away from zero (denominator > 0)."""
    quotient, remainder = divmod(abs(numerator), denominator)
    if 2 * remainder >= denominator:
        quotient += 1
    return quotient if numerator >= 0 else -quotient


@dataclass(frozen=True)
class Lever:
    """Something a resident can move: a service line's spending or a revenue option.

    `baseline_pence` is today's spend (service lines); `pence_per_percent` what each 1% raises
    (revenue options); `floor_pence` the statutory minimum spend, if any.
    """

    id: str
    name: str
    min_bp: int
    max_bp: int
    step_bp: int
    baseline_pence: int = 0
    pence_per_percent: int = 0
    floor_pence: int | None = None
    consequences: tuple = ()  # (level in basis points, text), from the model
    is_revenue: bool = False
    description: str = ""
    group: str = ""

    def highest_bp(self, allow_increases=True):
        return self.max_bp if allow_increases or self.is_revenue else min(self.max_bp, 0)

    def lowest_bp(self):
        """The deepest cut on the step grid that keeps spend at or above any statutory floor."""
        lowest = self.min_bp
        if self.floor_pence is not None and self.baseline_pence:
            while lowest < 0 and self.baseline_pence + line_change(self, lowest) < self.floor_pence:
                lowest += self.step_bp
        return lowest

    def levels(self, allow_increases=True):
        """Every choice a resident may make, in basis points, lowest first."""
        return list(range(self.lowest_bp(), self.highest_bp(allow_increases) + 1, self.step_bp))


@dataclass(frozen=True)
class BudgetSpec:
    currency: str
    target_pence: int
    target_must_be_met: bool
    allow_increases: bool
    lines: tuple = ()
    revenue: tuple = ()

    def as_json(self):
        """What the browser widget needs to repeat the calculation."""
        return {
            "currency": self.currency,
            "symbol": SYMBOLS.get(self.currency, ""),
            "targetPence": self.target_pence,
            "targetMustBeMet": self.target_must_be_met,
            "allowIncreases": self.allow_increases,
            "lines": [_lever_json(lever) for lever in self.lines],
            "revenue": [_lever_json(lever) for lever in self.revenue],
        }


def _lever_json(lever):
    return {
        "id": lever.id,
        "name": lever.name,
        "minBp": lever.min_bp,
        "maxBp": lever.max_bp,
        "stepBp": lever.step_bp,
        "baselinePence": lever.baseline_pence,
        "pencePerPercent": lever.pence_per_percent,
        "floorPence": lever.floor_pence,
        "consequences": [[level, text] for level, text in lever.consequences],
        "isRevenue": lever.is_revenue,
    }


@dataclass
class Outcome:
    """What a set of choices means. Spending changes are negative for cuts."""

    line_changes: dict = field(default_factory=dict)  # line id -> change in spend, pence
    revenue_raised: dict = field(default_factory=dict)  # option id -> income, pence
    savings_found_pence: int = 0
    gap_pence: int = 0
    target_met: bool = False
    problems: list = field(default_factory=list)  # (lever id, problem code), in lever order

    @property
    def valid(self):
        return not self.problems

    def as_json(self):
        return {
            "lineChanges": self.line_changes,
            "revenueRaised": self.revenue_raised,
            "savingsFoundPence": self.savings_found_pence,
            "gapPence": self.gap_pence,
            "targetMet": self.target_met,
            "valid": self.valid,
            "problems": [list(problem) for problem in self.problems],
        }


def line_change(lever, bp):
    """Change in a service line's spend, in pence, for a change of `bp` basis points."""
    return divide_rounded(lever.baseline_pence * bp, 10_000)


def revenue_raised(lever, bp):
    """Income from a revenue option set to `bp` basis points."""
    return divide_rounded(lever.pence_per_percent * bp, 100)


def lever_problem(lever, bp, allow_increases):
    """Why `bp` is not an allowed choice for this lever, as a code, or None."""
    if bp < lever.min_bp:
        return "below_minimum"
    if bp > lever.max_bp:
        return "above_maximum"
    if (bp - lever.min_bp) % lever.step_bp:
        return "off_step"
    if bp > 0 and not lever.is_revenue and not allow_increases:
        return "increase_not_allowed"
    if (
        lever.floor_pence is not None
        and bp < 0
        and lever.baseline_pence + line_change(lever, bp) < lever.floor_pence
    ):
        return "below_floor"
    return None


def calculate(spec, line_choices, revenue_choices):
    """The outcome of choices given as {lever id: basis points}; a missing lever means 0."""
    outcome = Outcome()
    found = 0
    for lever in spec.lines:
        bp = line_choices.get(lever.id, 0)
        change = line_change(lever, bp)
        outcome.line_changes[lever.id] = change
        found -= change
        problem = lever_problem(lever, bp, spec.allow_increases)
        if problem:
            outcome.problems.append((lever.id, problem))
    for lever in spec.revenue:
        bp = revenue_choices.get(lever.id, 0)
        raised = revenue_raised(lever, bp)
        outcome.revenue_raised[lever.id] = raised
        found += raised
        problem = lever_problem(lever, bp, spec.allow_increases)
        if problem:
            outcome.problems.append((lever.id, problem))
    outcome.savings_found_pence = found
    outcome.gap_pence = max(spec.target_pence - found, 0)
    outcome.target_met = found >= spec.target_pence
    if spec.target_must_be_met and not outcome.target_met:
        outcome.problems.append(("", "target_not_met"))
    return outcome


def consequence_at(lever, bp):
    """The officer's words for the deepest level this choice reaches, in its direction."""
    reached = [
        (abs(level), text)
        for level, text in lever.consequences
        if level and bp and (level < 0) == (bp < 0) and abs(level) <= abs(bp)
    ]
    return max(reached)[1] if reached else ""


def format_money(pence, symbol="£"):
    """An amount residents can read: '£8.2 million' from a million up, else '£450,000'."""
    pence = abs(pence)
    if pence >= PENCE_PER_MILLION:
        tenths = divide_rounded(pence, PENCE_PER_MILLION // 10)
        return f"{symbol}{tenths // 10:,}.{tenths % 10} million"
    return f"{symbol}{divide_rounded(pence, 100):,}"


def format_amount_in_full(amount, currency="GBP"):
    """An exact amount for officers: '£285,000,000' or '£1,520,000.50' (pence only when there
    are some), never a bare '285000000.00'."""
    symbol = SYMBOLS.get(currency, "")
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    text = f"{amount:,.2f}"
    if text.endswith(".00"):
        text = text[:-3]
    return f"{sign}{symbol}{text}"


def format_percent(bp):
    """Basis points as a percentage without trailing zeros: 1000 -> '10%', 499 -> '4.99%'."""
    whole, hundredths = divmod(abs(bp), 100)
    if hundredths == 0:
        return f"{whole}%"
    if hundredths % 10 == 0:
        return f"{whole}.{hundredths // 10}%"
    return f"{whole}.{hundredths:02d}%"


def describe_line_choice(lever, bp, symbol="£"):
    """A service line choice in words: 'Cut by 10%: saves £1.2 million'."""
    if bp == 0:
        return "No change"
    money = format_money(line_change(lever, bp), symbol)
    if bp < 0:
        return f"Cut by {format_percent(bp)}: saves {money}"
    return f"Increase by {format_percent(bp)}: costs {money} more"


def describe_revenue_choice(lever, bp, symbol="£"):
    """A revenue choice in words: 'Raise by 2.99%: raises £4.5 million'."""
    if bp == 0:
        return "No change"
    money = format_money(revenue_raised(lever, bp), symbol)
    if bp < 0:
        return f"Lower by {format_percent(bp)}: loses {money}"
    return f"Raise by {format_percent(bp)}: raises {money}"


def totals_text(spec, outcome):
    """The running total residents read and hear."""
    symbol = SYMBOLS.get(spec.currency, "")
    found = outcome.savings_found_pence
    target = format_money(spec.target_pence, symbol)
    if found < 0:
        text = f"Your choices add {format_money(found, symbol)} to the gap of {target}"
    else:
        text = f"You have found {format_money(found, symbol)} of {target}"
    if outcome.target_met:
        return f"{text}. You have met the savings target."
    return f"{text}. {format_money(outcome.gap_pence, symbol)} still to find."
