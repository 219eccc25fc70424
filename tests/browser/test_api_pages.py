"""The open results data in a real browser: the page for people and the API's JSON, with axe."""

import json

import pytest

from consultations.models import ConsultationPage
from tests.consultations.test_api import publish_outcome

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PARKS = "parks-and-green-spaces-strategy"


@pytest.fixture
def published_demo(live_demo):
    """The demo council with the parks consultation's outcome (and so its results) published."""
    parks = ConsultationPage.objects.get(slug=PARKS)
    if parks.published_outcome is None:
        publish_outcome(parks)
    return live_demo


def test_open_data_page_has_no_axe_violations_with_javascript(published_demo, browser_page):
    browser_page.goto("/open-data/")
    assert browser_page.title() == "Open data: consultation results – Kingsmere Borough Council"
    assert browser_page.get_by_role("link", name="Open Government Licence v3.0").is_visible()
    browser_page.assert_accessible()
    browser_page.assert_no_console_errors()


def test_open_data_page_works_and_has_no_axe_violations_without_javascript(
    published_demo, no_js_page
):
    no_js_page.goto("/open-data/")
    assert no_js_page.locator("main h1").inner_text() == "Open data: consultation results"
    no_js_page.assert_accessible()


def test_results_link_on_the_page_opens_the_json(published_demo, browser_page):
    browser_page.goto("/open-data/")
    browser_page.get_by_role(
        "link", name="Results as JSON for Parks and green spaces strategy"
    ).click()
    browser_page.wait_for_url(f"**/api/v1/consultations/{PARKS}/results/")
    body = json.loads(browser_page.locator("main pre").inner_text())
    assert body["consultation"]["slug"] == PARKS
    assert body["responses"]["total"] == 25


def test_csv_link_on_the_page_downloads_the_table(published_demo, browser_page):
    browser_page.goto("/open-data/")
    with browser_page.expect_download() as download:
        browser_page.get_by_role(
            "link", name="Results as CSV for Parks and green spaces strategy"
        ).click()
    assert download.value.suggested_filename == f"{PARKS}-results.csv"
    with open(download.value.path(), encoding="utf-8") as table:
        assert table.readline().strip() == "question_id,question,measure,item_key,item_label,value"


@pytest.mark.parametrize(
    ("path", "status", "title"),
    [
        ("/api/v1/consultations/", 200, "Consultations"),
        (
            f"/api/v1/consultations/{PARKS}/results/",
            200,
            "Results: Parks and green spaces strategy",
        ),
        ("/api/v1/schema/", 200, "Description of the open data API"),
        ("/api/v1/consultations/no-such-consultation/results/", 404, "Not found"),
    ],
)
def test_api_addresses_opened_in_the_browser_show_the_json_with_no_axe_violations(
    published_demo, browser_page, path, status, title
):
    assert browser_page.goto(path).status == status
    assert browser_page.locator("main h1").inner_text() == title
    json.loads(browser_page.locator("main pre").inner_text())
    browser_page.assert_accessible()
    # The only console message allowed is the browser noting the 404 itself.
    assert len(browser_page.console_errors) == (status == 404)


def test_raw_json_link_opens_the_json_itself(published_demo, browser_page):
    browser_page.goto(f"/api/v1/consultations/{PARKS}/results/")
    browser_page.get_by_role("link", name="The same, as raw JSON").click()
    browser_page.wait_for_url(f"**/api/v1/consultations/{PARKS}/results/?format=json")
    body = json.loads(browser_page.locator("body").inner_text())
    assert body["consultation"]["slug"] == PARKS


def test_open_data_page_reflows_on_a_narrow_phone(published_demo, chromium):
    context = chromium.new_context(
        base_url=published_demo.url, viewport={"width": 320, "height": 640}
    )
    page = context.new_page()
    page.goto("/open-data/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    assert overflow <= 0, f"/open-data/ scrolls sideways by {overflow}px at 320px wide"
