"""/api/v1/: the open results data. Anything else under it answers a JSON 404."""

from django.urls import path, re_path
from django.views.generic import RedirectView

from consultations.api import views

app_name = "open_data"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="open_data_page"), name="index"),
    path("consultations/", views.consultation_list, name="consultations"),
    path("consultations/<str:slug>/results/", views.results, name="results"),
    path("consultations/<str:slug>/results.csv", views.results_csv_file, name="results_csv"),
    path("schema/", views.schema, name="schema"),
    re_path(r"^.*/\Z", views.not_found),
]
