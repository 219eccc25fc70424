"""Making a new version of a budget: the way to change a budget residents have answered."""

from django.shortcuts import redirect
from django.urls import path
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.log_actions import log

from budget_simulator.import_views import BudgetAdminView, edit_url, forbidden
from budget_simulator.log_actions import NEW_VERSION
from budget_simulator.versions import NewerVersionExists, frozen_reason, make_new_version, uses
from portal import permissions


class NewVersionView(BudgetAdminView, TemplateView):
    """GET: what a new version is for, and where this one is used. POST: make it."""

    template_name = "budget_simulator/admin/new_version.html"
    page_title = "Make a new version"
    header_icon = "copy"

    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_make_budget_versions(request.user):
            return forbidden(request, "Only officers who may add budgets can make a new version.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        found = uses(self.budget)
        answered = [use for use in found if use.answered_by]
        return super().get_context_data(
            uses=found,
            frozen_reason=frozen_reason(answered) if answered else "",
            unanswered=[use for use in found if not use.answered_by],
            next_version=getattr(self.budget, "next_version", None),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            copy = make_new_version(self.budget)
        except NewerVersionExists as exists:
            messages.error(
                request,
                f"‘{self.budget}’ already has a newer version, ‘{exists.newer}’: change that one.",
            )
            return redirect(edit_url(exists.newer))
        log(
            instance=copy,
            action=NEW_VERSION,
            user=request.user,
            data={"from_budget": self.budget.pk, "from_version": self.budget.version},
        )
        messages.success(
            request,
            f"‘{copy}’ made from version {self.budget.version}. Change it here, then choose it in "
            "the budget question of any consultation nobody has answered yet.",
        )
        return redirect(edit_url(copy))


urlpatterns = [
    path("budgets/<int:budget_id>/new-version/", NewVersionView.as_view(), name="new_version"),
]
