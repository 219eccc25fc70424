"""Officers keep budgets in the Wagtail admin (snippets), load service lines from spreadsheets
and read simulator results there."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from budget_simulator import admin_urls
from budget_simulator.forms import answered_keys
from budget_simulator.models import Budget


class BudgetViewSet(SnippetViewSet):
    model = Budget
    icon = "table"
    menu_label = "Budgets"
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "financial_year", "total_net_budget_in_full", "savings_target_in_full"]
    search_fields = ["name", "financial_year"]


register_snippet(BudgetViewSet)


@hooks.register("register_admin_urls")
def register_budget_admin_urls():
    return [
        path(
            "budget-simulator/",
            include((admin_urls, "budget_simulator"), namespace="budget_simulator"),
        )
    ]


@hooks.register("register_snippet_listing_buttons")
def load_service_lines_button(snippet, user, next_url=None):
    if isinstance(snippet, Budget) and user.has_perm("budget_simulator.change_budget"):
        yield ListingButton(
            "Load service lines from a spreadsheet",
            reverse("budget_simulator:import_service_lines", args=[snippet.pk]),
            icon_name="upload",
            priority=30,
        )


class ResultsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("budget_simulator.view_budget_results")


@hooks.register("register_admin_menu_item")
def register_results_menu_item():
    return ResultsMenuItem(
        "Budget results",
        reverse("budget_simulator:results_index"),
        icon_name="clipboard-list",
        order=260,
    )


@hooks.register("before_delete_snippet")
def keep_answered_budgets(request, instances):
    """A budget residents have answered stays: deleting it would orphan their answers."""
    for budget in instances:
        if not isinstance(budget, Budget):
            continue
        spec = budget.simulator_spec
        if answered_keys(lever.id for lever in [*spec.lines, *spec.revenue]):
            messages.error(
                request,
                f"‘{budget}’ cannot be deleted: residents have already answered it, and their "
                "answers would lose their meaning.",
            )
            return redirect(reverse("wagtailsnippets_budget_simulator_budget:list"))
    return None
