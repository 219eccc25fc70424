"""Simulator results in the Wagtail admin, for officers who may see them (the Analysts group)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse_lazy
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from budget_simulator.charts import question_charts
from budget_simulator.results import consultation_results, simulator_consultations
from consultations.models import ConsultationPage
from portal import permissions
from portal.admin_refusals import refused

TITLE = "Budget results"
ICON = "clipboard-list"
NOT_AN_ANALYST = (
    "You do not have permission to see budget simulator results. Ask an administrator to add "
    "you to the Analysts group if you need them."
)


class ResultsView(WagtailAdminTemplateMixin, TemplateView):
    """Refuses, with 403, anyone without permission to see budget simulator results."""

    header_icon = ICON

    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_see_budget_results(request.user):
            return refused(request, NOT_AN_ANALYST, TITLE, ICON)
        return super().dispatch(request, *args, **kwargs)


class ResultsIndexView(ResultsView):
    template_name = "budget_simulator/admin/results_index.html"
    page_title = TITLE

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": TITLE}]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "consultations": simulator_consultations()}


class ConsultationResultsView(ResultsView):
    template_name = "budget_simulator/admin/results_consultation.html"

    @cached_property
    def consultation(self):
        return get_object_or_404(ConsultationPage, pk=self.kwargs["page_id"])

    def get_page_title(self):
        return self.consultation.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse_lazy("budget_simulator:results_index"), "label": TITLE},
            {"url": "", "label": self.consultation.title},
        ]

    def get_context_data(self, **kwargs):
        results = consultation_results(self.consultation)
        if not results:
            raise Http404("This consultation has no budget simulator question.")
        return {
            **super().get_context_data(**kwargs),
            "consultation": self.consultation,
            "questions": [question_charts(question) for question in results],
        }


urlpatterns = [
    path("results/", ResultsIndexView.as_view(), name="results_index"),
    path("results/<int:page_id>/", ConsultationResultsView.as_view(), name="consultation_results"),
]
