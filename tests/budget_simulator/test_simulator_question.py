"""The budget's own rules, and the simulator question: validating what residents post.

The budget is the hand-checkable one in conftest: Libraries £1m (-30%..+10% by 5%), Social care
£4m (-10%..+10% by 1%, floor £3.7m), Parks £500k (-20%..0% by 10%), Council tax £100k per 1%
(0%..4.99% by 0.01%); target £200,000, which must be met.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budget_simulator.blocks import BudgetSimulatorBlock
from budget_simulator.models import Budget, RevenueKind, RevenueOption, ServiceLine
from consultations.models import Answer
from consultations.question_types.base import AnswerError, field_name
from tests.budget_simulator.conftest import SIMULATOR_ID, as_post, choices, keys, make_budget

pytestmark = pytest.mark.django_db

simulator = BudgetSimulatorBlock()


def question(budget, required=True):
    return simulator.to_python(
        {
            "question": "Balance our budget",
            "help_text": "",
            "required": required,
            "budget": budget.pk,
        }
    )


def field(budget, name):
    return field_name(SIMULATOR_ID, keys(budget)[name])


def clean(budget, required=True, **percent_by_name):
    return simulator.clean_answer(
        question(budget, required), SIMULATOR_ID, as_post(choices(budget, **percent_by_name))
    )


def errors_of(budget, data, required=True):
    with pytest.raises(AnswerError) as raised:
        simulator.clean_answer(question(budget, required), SIMULATOR_ID, as_post(data))
    return raised.value.errors


def answer_for(budget, lines=None, revenue=None, found=0):
    """A clean answer in the block's shape, with every lever present (0 unless given)."""
    spec = budget.simulator_spec
    lines = lines or {}
    revenue = revenue or {}
    return {
        "lines": {lever.id: lines.get(lever.name, 0) for lever in spec.lines},
        "revenue": {lever.id: revenue.get(lever.name, 0) for lever in spec.revenue},
        "savings_found_pence": found,
    }


def service_line(**fields):
    line = ServiceLine(
        code="LIB",
        name="Libraries",
        baseline=Decimal("1000000"),
        min_change=Decimal("-30"),
        max_change=Decimal("10"),
        step=Decimal("5"),
    )
    for name, value in fields.items():
        setattr(line, name, value)
    return line


def refused_fields(instance):
    with pytest.raises(ValidationError) as raised:
        instance.clean()
    return raised.value.message_dict


# The budget's own rules, for officers.


def test_a_valid_service_line_passes_its_checks():
    service_line(
        statutory_floor=Decimal("900000"),
        consequences=[("consequence", {"change": Decimal("-10"), "text": "Shorter hours"})],
    ).clean()


def test_a_range_without_no_change_on_its_steps_is_refused_on_the_step():
    line = service_line(min_change=Decimal("-10"), max_change=Decimal("5"), step=Decimal("3"))
    assert refused_fields(line) == {"step": ["‘No change’ (0%) must be one of the steps."]}


def test_a_range_that_is_not_whole_steps_is_refused_on_the_step():
    line = service_line(min_change=Decimal("-10"), max_change=Decimal("10"), step=Decimal("3"))
    assert refused_fields(line) == {
        "step": ["The range from the minimum to the maximum must be whole steps."]
    }


def test_a_revenue_option_whose_range_is_not_whole_steps_is_refused_on_the_step():
    option = RevenueOption(
        kind=RevenueKind.COUNCIL_TAX,
        name="Council tax",
        income_per_percent=Decimal("100000"),
        min_change=Decimal("0"),
        max_change=Decimal("4.99"),
        step=Decimal("0.02"),
    )
    assert list(refused_fields(option)) == ["step"]


def test_a_statutory_floor_above_todays_spend_is_refused_on_the_floor():
    line = service_line(statutory_floor=Decimal("1000000.01"))
    assert refused_fields(line) == {
        "statutory_floor": ["The statutory minimum cannot be above today's spend."]
    }


def test_a_consequence_beyond_the_range_is_refused_on_the_consequences():
    line = service_line(
        consequences=[("consequence", {"change": Decimal("-40"), "text": "Every library closes"})]
    )
    assert refused_fields(line) == {
        "consequences": [
            "Each consequence needs a change between -30% and 10%, other than 0 (found -40%)."
        ]
    }


def test_a_consequence_at_no_change_is_refused_on_the_consequences():
    line = service_line(
        consequences=[("consequence", {"change": Decimal("0"), "text": "Nothing happens"})]
    )
    assert list(refused_fields(line)) == ["consequences"]


def test_a_savings_target_above_the_whole_budget_is_refused_on_the_target():
    budget = Budget(
        name="Test",
        financial_year="2027/28",
        total_net_budget=Decimal("1000000"),
        savings_target=Decimal("1000000.01"),
    )
    assert refused_fields(budget) == {
        "savings_target": ["The savings target cannot be more than the whole budget."]
    }


def test_the_simulator_spec_carries_the_budget_in_pence_and_basis_points(budget):
    spec = budget.simulator_spec
    social_care = next(lever for lever in spec.lines if lever.name == "Social care")
    council_tax = spec.revenue[0]
    assert spec.target_pence == 20_000_000
    assert (social_care.min_bp, social_care.max_bp, social_care.step_bp) == (-1000, 1000, 100)
    assert social_care.baseline_pence == 400_000_000
    assert social_care.floor_pence == 370_000_000
    assert (council_tax.max_bp, council_tax.step_bp) == (499, 1)
    assert council_tax.pence_per_percent == 10_000_000


# What the question offers.


def test_the_question_posts_one_field_per_lever_and_its_options_are_the_lever_keys(budget):
    value = question(budget)
    lever_keys = set(keys(budget).values())
    assert simulator.option_ids(value) == lever_keys
    assert simulator.field_names(value, SIMULATOR_ID) == {
        field_name(SIMULATOR_ID, key) for key in lever_keys
    }


# Cleaning a resident's answer.


def test_choices_meeting_the_target_give_every_lever_and_the_savings_found(budget):
    answer = clean(budget, Libraries=-10, Council_tax=1)
    assert answer == answer_for(
        budget, lines={"Libraries": -1000}, revenue={"Council tax": 100}, found=20_000_000
    )


def test_totals_posted_by_the_browser_are_ignored(budget):
    data = choices(budget, Libraries=-10, Council_tax=1)
    data[field_name(SIMULATOR_ID, "savings_found")] = "99999999"
    data[field_name(SIMULATOR_ID, "total")] = "99999999"
    answer = simulator.clean_answer(question(budget), SIMULATOR_ID, as_post(data))
    assert answer["savings_found_pence"] == 20_000_000


def test_choices_short_of_the_target_are_refused_saying_how_much_more_to_find(budget):
    errors = errors_of(budget, choices(budget, Libraries=-10))
    assert errors == {
        field_name(SIMULATOR_ID): "Your choices find £100,000 of the £200,000 needed: "
        "find £100,000 more to balance the budget"
    }


@pytest.mark.parametrize("posted", ["ten", "NaN", "sNaN", "Infinity", "1e9999", "--5"])
def test_a_value_that_is_not_a_number_is_refused_on_its_lever(budget, posted):
    errors = errors_of(budget, choices(budget, Libraries=posted, Council_tax=3))
    assert errors == {
        field(budget, "Libraries"): "Enter the change for Libraries as a percentage, like -10"
    }


@pytest.mark.parametrize("posted", ["-1+0", "-1_0", "-1%0"])
def test_a_value_with_stray_characters_inside_it_is_not_read_as_another_number(budget, posted):
    errors = errors_of(budget, choices(budget, Libraries=posted, Council_tax=1))
    assert errors == {
        field(budget, "Libraries"): "Enter the change for Libraries as a percentage, like -10"
    }


def test_an_empty_value_asks_for_a_choice(budget):
    errors = errors_of(budget, choices(budget, Libraries="", Council_tax=2))
    assert errors == {field(budget, "Libraries"): "Choose a change for Libraries"}


def test_a_value_with_three_decimal_places_is_refused_as_off_the_step(budget):
    errors = errors_of(budget, choices(budget, Libraries=-10, Council_tax="1.005"))
    assert errors == {
        field(budget, "Council tax"): "The change for Council tax must be in steps of 0.01%"
    }


def test_a_unicode_minus_sign_is_read_as_a_cut(budget):
    answer = clean(budget, Libraries="−10", Council_tax=1)
    assert answer["lines"][keys(budget)["Libraries"]] == -1000


def test_a_plus_sign_is_read_as_a_rise(budget):
    answer = clean(budget, Libraries=-10, Council_tax="+1")
    assert answer["revenue"][keys(budget)["Council tax"]] == 100


def test_a_percent_sign_after_the_number_is_accepted(budget):
    answer = clean(budget, Libraries="-10%", Council_tax="1%")
    assert answer["savings_found_pence"] == 20_000_000


def test_a_value_off_the_step_is_refused_naming_the_step(budget):
    errors = errors_of(budget, choices(budget, Libraries=-7, Council_tax=2))
    assert errors == {field(budget, "Libraries"): "The change for Libraries must be in steps of 5%"}


def test_a_value_out_of_range_is_refused_naming_the_range(budget):
    errors = errors_of(budget, choices(budget, Libraries=-35))
    assert errors == {
        field(budget, "Libraries"): "The change for Libraries must be between −30% and +10%"
    }


def test_a_cut_below_the_statutory_floor_is_refused_naming_the_legal_minimum(budget):
    errors = errors_of(budget, choices(budget, Social_care=-8))
    assert errors == {
        field(budget, "Social care"): "Social care cannot be cut by more than 7%: the council "
        "must spend at least £3.7 million on it by law"
    }


def test_a_cut_down_to_the_statutory_floor_is_accepted(budget):
    answer = clean(budget, Social_care=-7)
    assert answer["savings_found_pence"] == 28_000_000


def test_an_increase_is_refused_when_the_budget_does_not_allow_increases(db):
    budget = make_budget(allow_increases=False)
    errors = errors_of(budget, choices(budget, Libraries=5, Social_care=-5))
    assert errors == {
        field(budget, "Libraries"): "Libraries cannot be increased in this budget: "
        "choose no change or a cut"
    }


def test_raising_revenue_is_accepted_when_the_budget_does_not_allow_increases(db):
    budget = make_budget(allow_increases=False)
    answer = clean(budget, Council_tax=2)
    assert answer["savings_found_pence"] == 20_000_000


def test_every_bad_lever_gets_its_own_error(budget):
    errors = errors_of(budget, choices(budget, Libraries=-7, Social_care=-8, Parks="x"))
    assert set(errors) == {
        field(budget, "Libraries"),
        field(budget, "Social care"),
        field(budget, "Parks"),
    }


def test_an_optional_question_left_at_no_change_is_not_answered(budget):
    assert clean(budget, required=False) is None


def test_an_optional_question_left_at_no_change_is_not_answered_when_the_target_is_optional(db):
    budget = make_budget(target_must_be_met=False)
    assert clean(budget, required=False) is None


def test_a_required_question_left_at_no_change_is_answered_when_the_target_is_optional(db):
    budget = make_budget(target_must_be_met=False)
    assert clean(budget) == answer_for(budget, found=0)


def test_a_budget_that_misses_an_optional_target_is_answered(db):
    budget = make_budget(target_must_be_met=False)
    answer = clean(budget, Libraries=-5)
    assert answer["savings_found_pence"] == 5_000_000


# Describing, storing and re-filling an answer.


def test_describe_answer_lists_each_change_and_the_savings_found(budget):
    answer = clean(budget, Libraries=-10, Council_tax=1)
    assert simulator.describe_answer(question(budget), answer) == [
        "Libraries – cut by 10%: saves £100,000",
        "Council tax – raise by 1%: raises £100,000",
        "Savings found: £200,000 of £200,000",
    ]


def test_describe_answer_with_no_changes_says_so(db):
    budget = make_budget(target_must_be_met=False)
    assert simulator.describe_answer(question(budget), answer_for(budget)) == [
        "No changes to any service",
        "Savings found: £0 of £200,000",
    ]


def test_describe_answer_says_when_choices_add_to_the_gap(db):
    budget = make_budget(target_must_be_met=False)
    answer = clean(budget, Libraries=10)
    assert simulator.describe_answer(question(budget), answer) == [
        "Libraries – increase by 10%: costs £100,000 more",
        "Your choices add £100,000 to the gap",
    ]


def test_answer_rows_store_each_lever_as_a_percent_and_the_savings_found_in_pounds(budget):
    answer = clean(budget, Libraries=-10, Council_tax="2.5")
    rows = {(row["part"], row["option"]): row["number"] for row in simulator.answer_rows(answer)}
    by_name = keys(budget)
    assert rows == {
        ("line", by_name["Libraries"]): Decimal("-10"),
        ("line", by_name["Social care"]): Decimal("0"),
        ("line", by_name["Parks"]): Decimal("0"),
        ("revenue", by_name["Council tax"]): Decimal("2.5"),
        ("savings_found", ""): Decimal("350000"),
    }


def test_stored_rows_give_back_the_same_answer(budget):
    answer = clean(budget, Libraries=-15, Social_care=-7, Council_tax="0.01")
    rows = [Answer(question_id=SIMULATOR_ID, **row) for row in simulator.answer_rows(answer)]
    assert simulator.answer_reader(None)(rows, {}) == answer


def test_an_answer_turned_back_into_form_data_cleans_to_the_same_answer(budget):
    answer = clean(budget, Libraries=-10, Social_care=-1, Council_tax="2.55")
    value = question(budget)
    data = simulator.to_form_data(value, SIMULATOR_ID, answer)
    assert set(data) == simulator.field_names(value, SIMULATOR_ID)
    assert data[field(budget, "Council tax")] == ["2.55"]
    assert (
        simulator.clean_answer(
            value, SIMULATOR_ID, as_post({name: values[0] for name, values in data.items()})
        )
        == answer
    )


# The question on the page.


def test_the_totals_shown_are_recomputed_from_the_posted_choices(budget):
    data = choices(budget, Libraries=-10, Council_tax=1)
    data[field_name(SIMULATOR_ID, "total")] = "0"
    context = simulator.form_context(question(budget), SIMULATOR_ID, as_post(data), {})
    assert context["totals_text"] == (
        "You have found £200,000 of £200,000. You have met the savings target."
    )


def test_the_totals_shown_for_no_change_leave_the_whole_target_to_find(budget):
    context = simulator.form_context(question(budget), SIMULATOR_ID, as_post(choices(budget)), {})
    assert context["totals_text"] == "You have found £0 of £200,000. £200,000 still to find."


def test_each_lever_on_the_page_shows_its_choice_and_consequence(budget):
    context = simulator.form_context(
        question(budget), SIMULATOR_ID, as_post(choices(budget, Libraries=-20)), {}
    )
    libraries = next(
        lever
        for _group, levers in context["groups"]
        for lever in levers
        if lever["label"] == "Libraries"
    )
    assert libraries["current"] == "-20"
    assert libraries["choice_text"] == "Cut by 20%: saves £200,000"
    assert libraries["consequence"] == "Two libraries close"


def test_a_floor_limits_the_choices_offered_on_the_page(budget):
    context = simulator.form_context(question(budget), SIMULATOR_ID, as_post(choices(budget)), {})
    social_care = next(
        lever
        for _group, levers in context["groups"]
        for lever in levers
        if lever["label"] == "Social care"
    )
    assert social_care["options"][0][0] == "-7"
    assert social_care["floor"] == "£3.7 million"


def test_a_typed_value_the_budget_does_not_offer_stays_in_its_box_and_is_not_counted(budget):
    data = as_post(choices(budget, Libraries=-20, Council_tax=7))
    context = simulator.form_context(question(budget), SIMULATOR_ID, data, {})
    tax = context["revenue"][0]
    assert tax["current"] == "7"
    assert tax["not_counted"] is True
    assert context["totals_text"].startswith("You have found £200,000 of £200,000")
