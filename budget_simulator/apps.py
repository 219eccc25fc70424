from django.apps import AppConfig


class BudgetSimulatorConfig(AppConfig):
    name = "budget_simulator"
    verbose_name = "Budget simulator"
