"""Admin URLs of the budget simulator, mounted under /admin/budget-simulator/."""

from budget_simulator import import_views, results_views, version_views

urlpatterns = [
    *import_views.urlpatterns,
    *results_views.urlpatterns,
    *version_views.urlpatterns,
]
