"""Every officer view that checks its own permissions refuses with one 403 page inside the admin
(portal/admin_refusals.py) that says why and whom to ask."""

import html

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from budget_simulator.results_views import NOT_AN_ANALYST as NOT_A_BUDGET_ANALYST
from consultations.analysis.views import NOT_AN_ANALYST
from consultations.models import ConsultationPage
from consultations.moderation.views import NOT_A_MODERATOR
from consultations.spreadsheets.export_views import NOT_ALLOWED as MAY_NOT_EXPORT
from consultations.spreadsheets.import_views import NOT_ALLOWED as MAY_NOT_IMPORT


@pytest.mark.parametrize(
    ("email", "url", "reason"),
    [
        ("analyst@kingsmere.example", "/admin/moderation/", NOT_A_MODERATOR),
        ("moderator@kingsmere.example", "consultation_results:index", NOT_AN_ANALYST),
        ("editor@kingsmere.example", "budget_simulator:results_index", NOT_A_BUDGET_ANALYST),
        ("moderator@kingsmere.example", "consultation_responses:index", MAY_NOT_EXPORT),
    ],
)
def test_a_refused_officer_is_told_why_inside_the_admin(client, demo_site, email, url, reason):
    client.force_login(get_user_model().objects.get(email=email))

    response = client.get(url if url.startswith("/") else reverse(url))

    assert response.status_code == 403
    page = html.unescape(response.content.decode())
    assert reason in page
    assert "Back to the dashboard" in page


def test_the_import_refusal_names_the_group_to_ask_for(client, demo_site):
    client.force_login(get_user_model().objects.get(email="moderator@kingsmere.example"))
    parks = ConsultationPage.objects.get(slug="parks-and-green-spaces-strategy")

    response = client.get(reverse("consultation_responses:import", args=[parks.pk]))

    assert response.status_code == 403
    assert MAY_NOT_IMPORT in html.unescape(response.content.decode())
