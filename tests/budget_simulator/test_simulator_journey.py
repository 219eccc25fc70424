"""The simulator question in the response journey, through the Django test client.

Whatever the browser sends, the server keeps only choices it can check, recomputes every total,
and stores nothing from a form that was tampered with.
"""

import copy
import html
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from consultations.journey import questions_of
from consultations.journey_views import TAMPERED_MESSAGE
from consultations.models import Answer, ConsultationPage, Response
from consultations.question_types.base import field_name
from consultations.responses import answers_of
from consultations.stable_meaning import refuse_changes_to_answered_questions
from demo.budget import SERVICE_LINES
from tests.budget_simulator.conftest import SIMULATOR_ID, choices, keys, make_budget

pytestmark = pytest.mark.django_db


def section_url(page):
    return page.url + "respond/section/1/"


def post_section(client, page, data):
    client.get(page.url + "respond/")
    return client.post(section_url(page), data)


def submit(client, page, data):
    """Answer the simulator section, open 'check your answers' and submit it."""
    post_section(client, page, data)
    check = client.get(page.url + "respond/check/")
    assert check.status_code == 200
    return client.post(page.url + "respond/check/", {"token": check.context["token"]})


def text_of(response):
    return html.unescape(response.content.decode())


def nothing_was_kept(client, page):
    """No response stored, and 'check your answers' sends the resident back to the section."""
    check = client.get(page.url + "respond/check/")
    return (
        not Response.objects.filter(consultation=page).exists()
        and check.status_code == 302
        and check.headers["Location"].endswith("respond/section/1/?show_errors=1")
    )


# A valid budget, stored.


def test_a_valid_budget_is_stored_as_one_response_with_a_row_per_lever(
    client, simulator_consultation, budget
):
    submitted = submit(
        client, simulator_consultation, choices(budget, Libraries=-10, Council_tax=1)
    )
    assert submitted.status_code == 302
    stored = Response.objects.get(consultation=simulator_consultation)
    rows = {
        (row.part, row.option): row.number
        for row in Answer.objects.filter(response=stored, question_id=SIMULATOR_ID)
    }
    by_name = keys(budget)
    assert rows == {
        ("line", by_name["Libraries"]): Decimal("-10"),
        ("line", by_name["Social care"]): Decimal("0"),
        ("line", by_name["Parks"]): Decimal("0"),
        ("revenue", by_name["Council tax"]): Decimal("1"),
        ("savings_found", ""): Decimal("200000"),
    }


def test_a_stored_budget_reads_back_as_the_same_answer(client, simulator_consultation, budget):
    submit(
        client,
        simulator_consultation,
        choices(budget, Libraries=-15, Social_care=-7, Council_tax="0.01"),
    )
    stored = Response.objects.get(consultation=simulator_consultation)
    by_name = keys(budget)
    answers = answers_of(stored, questions_of(simulator_consultation))
    assert answers == {
        SIMULATOR_ID: {
            "lines": {
                by_name["Libraries"]: -1500,
                by_name["Social care"]: -700,
                by_name["Parks"]: 0,
            },
            "revenue": {by_name["Council tax"]: 1},
            "savings_found_pence": 15_000_000 + 28_000_000 + 100_000,
        }
    }


def test_check_answers_shows_the_savings_found_by_the_server(
    client, simulator_consultation, budget
):
    post_section(client, simulator_consultation, choices(budget, Parks=-20, Council_tax="1.5"))
    check = text_of(client.get(simulator_consultation.url + "respond/check/"))
    assert "Parks – cut by 20%: saves £100,000" in check
    assert "Council tax – raise by 1.5%: raises £150,000" in check
    assert "Savings found: £250,000 of £200,000" in check


# Tampered and bad posts store nothing.


@pytest.mark.parametrize(
    "extra",
    [
        {"total": "200000"},
        {"savings_found": "200000"},
        {field_name(SIMULATOR_ID, "savings_found"): "200000"},
        {field_name(SIMULATOR_ID, "00000000-0000-0000-0000-000000000000"): "-30"},
        {"total": "200000", "action": "update"},
    ],
    ids=["client total", "client savings found", "savings field", "unknown lever", "on update"],
)
def test_a_post_with_a_field_the_section_does_not_offer_is_refused_and_nothing_is_kept(
    client, simulator_consultation, budget, extra
):
    data = {**choices(budget, Libraries=-10, Council_tax=1), **extra}
    page = post_section(client, simulator_consultation, data)
    assert page.status_code == 400
    assert "There is a problem" in text_of(page)
    assert TAMPERED_MESSAGE in text_of(page)
    assert nothing_was_kept(client, simulator_consultation)


def test_a_tampered_post_leaves_earlier_choices_as_they_were(
    client, simulator_consultation, budget
):
    post_section(client, simulator_consultation, choices(budget, Libraries=-20))
    tampered = {**choices(budget, Libraries=-30), "total": "0"}
    client.post(section_url(simulator_consultation), tampered)
    check = text_of(client.get(simulator_consultation.url + "respond/check/"))
    assert "Libraries – cut by 20%: saves £200,000" in check
    assert not Response.objects.filter(consultation=simulator_consultation).exists()


@pytest.mark.parametrize(
    ("lever", "posted", "message"),
    [
        ("Libraries", "ten", "Enter the change for Libraries as a percentage, like -10"),
        ("Libraries", "-35", "The change for Libraries must be between −30% and +10%"),
        ("Libraries", "-7", "The change for Libraries must be in steps of 5%"),
        (
            "Social care",
            "-8",
            "Social care cannot be cut by more than 7%: the council must spend at least "
            "£3.7 million on it by law",
        ),
    ],
    ids=["not a number", "out of range", "off the step", "below the floor"],
)
def test_a_bad_value_is_refused_with_a_linked_error_and_nothing_is_kept(
    client, simulator_consultation, budget, lever, posted, message
):
    data = choices(budget, Libraries=-20, Council_tax=1)
    data[field_name(SIMULATOR_ID, keys(budget)[lever])] = posted
    page = post_section(client, simulator_consultation, data)
    shown = text_of(page)
    assert page.status_code == 400
    assert "There is a problem" in shown
    assert f'href="#{field_name(SIMULATOR_ID, keys(budget)[lever])}"' in shown
    assert message in shown
    assert nothing_was_kept(client, simulator_consultation)


def test_a_budget_short_of_the_target_is_refused_saying_how_much_more_to_find(
    client, simulator_consultation, budget
):
    page = post_section(client, simulator_consultation, choices(budget, Libraries=-10))
    assert page.status_code == 400
    assert f'href="#{field_name(SIMULATOR_ID)}"' in text_of(page)
    assert "find £100,000 more to balance the budget" in text_of(page)
    assert nothing_was_kept(client, simulator_consultation)


# "Update totals" without JavaScript.


def test_update_totals_keeps_the_choices_and_returns_to_the_question(
    client, simulator_consultation, budget
):
    data = {**choices(budget, Libraries=-20), "action": "update"}
    updated = post_section(client, simulator_consultation, data)
    assert updated.status_code == 302
    assert updated.headers["Location"] == (
        section_url(simulator_consultation) + f"#question-{SIMULATOR_ID}"
    )
    assert not Response.objects.filter(consultation=simulator_consultation).exists()


def test_after_update_totals_the_section_shows_the_new_totals_and_the_consequence(
    client, simulator_consultation, budget
):
    data = {**choices(budget, Libraries=-20), "action": "update"}
    post_section(client, simulator_consultation, data)
    page = client.get(section_url(simulator_consultation))
    shown = text_of(page)
    assert page.status_code == 200
    assert "You have found £200,000 of £200,000. You have met the savings target." in shown
    assert ". Two libraries close" in shown
    assert '<option value="-20" selected>' in shown


def test_update_totals_short_of_the_target_shows_what_is_still_to_find_without_an_error(
    client, simulator_consultation, budget
):
    data = {**choices(budget, Libraries=-10), "action": "update"}
    post_section(client, simulator_consultation, data)
    page = client.get(section_url(simulator_consultation))
    shown = text_of(page)
    assert page.status_code == 200
    assert "You have found £100,000 of £200,000. £100,000 still to find." in shown
    assert "There is a problem" not in shown


def test_update_totals_from_check_answers_keeps_the_way_back(
    client, simulator_consultation, budget
):
    data = {**choices(budget, Libraries=-20), "action": "update", "return_to": "check"}
    updated = post_section(client, simulator_consultation, data)
    assert updated.headers["Location"] == (
        section_url(simulator_consultation) + f"?return_to=check#question-{SIMULATOR_ID}"
    )


# The demo council's budget consultation.


def test_the_demo_budget_consultation_asks_the_simulator_with_its_twelve_services(
    client, demo_site
):
    page = client.get("/consultations/budget-2027-28/respond/section/2/")
    assert page.status_code == 200
    shown = text_of(page)
    assert "Update totals" in shown
    names = [line[1] for line in SERVICE_LINES]
    assert len(names) == 12
    assert all(name in shown for name in names)
    (simulator,) = page.context["questions"]
    levers = [lever for _group, group in simulator["context"]["groups"] for lever in group]
    assert [lever["label"] for lever in levers] == names


# Officers cannot change what an answered simulator means.


def point_simulator_at(page, budget):
    raw = copy.deepcopy(list(page.questions.raw_data))
    raw[0]["value"]["questions"][0]["value"]["budget"] = budget.pk
    page.questions = raw
    return page


def test_an_answered_simulator_cannot_be_pointed_at_another_budget(
    client, simulator_consultation, budget
):
    submit(client, simulator_consultation, choices(budget, Libraries=-10, Council_tax=1))
    assert Response.objects.filter(consultation=simulator_consultation).count() == 1
    other = make_budget(name="Another budget")
    page = point_simulator_at(ConsultationPage.objects.get(pk=simulator_consultation.pk), other)
    with pytest.raises(ValidationError) as raised:
        refuse_changes_to_answered_questions(page)
    (error,) = raised.value.error_dict["questions"]
    messages = [m for e in error.non_block_errors.as_data() for m in e.messages]
    assert messages[0].startswith(
        "You cannot change the budget of the question ‘Balance our budget’ from "
        "‘Test budget (2027/28)’ to ‘Another budget (2027/28)’: residents have answered it"
    )


def test_an_unanswered_simulator_can_be_pointed_at_another_budget(simulator_consultation):
    other = make_budget(name="Another budget")
    page = point_simulator_at(ConsultationPage.objects.get(pk=simulator_consultation.pk), other)
    refuse_changes_to_answered_questions(page)
    assert questions_of(page)[SIMULATOR_ID].value["budget"] == other
