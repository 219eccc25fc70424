"""What residents chose in a budget simulator question, counted in SQL.

One grouped query per question (answers counted by part, lever and value) gives every
distribution; means, medians and shares follow exactly from those counts. Choices are whole
basis points (1% = 100) and money whole pence, as in `calculation.py`; means, medians and shares
are exact Decimals, rounded only when displayed.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from budget_simulator.calculation import Lever, line_change, revenue_raised
from consultations.analysis.results import decimal_float
from consultations.analysis.statistics import median
from consultations.journey import sections_of
from consultations.models import Answer, ConsultationPage, Response

SIMULATOR = "budget_simulator"
LINE, REVENUE, SAVINGS_FOUND = "line", "revenue", "savings_found"


def hundredths(number):
    """A stored answer number (a % change or an amount in £) as an exact integer of hundredths."""
    return int((number * 100).to_integral_value())


def share(count, total):
    """`count` as a percentage of `total` (exact), or None when there is nothing to share."""
    return Decimal(count * 100) / total if total else None


@dataclass(frozen=True)
class LevelCount:
    """How many residents chose one level (in basis points) for a lever."""

    bp: int
    count: int
    share: Decimal | None  # % of the residents who answered for this lever


@dataclass(frozen=True)
class LeverResult:
    """What residents chose for one service line or revenue option."""

    lever: Lever
    responses: int
    total_bp: int  # the sum of every resident's choice
    total_change_pence: int  # the sum of what those choices change (spend) or raise (income)
    median_bp: Decimal | None
    cut: int  # chose less spending (or lower income)
    kept: int
    increased: int
    distribution: tuple  # LevelCount for each allowed level, and any other level chosen

    @property
    def mean_bp(self):
        return Decimal(self.total_bp) / self.responses if self.responses else None

    @property
    def mean_percent(self):
        return None if self.mean_bp is None else self.mean_bp / 100

    @property
    def median_percent(self):
        return None if self.median_bp is None else self.median_bp / 100

    @property
    def mean_change_pence(self):
        """The average change in spend (service lines) or income raised (revenue options)."""
        return Decimal(self.total_change_pence) / self.responses if self.responses else None

    @property
    def cut_share(self):
        return share(self.cut, self.responses)

    @property
    def kept_share(self):
        return share(self.kept, self.responses)

    @property
    def increased_share(self):
        return share(self.increased, self.responses)

    @property
    def chosen(self):
        """The distribution without levels nobody chose."""
        return tuple(level for level in self.distribution if level.count)


def lever_result(lever, counts, allow_increases=True):
    """Summarise one lever from {basis points: how many residents chose it}."""
    counts = {bp: count for bp, count in counts.items() if count}
    responses = sum(counts.values())
    change = revenue_raised if lever.is_revenue else line_change
    levels = sorted(set(lever.levels(allow_increases)) | set(counts))
    return LeverResult(
        lever=lever,
        responses=responses,
        total_bp=sum(bp * count for bp, count in counts.items()),
        total_change_pence=sum(change(lever, bp) * count for bp, count in counts.items()),
        median_bp=median(counts),
        cut=sum(count for bp, count in counts.items() if bp < 0),
        kept=counts.get(0, 0),
        increased=sum(count for bp, count in counts.items() if bp > 0),
        distribution=tuple(
            LevelCount(bp=bp, count=counts.get(bp, 0), share=share(counts.get(bp, 0), responses))
            for bp in levels
        ),
    )


@dataclass(frozen=True)
class SimulatorResults:
    """Everything residents' answers to one budget simulator question add up to."""

    consultation: ConsultationPage
    question_id: str
    question_text: str
    budget: object  # budget_simulator.models.Budget, or None if it has been deleted
    responses: int  # residents who answered this question
    target_pence: int
    met_target: int
    total_savings_pence: int
    median_savings_pence: Decimal | None
    lines: tuple = ()
    revenue: tuple = ()

    @property
    def mean_savings_pence(self):
        return Decimal(self.total_savings_pence) / self.responses if self.responses else None

    @property
    def met_target_share(self):
        return share(self.met_target, self.responses)

    @property
    def levers(self):
        return (*self.lines, *self.revenue)


def simulator_questions(consultation):
    """The consultation's budget simulator questions, in the order residents meet them."""
    return [
        question
        for section in sections_of(consultation)
        for question in section.questions
        if question.type == SIMULATOR
    ]


def answer_counts(consultation, question_id):
    """{(part, option): {hundredths: how many}} for one question: a single grouped query."""
    rows = (
        Answer.objects.filter(
            response__consultation=consultation,
            question_id=question_id,
            part__in=[LINE, REVENUE, SAVINGS_FOUND],
        )
        .values("part", "option", "number")
        .annotate(count=Count("id"))
        .order_by()
    )
    counts = {}
    for row in rows:
        if row["number"] is None:
            continue
        level = counts.setdefault((row["part"], row["option"]), {})
        value = hundredths(row["number"])
        # Numbers that differ beyond the hundredths (never stored by the block) count together.
        level[value] = level.get(value, 0) + row["count"]
    return counts


def question_results(consultation, question):
    """The results of one budget simulator question (a `journey.Question`)."""
    budget = question.value.get("budget")
    spec = budget.simulator_spec if budget else None
    counts = answer_counts(consultation, question.id)
    savings = counts.get((SAVINGS_FOUND, ""), {})
    target = spec.target_pence if spec else 0
    allow_increases = spec.allow_increases if spec else True
    return SimulatorResults(
        consultation=consultation,
        question_id=question.id,
        question_text=question.text,
        budget=budget,
        responses=sum(savings.values()),
        target_pence=target,
        met_target=sum(count for pence, count in savings.items() if pence >= target),
        total_savings_pence=sum(pence * count for pence, count in savings.items()),
        median_savings_pence=median(savings),
        lines=tuple(
            lever_result(lever, counts.get((LINE, lever.id), {}), allow_increases)
            for lever in (spec.lines if spec else ())
        ),
        revenue=tuple(
            lever_result(lever, counts.get((REVENUE, lever.id), {}), allow_increases)
            for lever in (spec.revenue if spec else ())
        ),
    )


def consultation_results(consultation):
    """Results for each budget simulator question the consultation asks."""
    return [question_results(consultation, q) for q in simulator_questions(consultation)]


@dataclass(frozen=True)
class SimulatorConsultation:
    """A consultation that asks residents to balance a budget, and how many have answered."""

    consultation: ConsultationPage
    question_ids: tuple
    responses: int  # every response to the consultation
    simulator_answers: int  # responses that answered a budget simulator question


def simulator_question_ids(consultation):
    """Ids of the budget simulator questions, read from the stored StreamField without loading
    any budget."""
    return tuple(
        question["id"]
        for section in consultation.questions.raw_data
        for question in (section.get("value") or {}).get("questions", [])
        if question.get("type") == SIMULATOR
    )


def simulator_consultations():
    """Every consultation with a budget simulator question, newest closing first."""
    found = []
    for consultation in ConsultationPage.objects.all():
        ids = simulator_question_ids(consultation)
        if ids:
            found.append((consultation, ids))
    pages = [consultation for consultation, _ids in found]
    responses = dict(
        Response.objects.filter(consultation__in=pages)
        .values_list("consultation")
        .annotate(count=Count("id"))
        .order_by()
    )
    answered = dict(
        Answer.objects.filter(
            response__consultation__in=pages,
            part=SAVINGS_FOUND,
            question_id__in=[question_id for _page, ids in found for question_id in ids],
        )
        .values_list("response__consultation")
        .annotate(count=Count("response", distinct=True))
        .order_by()
    )
    return [
        SimulatorConsultation(
            consultation=consultation,
            question_ids=ids,
            responses=responses.get(consultation.pk, 0),
            simulator_answers=answered.get(consultation.pk, 0),
        )
        for consultation, ids in found
    ]


def simulator_results(scope, question, answers, small):
    """This type's part of the consultation's results (consultations/analysis/results.py): each
    service line and revenue option, summarised by `lever_result` from the counts the pipeline
    has already made."""
    budget = question.value.get("budget")
    spec = budget.simulator_spec if budget else None

    def levers(part, spec_levers):
        found = []
        for lever in spec_levers:
            counts = {}
            for number, count in answers.numbers.get((question.id, part, lever.id), {}).items():
                level = hundredths(number)
                counts[level] = counts.get(level, 0) + count
            summary = lever_result(lever, counts, spec.allow_increases)
            found.append(
                {
                    "key": lever.id,
                    "name": lever.name,
                    "responses": summary.responses,
                    "mean_percent": decimal_float(summary.mean_percent, 2),
                    "median_percent": decimal_float(summary.median_percent, 2),
                    "cut": summary.cut,
                    "kept": summary.kept,
                    "increased": summary.increased,
                }
            )
        return found

    return {
        "answered": answers.row_counts.get((question.id, SAVINGS_FOUND), 0),
        "lines": levers(LINE, spec.lines) if spec else [],
        "revenue": levers(REVENUE, spec.revenue) if spec else [],
    }
