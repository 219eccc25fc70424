"""The budget editor's note on where the budget is used and whether residents have answered it."""

from django.urls import reverse
from wagtail.admin.panels import Panel

from budget_simulator.versions import frozen_reason, uses


class BudgetVersionPanel(Panel):
    """Above the form: the budget's version, the consultations that ask it, and (once answered)
    why it is frozen and how to make a new version."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "budget_simulator/admin/version_panel.html"

        def is_shown(self):
            return self.instance.pk is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            budget = self.instance
            found = uses(budget)
            answered = [use for use in found if use.answered_by]
            context.update(
                budget=budget,
                uses=found,
                frozen=bool(answered),
                frozen_reason=frozen_reason(answered) if answered else "",
                next_version=getattr(budget, "next_version", None),
                new_version_url=reverse("budget_simulator:new_version", args=[budget.pk]),
            )
            return context
