"""Budget simulator results: counted in SQL, checked against sums done by hand, shown to analysts.

The four residents below use the small budget of conftest.py (Libraries £1m, Social care £4m,
Parks £500k; council tax raises £100,000 per 1%; target £200,000):

              Libraries  Social care  Parks  Council tax  Savings found
    First       -10%        -5%         0%      0%          £300,000  (met)
    Second      -20%         0%       -10%      2.99%       £549,000  (met)
    Third        +5%        -2%         0%      1%          £130,000
    Fourth        0%        -1%         0%      0%           £40,000
"""

import json
import statistics
from decimal import Decimal
from fractions import Fraction
from itertools import count

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from budget_simulator.calculation import Lever, calculate
from budget_simulator.charts import (
    choice_shares_chart,
    distribution_chart,
    mean_change_chart,
    percent_text,
    share_text,
)
from budget_simulator.results import (
    consultation_results,
    lever_result,
    median,
    question_results,
    simulator_consultations,
)
from budget_simulator.results import simulator_questions as simulator_questions_of
from consultations.models import Answer, ConsultationPage, Response
from tests import builders
from tests.budget_simulator.conftest import SIMULATOR_ID, keys, make_budget, simulator_questions
from tests.builders import ConsultationPageFactory, consultation_questions

FOUR_RESIDENTS = [
    {"Libraries": -10, "Social care": -5, "Parks": 0, "Council tax": 0},
    {"Libraries": -20, "Social care": 0, "Parks": -10, "Council tax": Decimal("2.99")},
    {"Libraries": 5, "Social care": -2, "Parks": 0, "Council tax": 1},
    {"Libraries": 0, "Social care": -1, "Parks": 0, "Council tax": 0},
]
REFERENCES = count(1)


def respond(consultation, budget, percent_by_name, question_id=SIMULATOR_ID):
    """Store one resident's simulator answer as the Answer rows the block writes."""
    spec = budget.simulator_spec
    by_name = keys(budget)
    bp = {by_name[name]: int(Decimal(percent) * 100) for name, percent in percent_by_name.items()}
    outcome = calculate(spec, bp, bp)
    response = Response.objects.create(
        consultation=consultation, reference=f"KBC-TEST-{next(REFERENCES):05d}"
    )
    rows = [
        Answer(
            response=response,
            question_id=question_id,
            part="revenue" if lever_id in outcome.revenue_raised else "line",
            option=lever_id,
            number=Decimal(choice) / 100,
        )
        for lever_id, choice in bp.items()
    ]
    rows.append(
        Answer(
            response=response,
            question_id=question_id,
            part="savings_found",
            number=Decimal(outcome.savings_found_pence) / 100,
        )
    )
    Answer.objects.bulk_create(rows)
    return response


@pytest.fixture
def budget(db):
    return make_budget()


def new_consultation(slug, questions):
    """A consultation under the demo council's index, as officers make them."""
    from wagtail.models import Page

    from consultations.models import ConsultationIndexPage

    return ConsultationPageFactory(
        parent=ConsultationIndexPage.objects.get(),
        slug=slug,
        privacy_notice=Page.objects.get(slug="privacy"),
        questions=questions,
    )


@pytest.fixture
def consultation(demo_site, budget):
    return new_consultation("balance-the-budget", simulator_questions(budget))


@pytest.fixture
def four_answers(consultation, budget):
    for choices in FOUR_RESIDENTS:
        respond(consultation, budget, choices)
    [results] = consultation_results(consultation)
    return results


def by_name(results):
    return {lever.lever.name: lever for lever in results.levers}


# The arithmetic, without a database.


def test_median_of_an_odd_count_is_the_middle_value():
    assert median({-1000: 1, 0: 1, 500: 1}) == 0
    assert median({-2000: 1, -1000: 1, 500: 1}) == -1000


def test_median_of_an_even_count_is_the_mean_of_the_two_middle_values():
    assert median({-1000: 2, -500: 1, 0: 1}) == Decimal("-750")
    assert median({0: 1, 299: 1}) == Decimal("149.5")


def test_median_of_nothing_is_none():
    assert median({}) is None


@given(st.lists(st.integers(min_value=-500, max_value=500), min_size=1, max_size=60))
def test_median_and_mean_from_counts_match_the_values_listed_one_by_one(values):
    lever = Lever(id="x", name="X", min_bp=-500, max_bp=500, step_bp=1, baseline_pence=10_000)
    counts = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    result = lever_result(lever, counts)
    assert Fraction(result.median_bp) == Fraction(statistics.median(values))
    assert (result.total_bp, result.responses) == (sum(values), len(values))
    assert result.mean_bp == Decimal(sum(values)) / len(values)
    assert result.cut + result.kept + result.increased == len(values)


def test_a_lever_nobody_answered_has_no_mean_median_or_shares_and_an_empty_distribution():
    lever = Lever(id="x", name="X", min_bp=-1000, max_bp=1000, step_bp=500, baseline_pence=100)
    result = lever_result(lever, {})
    assert result.responses == 0
    assert result.mean_percent is None
    assert result.median_percent is None
    assert result.mean_change_pence is None
    assert (result.cut_share, result.kept_share, result.increased_share) == (None, None, None)
    assert [(level.bp, level.count, level.share) for level in result.distribution] == [
        (-1000, 0, None),
        (-500, 0, None),
        (0, 0, None),
        (500, 0, None),
        (1000, 0, None),
    ]


def test_percentages_are_rounded_only_for_display_halves_away_from_zero():
    assert percent_text(Decimal("-6.25")) == "−6.25%"
    assert percent_text(Decimal("0.9975")) == "+1%"
    assert percent_text(Decimal("-0.005")) == "−0.01%"
    assert percent_text(Decimal("0")) == "0%"
    assert share_text(Decimal(100) / 3) == "33.3%"
    assert share_text(Decimal("12.25")) == "12.3%"


# Counting stored answers.


def test_four_residents_give_the_hand_computed_mean_median_and_shares(four_answers):
    libraries = by_name(four_answers)["Libraries"]
    assert libraries.responses == 4
    assert libraries.mean_percent == Decimal("-6.25")
    assert libraries.median_percent == Decimal("-5")  # (-10% + 0%) / 2
    assert libraries.mean_change_pence == -6_250_000  # -£62,500
    assert (libraries.cut, libraries.kept, libraries.increased) == (2, 1, 1)
    assert (libraries.cut_share, libraries.kept_share, libraries.increased_share) == (50, 25, 25)

    social_care = by_name(four_answers)["Social care"]
    assert social_care.mean_percent == Decimal("-2")
    assert social_care.median_percent == Decimal("-1.5")  # (-2% + -1%) / 2
    assert social_care.mean_change_pence == -8_000_000  # -£80,000
    assert (social_care.cut, social_care.kept, social_care.increased) == (3, 1, 0)


def test_the_distribution_counts_every_level_the_budget_offers(four_answers):
    libraries = by_name(four_answers)["Libraries"]
    assert [(level.bp, level.count) for level in libraries.distribution] == [
        (-3000, 0),
        (-2500, 0),
        (-2000, 1),
        (-1500, 0),
        (-1000, 1),
        (-500, 0),
        (0, 1),
        (500, 1),
        (1000, 0),
    ]
    # Social care cannot go below its statutory floor: -7% is the deepest level offered.
    social_care = by_name(four_answers)["Social care"]
    assert social_care.distribution[0].bp == -700
    assert len(social_care.distribution) == 18


def test_revenue_options_give_mean_median_income_and_the_levels_chosen(four_answers):
    council_tax = by_name(four_answers)["Council tax"]
    assert council_tax.mean_percent == Decimal("0.9975")
    assert council_tax.median_percent == Decimal("0.5")  # (0% + 1%) / 2
    assert council_tax.mean_change_pence == 9_975_000  # £99,750 raised
    assert (council_tax.cut, council_tax.kept, council_tax.increased) == (0, 2, 2)
    assert [(level.bp, level.count, level.share) for level in council_tax.chosen] == [
        (0, 2, 50),
        (100, 1, 25),
        (299, 1, 25),
    ]


def test_savings_found_give_mean_median_and_the_share_meeting_the_target(four_answers):
    assert four_answers.responses == 4
    assert four_answers.target_pence == 20_000_000
    assert four_answers.mean_savings_pence == 25_475_000  # £254,750
    assert four_answers.median_savings_pence == 21_500_000  # (£130,000 + £300,000) / 2
    assert four_answers.met_target == 2
    assert four_answers.met_target_share == 50


def test_an_odd_number_of_residents_takes_the_middle_choice(consultation, budget):
    for choices in FOUR_RESIDENTS[:3]:
        respond(consultation, budget, choices)
    [results] = consultation_results(consultation)
    assert by_name(results)["Libraries"].median_percent == Decimal("-10")
    assert by_name(results)["Council tax"].median_percent == Decimal("1")
    assert results.median_savings_pence == 30_000_000


def test_a_line_nobody_changed_is_kept_by_everyone(consultation, budget):
    for choices in [FOUR_RESIDENTS[0], FOUR_RESIDENTS[2], FOUR_RESIDENTS[3]]:
        respond(consultation, budget, choices)
    parks = by_name(consultation_results(consultation)[0])["Parks"]
    assert parks.responses == 3
    assert parks.mean_percent == 0
    assert parks.median_percent == 0
    assert (parks.cut, parks.kept, parks.increased) == (0, 3, 0)
    assert parks.kept_share == 100


def test_a_line_added_after_residents_answered_has_no_answers_and_no_division_by_zero(
    consultation, budget
):
    respond(consultation, budget, {"Libraries": -10, "Social care": -5, "Council tax": 0})
    results = consultation_results(consultation)[0]
    parks = by_name(results)["Parks"]
    assert results.responses == 1
    assert parks.responses == 0
    assert parks.mean_percent is None and parks.kept_share is None
    chart = mean_change_chart(results)
    assert chart.table.rows[2] == ("Parks", "0", "No answers", "No answers", "No answers")


def test_a_question_nobody_answered_has_empty_results_and_no_charts(consultation):
    [results] = consultation_results(consultation)
    assert results.responses == 0
    assert results.mean_savings_pence is None
    assert results.median_savings_pence is None
    assert results.met_target_share is None
    assert all(lever.responses == 0 for lever in results.levers)
    assert mean_change_chart(results).figure is None
    assert choice_shares_chart(results).figure is None


def test_a_simulator_in_a_later_section_is_found_and_counted(demo_site, budget):
    questions = consultation_questions("later") + simulator_questions(budget)
    consultation = new_consultation("later-simulator", questions)
    respond(consultation, budget, FOUR_RESIDENTS[0])
    assert [q.id for q in simulator_questions_of(consultation)] == [SIMULATOR_ID]
    [results] = consultation_results(consultation)
    assert results.responses == 1
    assert by_name(results)["Libraries"].mean_percent == Decimal("-10")


def test_answers_to_a_copy_of_the_consultation_are_not_counted(consultation, budget):
    copy = new_consultation("copy", simulator_questions(budget))
    respond(consultation, budget, FOUR_RESIDENTS[0])
    respond(copy, budget, FOUR_RESIDENTS[1])
    [results] = consultation_results(consultation)
    assert results.responses == 1
    assert by_name(results)["Libraries"].mean_percent == Decimal("-10")


def test_results_take_the_same_few_queries_however_many_lines_a_budget_has(
    consultation, budget, django_assert_num_queries
):
    for choices in FOUR_RESIDENTS:
        respond(consultation, budget, choices)
    # The budget, its service lines, its revenue options and one grouped count of answers.
    consultation = ConsultationPage.objects.get(pk=consultation.pk)
    with django_assert_num_queries(4):
        [question] = simulator_questions_of(consultation)
        question_results(consultation, question)


def test_the_index_lists_consultations_with_a_simulator_and_their_counts(consultation, budget):
    for choices in FOUR_RESIDENTS:
        respond(consultation, budget, choices)
    Response.objects.create(consultation=consultation, reference="KBC-NO-SIMULATOR")
    new_consultation("no-simulator", consultation_questions("no-simulator"))
    listed = {found.consultation.slug: found for found in simulator_consultations()}
    assert "no-simulator" not in listed
    assert "parks-and-green-spaces-strategy" not in listed
    found = listed["balance-the-budget"]
    assert found.consultation == consultation
    assert found.question_ids == (SIMULATOR_ID,)
    assert (found.responses, found.simulator_answers) == (5, 4)


# Charts and their tables.


def test_each_bar_of_the_mean_change_chart_is_labelled_with_its_table_value(four_answers):
    chart = mean_change_chart(four_answers)
    [bars] = chart.figure["data"]
    assert bars["y"] == ["Libraries", "Social care", "Parks"]
    assert bars["x"] == [-6.25, -2.0, -2.5]
    assert bars["text"] == ["−6.25%", "−2%", "−2.5%"]
    assert [row[2] for row in chart.table.rows] == bars["text"]
    assert chart.table.rows[0] == ("Libraries", "4", "−6.25%", "−£62,500", "−5%")
    assert chart.figure["layout"]["title"]["text"] == chart.title
    assert chart.figure["layout"]["xaxis"]["title"]["text"]


def test_the_shares_chart_stacks_cut_kept_and_increased_to_the_whole(four_answers):
    chart = choice_shares_chart(four_answers)
    cut, kept, increased = chart.figure["data"]
    assert [trace["name"] for trace in (cut, kept, increased)] == [
        "Cut",
        "Kept the same",
        "Increased",
    ]
    assert cut["x"] == [50.0, 75.0, 25.0]
    assert kept["text"] == ["25%", "25%", "75%"]
    assert chart.table.rows[0] == ("Libraries", "4", "2 (50%)", "1 (25%)", "1 (25%)")
    assert len({cut["marker"]["color"], kept["marker"]["color"], increased["marker"]["color"]}) == 3


def test_a_lever_with_hundreds_of_levels_lists_only_those_chosen(four_answers):
    council_tax = by_name(four_answers)["Council tax"]
    chart = distribution_chart(four_answers, council_tax)
    assert chart.figure["data"][0]["x"] == ["0%", "+1%", "+2.99%"]
    assert chart.figure["data"][0]["y"] == [2, 1, 1]
    assert chart.table.rows == (("0%", "2", "50%"), ("+1%", "1", "25%"), ("+2.99%", "1", "25%"))
    assert chart.table.note


def test_a_lever_with_few_levels_lists_every_level_including_those_nobody_chose(four_answers):
    chart = distribution_chart(four_answers, by_name(four_answers)["Libraries"])
    assert chart.figure["data"][0]["x"][0] == "−30%"
    assert len(chart.table.rows) == 9
    assert chart.table.rows[0] == ("−30%", "0", "0%")
    assert not chart.table.note


# The admin pages.


@pytest.fixture
def officer(demo_site):
    def sign_in(client, email):
        client.force_login(get_user_model().objects.get(email=email))
        return client

    return sign_in


def results_url(consultation):
    return reverse("budget_simulator:consultation_results", args=[consultation.pk])


def test_analysts_see_the_results_index_with_every_simulator_consultation(client, officer):
    response = officer(client, "analyst@kingsmere.example").get(
        reverse("budget_simulator:results_index")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Budget 2026/27: balance the budget" in html
    assert "Budget 2027/28: your priorities" in html
    assert "Parks and green spaces strategy" not in html
    last_year = ConsultationPage.objects.get(slug="budget-2026-27")
    assert results_url(last_year) in html
    assert "<td>Closed</td>" in html


def test_a_consultation_nobody_has_answered_shows_tables_and_no_charts(client, officer):
    this_year = ConsultationPage.objects.get(slug="budget-2027-28")
    response = officer(client, "analyst@kingsmere.example").get(results_url(this_year))
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-chart=" not in html
    assert "No answers" in html


def test_analysts_see_a_consultations_results(client, officer):
    last_year = ConsultationPage.objects.get(slug="budget-2026-27")
    response = officer(client, "analyst@kingsmere.example").get(results_url(last_year))
    assert response.status_code == 200
    html = response.content.decode()
    assert "plotly/plotly-basic.min.js" in html
    assert "portal/js/charts.js" in html
    assert "Adult social care" in html


def test_editors_are_refused_with_403(client, officer):
    last_year = ConsultationPage.objects.get(slug="budget-2026-27")
    client = officer(client, "editor@kingsmere.example")
    assert client.get(reverse("budget_simulator:results_index")).status_code == 403
    response = client.get(results_url(last_year))
    assert response.status_code == 403
    assert "Adult social care" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, demo_site):
    last_year = ConsultationPage.objects.get(slug="budget-2026-27")
    for url in (reverse("budget_simulator:results_index"), results_url(last_year)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/accounts/login/")


def test_a_consultation_without_a_simulator_has_no_results_page(client, officer):
    parks = ConsultationPage.objects.get(slug="parks-and-green-spaces-strategy")
    client = officer(client, "analyst@kingsmere.example")
    assert client.get(results_url(parks)).status_code == 404


def figures_and_tables(html):
    """{chart id: (figure, table rows as lists of cell text)} from a results page."""
    soup = BeautifulSoup(html, "html.parser")
    found = {}
    for chart in soup.select("[data-chart]"):
        figure = json.loads(soup.find(id=chart["data-chart"]).string)
        table = chart.find_next("table")
        rows = [
            [cell.get_text(strip=True) for cell in row.find_all(["th", "td"])]
            for row in table.tbody.find_all("tr")
        ]
        found[chart["data-chart"]] = (figure, rows)
    return found


def test_the_page_shows_in_each_table_the_numbers_its_chart_draws(
    client, officer, consultation, budget
):
    for choices in FOUR_RESIDENTS:
        respond(consultation, budget, choices)
    response = officer(client, "analyst@kingsmere.example").get(results_url(consultation))
    charts = figures_and_tables(response.content.decode())
    # Mean change, shares, one chart per revenue option and one per service line.
    assert len(charts) == 2 + 1 + 3

    figure, rows = charts[f"chart-{SIMULATOR_ID}-mean-change"]
    [bars] = figure["data"]
    assert [[row[0], row[2]] for row in rows] == [
        list(pair) for pair in zip(bars["y"], bars["text"], strict=True)
    ]
    assert rows[0] == ["Libraries", "4", "−6.25%", "−£62,500", "−5%"]

    figure, rows = charts[f"chart-{SIMULATOR_ID}-shares"]
    for column, trace in enumerate(figure["data"], start=2):
        assert [row[column] for row in rows] == [
            f"{number} ({text})"
            for number, text in zip(trace["customdata"], trace["text"], strict=True)
        ]

    council_tax = keys(budget)["Council tax"]
    figure, rows = charts[f"chart-{SIMULATOR_ID}-levels-{council_tax}"]
    [bars] = figure["data"]
    assert rows == [
        [level, str(residents), share]
        for level, residents, share in zip(bars["x"], bars["y"], bars["customdata"], strict=True)
    ]
    html = response.content.decode()
    assert "£254,750" in html  # average savings found
    assert "£215,000" in html  # median savings found
    assert "2 (50%)" in html  # met the target


def test_the_demo_budget_consultation_has_results_for_every_synthetic_resident(demo_site):
    from django.conf import settings

    last_year = ConsultationPage.objects.get(slug="budget-2026-27")
    [results] = consultation_results(last_year)
    assert results.responses == settings.DEMO_SYNTHETIC_RESPONSES
    assert all(lever.responses == results.responses for lever in results.levers)
    # The synthetic residents all meet the target, as the simulator requires.
    assert results.met_target == results.responses
    assert builders.stable_id("budget-2026-27/simulator") == results.question_id
