"""Officers edit budgets in the Wagtail admin; answered budgets keep their meaning."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from budget_simulator.models import Budget
from consultations.models import Answer, ConsultationPage, Response
from tests.budget_simulator.conftest import make_budget
from tests.builders import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client):
    user = UserFactory(is_superuser=True)
    client.force_login(user)
    return user


def line_form(line, **changes):
    fields = {
        "id": line.pk,
        "code": line.code,
        "name": line.name,
        "group": line.group,
        "description": line.description,
        "baseline": line.baseline,
        "statutory_floor": line.statutory_floor or "",
        "min_change": line.min_change,
        "max_change": line.max_change,
        "step": line.step,
        "consequences": streamfield([]),
    }
    return {**fields, **changes}


def option_form(option, **changes):
    fields = {
        "id": option.pk,
        "kind": option.kind,
        "name": option.name,
        "description": option.description,
        "income_per_percent": option.income_per_percent,
        "min_change": option.min_change,
        "max_change": option.max_change,
        "step": option.step,
    }
    return {**fields, **changes}


def edit_post(budget, lines, options):
    return nested_form_data(
        {
            "name": budget.name,
            "financial_year": budget.financial_year,
            "currency": budget.currency,
            "total_net_budget": budget.total_net_budget,
            "savings_target": budget.savings_target,
            "target_must_be_met": "on",
            "allow_increases": "on",
            "service_lines": inline_formset(lines, initial=len(lines)),
            "revenue_options": inline_formset(options, initial=len(options)),
        }
    )


def edit_url(budget):
    return reverse("wagtailsnippets_budget_simulator_budget:edit", args=[budget.pk])


def answer(budget, lever):
    response = Response.objects.create(
        consultation=ConsultationPage.objects.first(), reference=f"KBC-T-{lever.pk}"
    )
    Answer.objects.create(
        response=response, question_id="q", part="line", option=str(lever.key), number=-10
    )


def test_officer_saves_a_budget_with_a_renamed_line(client, officer):
    budget = make_budget()
    lines = list(budget.service_lines.all())
    options = list(budget.revenue_options.all())
    data = edit_post(
        budget,
        [line_form(lines[0], name="Library service"), *[line_form(line) for line in lines[1:]]],
        [option_form(option) for option in options],
    )
    response = client.post(edit_url(budget), data)
    assert response.status_code == 302
    assert budget.service_lines.get(pk=lines[0].pk).name == "Library service"


def test_two_service_lines_cannot_share_a_finance_code(client, officer):
    budget = make_budget()
    lines = list(budget.service_lines.all())
    options = list(budget.revenue_options.all())
    data = edit_post(
        budget,
        [line_form(lines[0]), line_form(lines[1], code=lines[0].code.lower()), line_form(lines[2])],
        [option_form(option) for option in options],
    )
    response = client.post(edit_url(budget), data)
    assert response.status_code == 200
    assert "Another service line already has the code LIB" in response.content.decode()
    assert budget.service_lines.get(pk=lines[1].pk).code == "ASC"


def test_an_answered_budget_refuses_every_change_and_says_why(client, officer, demo_site):
    budget = make_budget()
    lines = list(budget.service_lines.all())
    answer(budget, lines[0])
    before = [(line.name, line.baseline) for line in budget.service_lines.all()]
    data = edit_post(
        budget,
        [
            line_form(lines[0], name="Library service"),
            line_form(lines[1], baseline="9000000"),
            line_form(lines[2], DELETE="1"),
        ],
        [option_form(option) for option in budget.revenue_options.all()],
    )
    response = client.post(edit_url(budget), data)
    html = response.content.decode()
    assert response.status_code == 200
    consultation = ConsultationPage.objects.first().title
    assert f"Residents have answered this budget in ‘{consultation}’ (1 resident)" in html
    assert [(line.name, line.baseline) for line in budget.service_lines.all()] == before


def test_an_unanswered_line_can_be_deleted(client, officer, demo_site):
    budget = make_budget()
    lines = list(budget.service_lines.all())
    data = edit_post(
        budget,
        [*[line_form(line) for line in lines[:2]], line_form(lines[2], DELETE="1")],
        [option_form(option) for option in budget.revenue_options.all()],
    )
    assert client.post(edit_url(budget), data).status_code == 302
    assert not budget.service_lines.filter(pk=lines[2].pk).exists()


def test_an_answered_budget_cannot_be_deleted(client, officer, demo_site):
    budget = make_budget()
    answer(budget, budget.service_lines.first())
    url = reverse("wagtailsnippets_budget_simulator_budget:delete", args=[budget.pk])
    response = client.post(url)
    assert response.status_code == 302
    assert Budget.objects.filter(pk=budget.pk).exists()


def test_an_unanswered_budget_can_be_deleted(client, officer):
    budget = make_budget()
    url = reverse("wagtailsnippets_budget_simulator_budget:delete", args=[budget.pk])
    client.post(url)
    assert not Budget.objects.filter(pk=budget.pk).exists()


def test_seeding_the_officer_groups_grants_budget_permissions():
    from django.contrib.auth.models import Group

    from portal.roles import ensure_officer_groups

    Group.objects.all().delete()
    groups = ensure_officer_groups()
    analysts = set(groups["Analysts"].permissions.values_list("codename", flat=True))
    editors = set(groups["Consultation editors"].permissions.values_list("codename", flat=True))
    assert {"view_budget", "view_budget_results"} <= analysts
    assert "change_budget" not in analysts
    assert {"add_budget", "change_budget", "delete_budget"} <= editors
    assert "view_budget_results" not in editors


def test_the_budget_list_shows_amounts_as_money(client, officer):
    budget = make_budget()
    Budget.objects.filter(pk=budget.pk).update(
        total_net_budget="285000000.00", savings_target="14250000.50"
    )
    html = client.get(reverse("wagtailsnippets_budget_simulator_budget:list")).content.decode()
    assert "£285,000,000" in html
    assert "£14,250,000.50" in html
    assert "285000000.00" not in html
