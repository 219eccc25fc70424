"""A budget residents have answered is frozen; changes go into a new version.

A resident's answer is a % change for each service line, costed against that line's baseline and
floor and the budget's target. If those could change after people answered, results would cost
an earlier "-10%" against a new baseline. So once anyone has answered, a budget no longer changes
(the editor, the spreadsheet loader and deletion all refuse) and officers make a new version: a
copy with fresh line keys, for consultations nobody has answered yet. A consultation's answered
question cannot be pointed at another budget (`BudgetSimulatorBlock.meaning_changes`), so results
always cost each answer against the version it was given on.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count

LEVER_PARTS = ("line", "revenue")
SIMULATOR = "budget_simulator"


def lever_keys(budget):
    return [
        str(key)
        for related in (budget.service_lines, budget.revenue_options)
        for key in related.values_list("key", flat=True)
    ]


def answered_keys(keys):
    """Which of these lever keys residents have already answered."""
    from consultations.models import Answer

    return set(
        Answer.objects.filter(part__in=LEVER_PARTS, option__in=[str(k) for k in keys])
        .values_list("option", flat=True)
        .distinct()
    )


def is_frozen(budget):
    """True once any resident has answered any line or option of this budget."""
    from consultations.models import Answer

    if budget.pk is None:
        return False
    return Answer.objects.filter(part__in=LEVER_PARTS, option__in=lever_keys(budget)).exists()


@dataclass(frozen=True)
class BudgetUse:
    """A consultation that asks residents to balance this budget."""

    consultation: object  # consultations.models.ConsultationPage
    answered_by: int  # residents who have answered it there

    @property
    def status(self):
        if not self.consultation.live:
            return "Draft"
        return self.consultation.status.label


def _asks(consultation, budget_pk):
    return any(
        question.get("type") == SIMULATOR
        and (question.get("value") or {}).get("budget") == budget_pk
        for section in consultation.questions.raw_data
        for question in (section.get("value") or {}).get("questions", [])
    )


def uses(budget):
    """Every consultation whose questions point at this budget (as saved on the page: published
    ones are what residents see) or whose residents answered it; answered ones first."""
    from consultations.models import Answer, ConsultationPage

    answered = dict(
        Answer.objects.filter(part__in=LEVER_PARTS, option__in=lever_keys(budget))
        .values_list("response__consultation")
        .annotate(residents=Count("response", distinct=True))
        .order_by()
    )
    found = [
        BudgetUse(consultation=page, answered_by=answered.get(page.pk, 0))
        for page in ConsultationPage.objects.order_by("title")
        if page.pk in answered or _asks(page, budget.pk)
    ]
    return sorted(found, key=lambda use: not use.answered_by)


def frozen_reason(answered_uses):
    """Why a budget cannot change, naming where residents answered it."""
    places = ", ".join(
        f"‘{use.consultation.title}’ ({use.answered_by:,} "
        f"resident{'s' if use.answered_by != 1 else ''})"
        for use in answered_uses
    )
    return (
        f"Residents have answered this budget{' in ' + places if places else ''}, so it can no "
        "longer change: their "
        "answers are costed against it as it was. Make a new version for consultations nobody "
        "has answered yet."
    )


class NewerVersionExists(Exception):
    def __init__(self, newer):
        super().__init__(str(newer))
        self.newer = newer


def _copy_levers(source, budget):
    for lever in source.all():
        fields = {
            field.attname: getattr(lever, field.attname)
            for field in lever._meta.concrete_fields
            if field.name not in {"id", "key", "budget"}
        }
        type(lever).objects.create(budget=budget, **fields)


def make_new_version(budget):
    """Copy the budget, its lines and options (with new keys), as its next version.

    Versions form one line: a budget that already has a next version is not copied again
    (NewerVersionExists names it), so two officers asking at once get one new version.
    """
    from budget_simulator.models import Budget

    with transaction.atomic():
        budget = Budget.objects.select_for_update().get(pk=budget.pk)
        newer = Budget.objects.filter(previous_version=budget).first()
        if newer is not None:
            raise NewerVersionExists(newer)
        copy = Budget(
            name=budget.name,
            financial_year=budget.financial_year,
            currency=budget.currency,
            total_net_budget=budget.total_net_budget,
            savings_target=budget.savings_target,
            target_must_be_met=budget.target_must_be_met,
            allow_increases=budget.allow_increases,
            version=budget.version + 1,
            previous_version=budget,
        )
        copy.save()
        _copy_levers(budget.service_lines, copy)
        _copy_levers(budget.revenue_options, copy)
    return copy
