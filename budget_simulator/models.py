"""A council's budget as residents can try to balance it: service lines, revenue options, rules.

Officers keep budgets as snippets in the Wagtail admin and point a consultation's "budget
simulator" question at one. Lines and options carry a stable `key`, which stored answers use, so
renaming a line never changes what an answer means.
"""

import uuid
from decimal import Decimal

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable

from budget_simulator.calculation import BudgetSpec, Lever, format_amount_in_full
from budget_simulator.forms import BudgetForm
from budget_simulator.panels import BudgetVersionPanel

# Baselines up to £5bn keep every calculation exact in JavaScript's numbers (below 2**53).
MAX_AMOUNT = Decimal("5000000000")
MONEY = {"max_digits": 12, "decimal_places": 2}
PERCENT = {"max_digits": 5, "decimal_places": 2}


def pence(amount):
    return int((amount * 100).to_integral_value())


def basis_points(percent):
    return int((percent * 100).to_integral_value())


class Currency(models.TextChoices):
    GBP = "GBP", "Pounds sterling (£)"
    EUR = "EUR", "Euro (€)"


class Budget(ClusterableModel):
    """One year's net revenue budget and the savings the council must find."""

    name = models.CharField(max_length=120, help_text="For example ‘Kingsmere budget 2027/28’.")
    financial_year = models.CharField(
        max_length=7,
        validators=[RegexValidator(r"^\d{4}/\d{2}$", "Write the year like 2027/28.")],
        help_text="Like 2027/28.",
    )
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.GBP)
    total_net_budget = models.DecimalField(
        **MONEY, validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_AMOUNT)]
    )
    savings_target = models.DecimalField(
        **MONEY,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_AMOUNT)],
        help_text="How much residents' choices need to save or raise.",
    )
    target_must_be_met = models.BooleanField(
        default=True, help_text="Residents can only submit a budget that meets the target."
    )
    allow_increases = models.BooleanField(
        default=True, help_text="Residents may choose to spend more on a service."
    )
    # Once residents answer a budget it is frozen; changes go into a copy (budget_simulator/
    # versions.py), which counts on from the budget it was made from.
    version = models.PositiveIntegerField(default=1, editable=False)
    previous_version = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="next_version",
    )

    panels = [
        BudgetVersionPanel(heading="Version and where it is used"),
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("financial_year"), FieldPanel("currency")]),
        FieldRowPanel([FieldPanel("total_net_budget"), FieldPanel("savings_target")]),
        MultiFieldPanel(
            [FieldPanel("target_must_be_met"), FieldPanel("allow_increases")], heading="Rules"
        ),
        InlinePanel("service_lines", heading="Service lines", label="Service line", min_num=1),
        InlinePanel("revenue_options", heading="Revenue options", label="Revenue option"),
    ]

    base_form_class = BudgetForm

    class Meta:
        ordering = ["-financial_year", "name"]
        permissions = [("view_budget_results", "Can see budget simulator results")]

    def __str__(self):
        if self.version > 1:
            return f"{self.name} ({self.financial_year}, version {self.version})"
        return f"{self.name} ({self.financial_year})"

    def clean(self):
        super().clean()
        if (
            self.savings_target is not None
            and self.total_net_budget is not None
            and self.savings_target > self.total_net_budget
        ):
            raise ValidationError(
                {"savings_target": "The savings target cannot be more than the whole budget."}
            )

    @admin.display(description="Total net budget", ordering="total_net_budget")
    def total_net_budget_in_full(self):
        return format_amount_in_full(self.total_net_budget, self.currency)

    @admin.display(description="Savings target", ordering="savings_target")
    def savings_target_in_full(self):
        return format_amount_in_full(self.savings_target, self.currency)

    @admin.display(description="Answered")
    def answered(self):
        from budget_simulator.versions import is_frozen

        return "Yes: frozen" if is_frozen(self) else "Not yet"

    @cached_property
    def simulator_spec(self):
        """The budget as plain data for the calculation (and the browser widget)."""
        return BudgetSpec(
            currency=self.currency,
            target_pence=pence(self.savings_target),
            target_must_be_met=self.target_must_be_met,
            allow_increases=self.allow_increases,
            lines=tuple(line.lever() for line in self.service_lines.all()),
            revenue=tuple(option.lever() for option in self.revenue_options.all()),
        )


class ConsequenceBlock(blocks.StructBlock):
    change = blocks.DecimalBlock(
        max_digits=5,
        decimal_places=2,
        min_value=-100,
        max_value=100,
        help_text="The change in %, e.g. -10 for a 10% cut. Shown from this level onwards.",
    )
    text = blocks.CharBlock(
        max_length=300, help_text="What it would mean, e.g. ‘Libraries open one day less a week’."
    )

    class Meta:
        icon = "info-circle"
        label = "Consequence"


class BudgetLever(Orderable):
    """Fields shared by service lines and revenue options: a range of % changes on a step."""

    key = models.UUIDField(default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    min_change = models.DecimalField(
        **PERCENT,
        default=Decimal("-10"),
        validators=[MinValueValidator(-100), MaxValueValidator(0)],
        help_text="The deepest cut, in %, e.g. -20.",
    )
    max_change = models.DecimalField(
        **PERCENT,
        default=Decimal("10"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="The biggest increase, in %.",
    )
    step = models.DecimalField(
        **PERCENT,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(100)],
        help_text="Residents move in steps of this many %.",
    )

    class Meta(Orderable.Meta):
        abstract = True

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        if None in (self.min_change, self.max_change, self.step) or not self.step:
            return
        if (self.max_change - self.min_change) % self.step:
            errors["step"] = "The range from the minimum to the maximum must be whole steps."
        elif self.min_change % self.step:
            errors["step"] = "‘No change’ (0%) must be one of the steps."
        if errors:
            raise ValidationError(errors)


class ServiceLine(BudgetLever):
    """A service the council spends on, and how far residents may cut or grow it."""

    budget = ParentalKey(Budget, on_delete=models.CASCADE, related_name="service_lines")
    code = models.CharField(
        max_length=20,
        help_text="The finance team's code, e.g. ASC01. Spreadsheet rows are matched on it.",
    )
    group = models.CharField(
        max_length=80, blank=True, help_text="e.g. ‘People’, ‘Place’, ‘Corporate’."
    )
    baseline = models.DecimalField(
        **MONEY,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_AMOUNT)],
        help_text="This year's net spend.",
    )
    statutory_floor = models.DecimalField(
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="The least the council must spend by law, if any.",
    )
    consequences = StreamField(
        [("consequence", ConsequenceBlock())],
        blank=True,
        use_json_field=True,
        help_text="What each level of cut or increase would mean for residents.",
    )

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("name"), FieldPanel("group")]),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("baseline"), FieldPanel("statutory_floor")]),
        FieldRowPanel([FieldPanel("min_change"), FieldPanel("max_change"), FieldPanel("step")]),
        FieldPanel("consequences"),
    ]

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.statutory_floor is not None
            and self.baseline is not None
            and self.statutory_floor > self.baseline
        ):
            errors["statutory_floor"] = "The statutory minimum cannot be above today's spend."
        for child in self.consequences or []:
            level = child.value["change"]
            if level is not None and self.min_change is not None and self.max_change is not None:
                if level == 0 or not self.min_change <= level <= self.max_change:
                    errors["consequences"] = (
                        f"Each consequence needs a change between {self.min_change}% and "
                        f"{self.max_change}%, other than 0 (found {level}%)."
                    )
        if errors:
            raise ValidationError(errors)

    def lever(self):
        return Lever(
            id=str(self.key),
            name=self.name,
            description=self.description,
            min_bp=basis_points(self.min_change),
            max_bp=basis_points(self.max_change),
            step_bp=basis_points(self.step),
            baseline_pence=pence(self.baseline),
            group=self.group,
            floor_pence=None if self.statutory_floor is None else pence(self.statutory_floor),
            consequences=tuple(
                (basis_points(child.value["change"]), child.value["text"])
                for child in self.consequences
            ),
        )


class RevenueKind(models.TextChoices):
    COUNCIL_TAX = "council_tax", "Council tax"
    FEES_AND_CHARGES = "fees_and_charges", "Fees and charges"
    OTHER = "other", "Other income"


class RevenueOption(BudgetLever):
    """A way to raise money instead of cutting, e.g. council tax up to its legal cap."""

    budget = ParentalKey(Budget, on_delete=models.CASCADE, related_name="revenue_options")
    kind = models.CharField(max_length=20, choices=RevenueKind.choices)
    income_per_percent = models.DecimalField(
        **MONEY,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_AMOUNT / 100)],
        help_text="How much each 1% raises in a year.",
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("name")]),
        FieldPanel("description"),
        FieldPanel("income_per_percent"),
        FieldRowPanel([FieldPanel("min_change"), FieldPanel("max_change"), FieldPanel("step")]),
    ]

    def lever(self):
        return Lever(
            id=str(self.key),
            name=self.name,
            description=self.description,
            min_bp=basis_points(self.min_change),
            max_bp=basis_points(self.max_change),
            step_bp=basis_points(self.step),
            pence_per_percent=pence(self.income_per_percent),
            is_revenue=True,
        )
