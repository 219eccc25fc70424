"""The "too many attempts" page a resident meets at a rate limit: plain, accessible, no script."""

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BUDGET = "/consultations/budget-2027-28/"
SIMULATOR = BUDGET + "respond/section/2/"


def test_update_totals_past_the_limit_shows_an_accessible_too_many_attempts_page(
    live_demo, no_js_page, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "update_totals": "1/h"}
    page = no_js_page
    page.goto(BUDGET + "respond/")
    page.goto(SIMULATOR)
    for _ in range(2):
        with page.expect_navigation():
            page.get_by_role("button", name="Update totals").press("Enter")
    assert page.locator("main h1").inner_text() == "Too many attempts"
    assert "Wait an hour and try again" in page.locator("main").inner_text()
    page.assert_accessible()
    page.get_by_role("link", name="Go back to your answers").click()
    assert page.get_by_role("button", name="Update totals").is_visible()
