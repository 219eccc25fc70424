"""A small budget anyone can check by hand, and a consultation that asks it as a question.

Libraries   £1,000,000   -30%..+10% step 5%   no floor
Social care £4,000,000   -10%..+10% step 1%   statutory floor £3,700,000 (so at most -7%)
Parks       £  500,000   -20%..  0% step 10%
Council tax raises £100,000 per 1%, 0%..4.99% step 0.01%
Savings target £200,000, which must be met.
"""

from decimal import Decimal

import pytest
from django.utils.datastructures import MultiValueDict

from budget_simulator.models import Budget, RevenueKind, RevenueOption, ServiceLine
from consultations.question_types.base import field_name
from tests import builders
from tests.builders import ConsultationPageFactory


def make_budget(**fields):
    budget = Budget(
        name="Test budget",
        financial_year="2027/28",
        total_net_budget=Decimal("5500000"),
        savings_target=Decimal("200000"),
        target_must_be_met=True,
        allow_increases=True,
    )
    for name, value in fields.items():
        setattr(budget, name, value)
    budget.service_lines.add(
        ServiceLine(
            code="LIB",
            name="Libraries",
            group="Place",
            baseline=Decimal("1000000"),
            min_change=Decimal("-30"),
            max_change=Decimal("10"),
            step=Decimal("5"),
            consequences=[
                ("consequence", {"change": Decimal("-10"), "text": "One day less a week"}),
                ("consequence", {"change": Decimal("-20"), "text": "Two libraries close"}),
                ("consequence", {"change": Decimal("5"), "text": "Sunday opening"}),
            ],
        ),
        ServiceLine(
            code="ASC",
            name="Social care",
            group="People",
            baseline=Decimal("4000000"),
            min_change=Decimal("-10"),
            max_change=Decimal("10"),
            step=Decimal("1"),
            statutory_floor=Decimal("3700000"),
        ),
        ServiceLine(
            code="PRK",
            name="Parks",
            group="Place",
            baseline=Decimal("500000"),
            min_change=Decimal("-20"),
            max_change=Decimal("0"),
            step=Decimal("10"),
        ),
    )
    budget.revenue_options.add(
        RevenueOption(
            kind=RevenueKind.COUNCIL_TAX,
            name="Council tax",
            income_per_percent=Decimal("100000"),
            min_change=Decimal("0"),
            max_change=Decimal("4.99"),
            step=Decimal("0.01"),
        )
    )
    budget.save()
    return budget


@pytest.fixture
def budget(db):
    return make_budget()


def keys(budget):
    """Lever keys by name: {'Libraries': '...', 'Council tax': '...'}."""
    return {
        lever.name: lever.id
        for lever in [*budget.simulator_spec.lines, *budget.simulator_spec.revenue]
    }


SIMULATOR_ID = builders.stable_id("simulator-test/simulator")


def simulator_questions(budget, required=True):
    return [
        builders.section(
            "simulator-test/section",
            "Balance the budget",
            "",
            [
                builders.question(
                    "simulator-test/simulator",
                    "budget_simulator",
                    "Balance our budget",
                    required=required,
                    budget=budget.pk,
                )
            ],
        )
    ]


@pytest.fixture
def simulator_consultation(demo_site, budget):
    """An open consultation whose one section is the simulator question for `budget`."""
    from wagtail.models import Page

    from consultations.models import ConsultationIndexPage

    return ConsultationPageFactory(
        parent=ConsultationIndexPage.objects.get(),
        slug="simulator-test",
        privacy_notice=Page.objects.get(slug="privacy"),
        questions=simulator_questions(budget),
    )


def choices(budget, **percent_by_name):
    """Posted form data: a % change for each lever, by name ('Council_tax' for spaces)."""
    by_name = keys(budget)
    data = {field_name(SIMULATOR_ID, lever_id): "0" for lever_id in by_name.values()}
    for name, percent in percent_by_name.items():
        data[field_name(SIMULATOR_ID, by_name[name.replace("_", " ")])] = str(percent)
    return data


def as_post(data):
    return MultiValueDict({name: [value] for name, value in data.items()})
