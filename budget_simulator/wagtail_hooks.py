"""Officers keep budgets in the Wagtail admin, as snippets."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from budget_simulator.models import Budget


class BudgetViewSet(SnippetViewSet):
    model = Budget
    icon = "table"
    menu_label = "Budgets"
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "financial_year", "total_net_budget", "savings_target"]
    search_fields = ["name", "financial_year"]


register_snippet(BudgetViewSet)
