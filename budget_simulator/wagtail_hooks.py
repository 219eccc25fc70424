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
from budget_simulator.models import Budget
from budget_simulator.versions import is_frozen
from portal import permissions


class BudgetViewSet(SnippetViewSet):
    model = Budget
    icon = "table"
    menu_label = "Budgets"
    menu_order = 250
    add_to_admin_menu = True
    list_display = [
        "name",
        "financial_year",
        "version",
        "total_net_budget_in_full",
        "savings_target_in_full",
        "answered",
    ]
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
def budget_listing_buttons(snippet, user, next_url=None):
    """Load service lines into a budget nobody has answered; copy any budget as a new version."""
    if not isinstance(snippet, Budget):
        return
    if permissions.may_change_budgets(user) and not is_frozen(snippet):
        yield ListingButton(
            "Load service lines from a spreadsheet",
            reverse("budget_simulator:import_service_lines", args=[snippet.pk]),
            icon_name="upload",
            priority=30,
        )
    if permissions.may_make_budget_versions(user):
        yield ListingButton(
            "Make a new version",
            reverse("budget_simulator:new_version", args=[snippet.pk]),
            icon_name="copy",
            priority=40,
        )


class ResultsMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.may_see_budget_results(request.user)


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
        if is_frozen(budget):
            messages.error(
                request,
                f"‘{budget}’ cannot be deleted: residents have already answered it, and their "
                "answers would lose their meaning.",
            )
            return redirect(reverse("wagtailsnippets_budget_simulator_budget:list"))
    return None
