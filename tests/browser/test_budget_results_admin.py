"""An analyst reads the demo budget consultation's simulator results in the Wagtail admin."""

import re

import pytest

from consultations.models import ConsultationPage
from tests.browser.conftest import sign_in_officer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

INDEX = "/admin/budget-simulator/results/"
LAST_YEAR = "Budget 2026/27: balance the budget"


def sign_in_as_analyst(page, next_url):
    sign_in_officer(page, "analyst@kingsmere.example", next_url)


def test_analyst_opens_the_results_and_sees_charts_drawn_beside_their_tables(
    live_demo, browser_page
):
    page = browser_page
    sign_in_as_analyst(page, INDEX)
    page.get_by_role("link", name=LAST_YEAR).click()
    consultation = ConsultationPage.objects.get(slug="budget-2026-27")
    page.wait_for_url(re.compile(rf"/admin/budget-simulator/results/{consultation.pk}/$"))

    charts = page.locator("[data-chart]")
    # Mean change, shares, two revenue options and twelve service lines.
    assert charts.count() == 16
    page.wait_for_function(
        "Array.from(document.querySelectorAll('[data-chart]'))"
        ".every((chart) => chart.querySelector('svg.main-svg'))"
    )
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.get_attribute("role") == "img"
        assert "table below" in chart.get_attribute("aria-label")
        assert chart.locator("svg.main-svg").first.bounding_box()["width"] > 300
        assert chart.locator("xpath=following::table[1]").is_visible()

    mean_chart = charts.first
    assert mean_chart.locator(".bars .point").count() == 12
    assert "Adult social care" in mean_chart.locator(".ytick text").all_text_contents()
    page.assert_accessible()
    # Nothing inside an image is focusable: no mode bar and its "share" link to plotly's cloud.
    assert page.locator("[data-chart] button, [data-chart] a[href]").count() == 0
    page.assert_no_console_errors()


def test_without_javascript_the_results_are_tables_only(live_demo, no_js_page):
    consultation = ConsultationPage.objects.get(slug="budget-2026-27")
    url = f"/admin/budget-simulator/results/{consultation.pk}/"
    page = no_js_page
    sign_in_as_analyst(page, url)
    assert page.locator("svg.main-svg").count() == 0
    assert page.locator("[data-chart][role=img]").count() == 0
    # The summary, revenue options and one table per chart.
    assert page.locator("main table").count() == 2 + 16
    summary = page.locator("main table").first.inner_text()
    assert "Residents who used the simulator" in summary
