"""The results dashboard in the Wagtail admin, and the public include of charts and tables."""

import json

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse

from consultations.analysis.charts import public_charts, results_charts
from consultations.analysis.results import consultation_results
from consultations.models import Comment, ModerationStatus
from portal.roles import ANALYSTS, CONSULTATION_EDITORS, MODERATORS, ensure_officer_groups
from tests.builders import UserFactory
from tests.consultations.test_results import (
    ballot,
    election_questions,
    key,
    make_index,
    new_consultation,
    store,
    survey_questions,
    vote,
    ward,
)

SECRET = "Secret words from a resident"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def index(db):
    return make_index()


@pytest.fixture
def survey(index):
    page = new_consultation(index, "survey", survey_questions())
    for ranked in [("Libraries", "Parks"), ("Parks", "Libraries"), ("Libraries", "Roads")]:
        store(
            page,
            ranking=ballot(*ranked),
            choice={"option": key("choice", "Yes")},
            agreement={"option": "agree"},
            visits={"number": "3"},
            comments={"text": SECRET},
            about={"ward": ward("Abbey"), "age_band": "35_44"},
        )
    comment = Comment.objects.first()
    comment.status, comment.public_text = ModerationStatus.APPROVED, SECRET
    comment.save()
    return page


def officer(role):
    user = UserFactory()
    user.groups.add(ensure_officer_groups()[role])
    return user


@pytest.fixture
def analyst_client(client, db):
    client.force_login(officer(ANALYSTS))
    return client


def dashboard_url(page):
    return reverse("consultation_results:dashboard", args=[page.pk])


# Who may see results ----------------------------------------------------------------------------


def test_analysts_see_the_results_menu_item(analyst_client):
    html = analyst_client.get("/admin/").content.decode()

    assert reverse("consultation_results:index") in html


@pytest.mark.parametrize("role", [MODERATORS, CONSULTATION_EDITORS])
def test_other_officers_do_not_see_the_results_menu_item(client, db, role):
    client.force_login(officer(role))

    assert reverse("consultation_results:index") not in client.get("/admin/").content.decode()


@pytest.mark.parametrize("role", [MODERATORS, CONSULTATION_EDITORS])
def test_other_officers_are_refused_the_results_with_403(client, survey, role):
    client.force_login(officer(role))

    assert client.get(reverse("consultation_results:index")).status_code == 403
    response = client.get(dashboard_url(survey))
    assert response.status_code == 403
    assert "Rank the services" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, survey):
    response = client.get(dashboard_url(survey))

    assert response.status_code == 302
    assert "login" in response.headers["Location"]


# The pages --------------------------------------------------------------------------------------


def test_the_index_lists_consultations_with_their_response_counts(analyst_client, survey):
    response = analyst_client.get(reverse("consultation_results:index"))
    soup = BeautifulSoup(response.content, "html.parser")

    row = soup.find("a", href=dashboard_url(survey)).find_parent("tr")
    assert row.find_all("td")[-1].get_text(strip=True) == "3"
    assert "plotly" not in response.content.decode()


def test_the_dashboard_shows_every_question_and_loads_the_chart_scripts(analyst_client, survey):
    html = analyst_client.get(dashboard_url(survey)).content.decode()

    for text in ["Rank the services", "Should we open on Sundays?", "Parking should be free"]:
        assert text in html
    assert "plotly/plotly-basic.min.js" in html
    assert "portal/js/charts.js" in html


def test_the_dashboard_never_shows_residents_words(analyst_client, survey):
    assert SECRET not in analyst_client.get(dashboard_url(survey)).content.decode()


def figures_and_tables(html):
    """{chart id: (figure, table rows as lists of cell text)} from a page."""
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


def test_each_chart_draws_the_numbers_its_table_shows(analyst_client, survey):
    charts = figures_and_tables(analyst_client.get(dashboard_url(survey)).content.decode())

    figure, rows = charts[f"chart-{key('ranking')}-borda"]
    [bars] = figure["data"]
    # Libraries 3 + 3 + 2 = 8, Parks 2 + 3 = 5, Roads 2, Bins 0 (N = 4, top 2).
    assert [(row[0], row[1]) for row in rows] == [
        ("Libraries", "8"),
        ("Parks", "5"),
        ("Roads", "2"),
        ("Bins", "0"),
    ]
    assert list(zip(bars["y"], bars["text"], strict=True)) == [(r[0], r[1]) for r in rows]

    figure, rows = charts[f"chart-{key('choice')}-options"]
    [bars] = figure["data"]
    assert rows[0] == ["Yes", "3", "100%"]
    assert bars["x"][0] == 3 and bars["text"][0] == "3 (100%)"


def test_hidden_small_counts_are_not_drawn_and_say_so_in_the_table(analyst_client, survey):
    # Abbey 3 and Millbrook 4 are hidden; each protects the other, so Westgate's 10 can be shown
    # without letting either be worked out from the total of 17.
    for _ in range(10):
        store(survey, about={"ward": ward("Westgate")})
    for _ in range(4):
        store(survey, about={"ward": ward("Millbrook")})

    charts = figures_and_tables(analyst_client.get(dashboard_url(survey)).content.decode())

    figure, rows = charts["chart-responses-area"]
    [bars] = figure["data"]
    assert rows[0] == ["Abbey", "Not shown", "Not shown"]
    assert rows[4] == ["Millbrook", "Not shown", "Not shown"]
    assert rows[5] == ["Westgate", "10", "58.8%"]
    assert bars["x"][0] is None and bars["x"][4] is None and bars["x"][5] == 10


def test_a_lone_small_count_hides_a_second_so_it_cannot_be_worked_out(analyst_client, survey):
    for _ in range(10):
        store(survey, about={"ward": ward("Westgate")})

    charts = figures_and_tables(analyst_client.get(dashboard_url(survey)).content.decode())

    _figure, rows = charts["chart-responses-area"]
    assert rows[0] == ["Abbey", "Not shown", "Not shown"]
    assert rows[5][:2] == ["Westgate", "Not shown"]


def test_a_chart_whose_every_count_is_hidden_is_a_table_alone(analyst_client, survey):
    html = analyst_client.get(dashboard_url(survey)).content.decode()

    assert 'data-chart="chart-responses-area"' not in html
    assert "Where residents live" in html


def test_the_schulze_order_states_ties_as_ties(analyst_client, index):
    election = new_consultation(index, "election", election_questions())
    vote(election, [(3, "ABCDE"), (2, "DABCE"), (2, "DBCAE"), (2, "CBDAE")])

    soup = BeautifulSoup(analyst_client.get(dashboard_url(election)).content, "html.parser")
    order = soup.find(string="Schulze order").find_next("ol")

    assert [li.get_text(" ", strip=True) for li in order.find_all("li")] == [
        "B and D (tied)",
        "A and C (tied)",
        "E",
    ]
    assert [li["value"] for li in order.find_all("li")] == ["1", "3", "5"]


def test_the_breakdown_form_works_without_javascript(analyst_client, survey):
    for _ in range(10):
        store(survey, choice={"option": key("choice", "No")}, about={"ward": ward("Westgate")})
    # Millbrook 4 and Abbey 3 protect each other in the row of residents who answered.
    for _ in range(4):
        store(survey, choice={"option": key("choice", "No")}, about={"ward": ward("Millbrook")})

    response = analyst_client.get(dashboard_url(survey), {"question": key("choice"), "by": "area"})
    soup = BeautifulSoup(response.content, "html.parser")
    heading = soup.find("h3", string=lambda text: text and "by area" in text)
    table = heading.find_next("table")
    header = [th.get_text(strip=True) for th in table.thead.find_all("th")]
    rows = {
        tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
        for tr in table.tbody.find_all("tr")
    }

    column = {name: header.index(name) - 1 for name in ("Abbey", "Millbrook", "Westgate")}
    answered = rows["Residents in the group who answered"]
    assert answered[column["Westgate"]] == "10"
    assert answered[column["Abbey"]] == answered[column["Millbrook"]] == "Not shown"
    assert rows["Yes"][column["Abbey"]] == "Not shown"


def test_a_breakdown_of_an_unknown_question_shows_the_form_again(analyst_client, survey):
    response = analyst_client.get(dashboard_url(survey), {"question": "nope", "by": "area"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_dashboard_lists_theme_counts_and_links_to_themes(analyst_client, survey):
    html = analyst_client.get(dashboard_url(survey)).content.decode()

    assert reverse("consultation_results:themes", args=[survey.pk]) in html


# The public include -----------------------------------------------------------------------------


def test_the_public_include_needs_only_the_results_and_uses_govuk_tables(survey):
    results = consultation_results(survey)

    html = render_to_string("consultations/analysis/public_results.html", {"results": results})
    soup = BeautifulSoup(html, "html.parser")

    assert soup.select("table.govuk-table")
    assert soup.select("th.govuk-table__header") and soup.select("td.govuk-table__cell")
    assert soup.find("h3", string="Rank the services")
    assert soup.select("[data-chart]")
    assert SECRET not in html
    assert "<script src" not in html


def test_the_public_include_shows_free_text_as_counts_and_themes_only(survey):
    html = render_to_string(
        "consultations/analysis/public_results.html", {"results": consultation_results(survey)}
    )
    soup = BeautifulSoup(html, "html.parser")
    section = soup.find("h3", string="Anything else?").find_parent("section")

    assert "Published after moderation" in section.get_text()
    assert SECRET not in section.get_text()


def test_the_chart_scripts_snippet_loads_the_bundle_then_the_drawing_module():
    html = render_to_string("consultations/analysis/chart_scripts.html")
    scripts = BeautifulSoup(html, "html.parser").find_all("script")

    assert [script["src"].rsplit("/", 1)[-1] for script in scripts] == [
        "plotly-basic.min.js",
        "charts.js",
    ]
    assert scripts[1]["type"] == "module"


def test_public_charts_leave_out_the_daily_series_the_dashboard_shows(survey):
    results = consultation_results(survey)

    assert results_charts(results).over_time.id == "chart-responses-over-time"
    assert public_charts(results).over_time is None


def test_every_demo_consultations_dashboard_opens(client, demo_site):
    from consultations.models import ConsultationPage

    client.force_login(officer(ANALYSTS))

    for consultation in ConsultationPage.objects.all():
        response = client.get(dashboard_url(consultation))
        assert response.status_code == 200, consultation.slug
    last_year = ConsultationPage.objects.get(slug="budget-2026-27")
    html = client.get(dashboard_url(last_year)).content.decode()
    assert "Adult social care" in html
