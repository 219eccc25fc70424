"""Issue 15, point 1: a budget residents have answered is frozen; changes go into a new version.

The story the issue reproduced: an editor loaded the sample spreadsheet into the budget behind an
open, answered consultation, turning 3 sliders into 14 and moving baselines, and results then
costed an earlier -10% against the new baseline.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import ModelLogEntry

from budget_simulator import import_views
from budget_simulator.models import Budget, ServiceLine
from budget_simulator.results import consultation_results
from budget_simulator.versions import NewerVersionExists, is_frozen, make_new_version, uses
from consultations.models import ConsultationPage, Response
from tests.budget_simulator.conftest import simulator_questions
from tests.budget_simulator.test_import import kept_token, officer
from tests.budget_simulator.test_results import new_consultation, respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, db):
    return officer(client, "Consultation editors")


@pytest.fixture
def answered(simulator_consultation, budget):
    """The budget, answered once (-10% on libraries) in an open consultation."""
    respond(simulator_consultation, budget, {"Libraries": "-10", "Social care": "-3"})
    return budget


def lines_of(budget):
    return [
        (str(line.key), line.code, line.baseline, line.statutory_floor)
        for line in ServiceLine.objects.filter(budget=budget).order_by("sort_order", "pk")
    ]


def edit_url(budget):
    return reverse("wagtailsnippets_budget_simulator_budget:edit", args=[budget.pk])


def new_version_url(budget):
    return reverse("budget_simulator:new_version", args=[budget.pk])


def upload_sample(client, budget):
    sample = SimpleUploadedFile("example.csv", import_views.SAMPLE.read_bytes())
    return client.post(
        reverse("budget_simulator:import_service_lines", args=[budget.pk]), {"file": sample}
    )


# Frozen once answered ----------------------------------------------------------------------------


def test_a_budget_is_frozen_from_its_first_answer(simulator_consultation, budget):
    assert not is_frozen(budget)
    respond(simulator_consultation, budget, {"Libraries": "-10"})
    assert is_frozen(budget)


def test_loading_the_sample_into_an_answered_budget_is_refused_and_changes_nothing(
    client, editor, answered
):
    before = lines_of(answered)
    response = upload_sample(client, answered)
    assert response.status_code == 302
    assert response["Location"] == new_version_url(answered)
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was loaded into ‘Test budget (2027/28)’" in page
    assert "Residents have answered this budget in ‘" in page
    assert "(1 resident)" in page
    for step in ("preview_service_lines", "import_service_lines"):
        assert (
            client.get(reverse(f"budget_simulator:{step}", args=[answered.pk])).status_code == 302
        )
    confirm = client.post(
        reverse("budget_simulator:confirm_service_lines", args=[answered.pk]), {"token": "x"}
    )
    assert confirm.status_code == 302 and confirm["Location"] == new_version_url(answered)
    assert lines_of(answered) == before


def test_a_budget_answered_between_the_check_and_the_confirm_loads_nothing(
    client, editor, simulator_consultation, budget
):
    before = lines_of(budget)
    upload_sample(client, budget)
    preview = client.get(reverse("budget_simulator:preview_service_lines", args=[budget.pk]))
    assert "Confirm import" in preview.content.decode()
    respond(simulator_consultation, budget, {"Libraries": "-10"})
    token = kept_token(budget)
    response = client.post(
        reverse("budget_simulator:confirm_service_lines", args=[budget.pk]), {"token": token}
    )
    assert response.status_code == 302 and response["Location"] == new_version_url(budget)
    assert lines_of(budget) == before


def test_the_check_names_every_consultation_that_would_show_the_change_at_once(
    client, editor, simulator_consultation, budget
):
    upload_sample(client, budget)
    html = client.get(
        reverse("budget_simulator:preview_service_lines", args=[budget.pk])
    ).content.decode()
    assert "Where residents would see the change" in html
    assert "changes ‘Test budget (2027/28)’ at once in 1 consultation" in html
    assert simulator_consultation.title in html
    assert "Open" in html


def test_the_check_says_when_no_consultation_asks_the_budget(client, editor, budget):
    upload_sample(client, budget)
    html = client.get(
        reverse("budget_simulator:preview_service_lines", args=[budget.pk])
    ).content.decode()
    assert "No consultation asks ‘Test budget (2027/28)’ yet" in html


def test_the_editor_says_a_budget_is_frozen_and_offers_a_new_version(client, editor, answered):
    html = client.get(edit_url(answered)).content.decode()
    assert "This budget is frozen." in html
    assert new_version_url(answered) in html
    listing = client.get(reverse("wagtailsnippets_budget_simulator_budget:list")).content.decode()
    assert reverse("budget_simulator:import_service_lines", args=[answered.pk]) not in listing
    assert new_version_url(answered) in listing
    assert "Yes: frozen" in listing


def test_the_editor_lists_where_an_unanswered_budget_is_used(
    client, editor, simulator_consultation, budget
):
    html = client.get(edit_url(budget)).content.decode()
    assert "This budget is frozen." not in html
    assert "Changes you save show at once in every consultation below" in html
    assert simulator_consultation.title in html


# New versions ----------------------------------------------------------------------------------


def test_a_new_version_copies_everything_with_new_keys_and_can_be_changed(client, editor, answered):
    response = client.post(new_version_url(answered))
    copy = Budget.objects.get(previous_version=answered)
    assert response.status_code == 302 and response["Location"] == edit_url(copy)
    assert copy.version == 2 and str(copy) == "Test budget (2027/28, version 2)"
    old, new = lines_of(answered), lines_of(copy)
    assert [line[1:] for line in new] == [line[1:] for line in old]
    assert not {line[0] for line in new} & {line[0] for line in old}
    old_lines = answered.service_lines.order_by("sort_order")
    new_lines = copy.service_lines.order_by("sort_order")
    assert [line.consequences.raw_data[:] for line in new_lines] == [
        line.consequences.raw_data[:] for line in old_lines
    ]
    assert [(o.name, o.income_per_percent) for o in copy.revenue_options.all()] == [
        (o.name, o.income_per_percent) for o in answered.revenue_options.all()
    ]
    assert (copy.savings_target, copy.total_net_budget) == (
        answered.savings_target,
        answered.total_net_budget,
    )
    assert not is_frozen(copy) and is_frozen(answered)
    entry = ModelLogEntry.objects.get(action="budget_simulator.new_version")
    assert entry.object_id == str(copy.pk)

    before = lines_of(copy)
    upload_sample(client, copy)
    token = kept_token(copy)
    client.post(reverse("budget_simulator:confirm_service_lines", args=[copy.pk]), {"token": token})
    assert len(lines_of(copy)) > len(before)
    assert len(lines_of(answered)) == 3


def test_versions_form_one_line(client, editor, answered):
    second = make_new_version(answered)
    with pytest.raises(NewerVersionExists) as raised:
        make_new_version(answered)
    assert raised.value.newer == second
    budgets = Budget.objects.count()
    response = client.post(new_version_url(answered))
    assert response["Location"] == edit_url(second)
    assert Budget.objects.count() == budgets
    assert make_new_version(second).version == 3


def test_only_officers_who_may_add_budgets_make_new_versions(client, answered):
    officer(client, "Analysts")
    budgets = Budget.objects.count()
    assert client.post(new_version_url(answered)).status_code == 403
    assert Budget.objects.count() == budgets


# Consultations keep the version they were answered on ------------------------------------------


def test_an_answered_question_cannot_be_pointed_at_the_new_version(
    simulator_consultation, answered
):
    second = make_new_version(answered)
    page = ConsultationPage.objects.get(pk=simulator_consultation.pk)
    page.questions = simulator_questions(second)
    with pytest.raises(ValidationError) as refused:
        page.full_clean()
    (error,) = refused.value.error_dict["questions"]
    message = " ".join(m for e in error.non_block_errors.as_data() for m in e.messages)
    assert "You cannot change the budget of the question ‘Balance our budget’" in message
    assert "‘Test budget (2027/28, version 2)’" in message


def test_a_consultation_nobody_answered_moves_to_the_new_version(
    demo_site, simulator_consultation, answered
):
    second = make_new_version(answered)
    other = new_consultation("second-simulator", simulator_questions(answered))
    Response.objects.create(consultation=other, reference="KBC-NO-SIM-1")  # skipped the budget
    page = ConsultationPage.objects.get(pk=other.pk)
    page.questions = simulator_questions(second)
    page.full_clean()
    page.save()
    assert [use.consultation for use in uses(second)] == [page]


def test_results_cost_each_answer_against_the_version_it_was_given_on(
    demo_site, simulator_consultation, answered
):
    second = make_new_version(answered)
    ServiceLine.objects.filter(budget=second, code="LIB").update(baseline=Decimal("2000000"))
    later = new_consultation("later-simulator", simulator_questions(second))
    respond(later, second, {"Libraries": "-10"})

    [first_results] = consultation_results(simulator_consultation)
    [later_results] = consultation_results(later)
    first_libraries = next(
        lever for lever in first_results.lines if lever.lever.name == "Libraries"
    )
    later_libraries = next(
        lever for lever in later_results.lines if lever.lever.name == "Libraries"
    )
    assert first_libraries.responses == 1 and later_libraries.responses == 1
    assert first_libraries.total_change_pence == -100_000_00  # -10% of £1,000,000
    assert later_libraries.total_change_pence == -200_000_00  # -10% of £2,000,000


def test_the_new_version_page_says_what_a_copy_is_and_where_the_budget_is_used(
    client, editor, simulator_consultation, budget
):
    html = client.get(new_version_url(budget)).content.decode()
    assert "numbered version 2" in html
    assert simulator_consultation.title in html
    assert "Make version 2" in html
