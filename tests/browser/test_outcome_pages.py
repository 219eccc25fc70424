"""'We asked, you said, we did' in a real browser: the outcome page with its charts, the index of
outcomes and the consultation's banner, with JavaScript on and off; and the opt-in to hear the
outcome on "check your answers"."""

import re

import pytest
from wagtail.models import Page

from consultations.models import (
    Answer,
    ConsultationIndexPage,
    ModerationStatus,
    OutcomeSubscription,
    Response,
)
from home.models import HomePage
from tests.builders import ConsultationPageFactory
from tests.consultations.conftest import ids
from tests.consultations.test_outcomes import closed_consultation, comment, outcome, outcome_index

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REDACTED = "I'd like the library open on Saturdays, [name removed]"
ORIGINAL = "I'd like the library open on Saturdays, love from Jo Bloggs"


@pytest.fixture
def published(live_demo):
    """A closed consultation with answers, a redacted comment and a published outcome."""
    consultation = closed_consultation(slug="library-hours", title="Library opening hours")
    q = ids()
    for number in range(12):
        response = Response.objects.create(consultation=consultation, reference=f"KBC-BR-{number}")
        Answer.objects.create(response=response, question_id=q["choice"], option=q["yes"])
    quoted = comment(consultation, ORIGINAL, ModerationStatus.REDACTED, REDACTED)
    page = outcome(consultation, quotes=[quoted], show_results=True)
    return consultation, page


def test_the_outcome_page_draws_its_charts_with_no_axe_violations_or_csp_errors(
    published, browser_page
):
    _consultation, page = published
    browser_page.goto(page.url)
    assert browser_page.locator("h1").inner_text() == page.title
    browser_page.wait_for_selector("[data-chart] .main-svg")
    main = browser_page.locator("main").inner_text()
    assert REDACTED in main
    assert "Jo Bloggs" not in browser_page.content()
    browser_page.assert_accessible()
    browser_page.assert_no_console_errors()


def test_the_outcome_page_gives_every_number_in_tables_without_javascript(published, no_js_page):
    _consultation, page = published
    no_js_page.goto(page.url)
    assert no_js_page.locator("main h1").is_visible()
    assert no_js_page.locator("table.govuk-table").first.is_visible()
    assert no_js_page.locator("[data-chart] .main-svg").count() == 0
    no_js_page.assert_accessible()


@pytest.mark.parametrize("javascript", [True, False])
def test_the_outcome_index_lists_the_outcome_with_no_axe_violations(
    published, browser_page, no_js_page, javascript
):
    _consultation, page = published
    index = outcome_index(HomePage.objects.get())
    browser = browser_page if javascript else no_js_page
    browser.goto(index.url)
    browser.get_by_role("link", name=page.title).click()
    browser.wait_for_url(re.compile(re.escape(page.url) + "$"))
    browser.goto(index.url)
    browser.assert_accessible()
    if javascript:
        browser.assert_no_console_errors()


@pytest.mark.parametrize("javascript", [True, False])
def test_the_consultation_page_announces_the_outcome_with_no_axe_violations(
    published, browser_page, no_js_page, javascript
):
    consultation, page = published
    browser = browser_page if javascript else no_js_page
    browser.goto(consultation.url)
    banner = browser.locator(".govuk-notification-banner")
    assert "Outcome published" in banner.inner_text()
    banner.get_by_role("link").click()
    browser.wait_for_url(re.compile(re.escape(page.url) + "$"))
    browser.goto(consultation.url)
    browser.assert_accessible()


def test_a_resident_asks_to_hear_the_outcome_with_javascript(live_demo, browser_page):
    consultation = ConsultationPageFactory(
        parent=ConsultationIndexPage.objects.get(),
        slug="tell-me",
        privacy_notice=Page.objects.get(slug="privacy"),
    )
    page = browser_page
    page.goto(consultation.url + "respond/")
    page.wait_for_url(re.compile(r"respond/section/1/$"))
    page.wait_for_selector(".portal-ranking--enhanced")
    page.get_by_role("button", name=re.compile(r"^Move down\W+Libraries")).click()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"respond/section/2/$"))
    page.get_by_label("Anything else?").fill("Keep the libraries open")
    page.get_by_label("35 to 44").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"respond/check/$"))

    address = page.get_by_label("Email address to tell")
    assert not address.is_visible()  # revealed only when the box is ticked
    page.get_by_label("Email me when the council publishes what it did").check()
    assert address.is_visible()
    page.assert_accessible()

    page.get_by_role("button", name="Send response").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter your email address so we can tell you" in summary.inner_text()
    assert address.is_visible()
    page.assert_accessible()
    page.console_errors.clear()  # the browser reports the error page's 400 status

    address.fill("resident@example.org")
    page.get_by_role("button", name="Send response").click()
    page.wait_for_url(re.compile(r"respond/confirmation/$"))
    page.assert_no_console_errors()
    subscription = OutcomeSubscription.objects.get(consultation=consultation)
    assert subscription.email == "resident@example.org"
