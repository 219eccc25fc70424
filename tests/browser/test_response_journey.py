"""A resident completes the open demo consultation: keyboard only with JavaScript, and without."""

import re

import pytest

from consultations.journey import questions_of
from consultations.models import ConsultationPage, RankingPosition

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BUDGET = "/consultations/budget-2027-28/"


def budget():
    return ConsultationPage.objects.get(slug="budget-2027-28")


def stored_ranking(page):
    response = page.responses.get()
    ranking = next(q for q in questions_of(page).values() if q.type == "priority_ranking")
    labels = {child.id: child.value["label"] for child in ranking.value["items"].bound_blocks}
    rows = RankingPosition.objects.filter(response=response).order_by("position")
    return [labels[row.item_id] for row in rows]


def tab_to(page, text, limit=250):
    """Press Tab until the focused element's text (or label) starts with `text`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el) return "";
                if (el.labels && el.labels.length) return el.labels[0].innerText;
                return el.innerText || el.value || "";
            }"""
        )
        if re.sub(r"\s+", " ", focused).replace(" :", ":").strip().startswith(text):
            return
    pytest.fail(f"Tabbing never reached {text!r}")


def test_resident_completes_the_budget_consultation_by_keyboard_with_javascript(
    live_demo, browser_page
):
    page = browser_page
    page.goto(BUDGET)
    page.assert_accessible()
    tab_to(page, "Respond to this consultation")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"respond/section/1/$"))
    page.wait_for_selector(".portal-ranking--enhanced")
    page.assert_accessible()

    # Move "Adult social care" down one place with the keyboard; the live region says where it is.
    tab_to(page, "Move down: Adult social care")
    page.keyboard.press("Enter")
    assert page.locator("[role=status]").inner_text() == "Adult social care, position 2 of 8"
    focused = page.evaluate("document.activeElement.innerText")
    assert focused.startswith("Move down"), "focus stays on the item's button after moving"
    page.keyboard.press("Enter")
    assert page.locator("[role=status]").inner_text() == "Adult social care, position 3 of 8"

    tab_to(page, "Raise council tax by 4.99%")  # Tab enters a radio group at its first option
    page.keyboard.press("ArrowDown")  # moves to and selects the next option
    assert page.get_by_label("Raise council tax by 2.99% and make some cuts").is_checked()
    tab_to(page, "Continue")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"respond/section/2/$"))
    page.wait_for_selector(".portal-simulator--enhanced")
    page.assert_accessible()

    # The budget simulator: sliders moved by keyboard until the £14.2 million target is met.
    tab_to(page, "Adult social care")
    page.keyboard.press("Home")  # the deepest cut the statutory floor allows: 8%
    assert "Cut by 8%: saves £9.4 million" in page.locator("[data-choice]").first.inner_text()
    tab_to(page, "Council tax")
    page.keyboard.press("End")  # 4.99%, the most without a referendum
    totals = page.locator("[data-simulator-totals]").first.inner_text()
    assert totals == (
        "You have found £17.0 million of £14.2 million. You have met the savings target."
    )
    tab_to(page, "Continue")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"respond/section/3/$"))
    page.assert_accessible()

    tab_to(page, "Strongly agree")
    page.keyboard.press("ArrowDown")  # moves to and selects "Agree"
    tab_to(page, "Is there anything else")
    page.keyboard.type("Please keep the mobile library.")
    assert "characters remaining" in page.locator(".govuk-character-count__status").inner_text()
    tab_to(page, "Continue")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"respond/section/4/$"))
    page.assert_accessible()

    tab_to(page, "Continue")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"respond/check/$"))
    page.assert_accessible()
    assert "3. Adult social care" in page.locator("main").inner_text()
    assert "Savings found: £17.0 million of £14.2 million" in page.locator("main").inner_text()

    tab_to(page, "Send response")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"respond/confirmation/$"))
    page.assert_accessible()
    page.assert_no_console_errors()

    consultation = budget()
    reference = consultation.responses.get().reference
    assert reference in page.locator(".govuk-panel").inner_text()
    assert stored_ranking(consultation)[:3] == [
        "Children's services",
        "Bins and recycling",
        "Adult social care",
    ]


def test_resident_completes_the_budget_consultation_with_javascript_off(live_demo, no_js_page):
    page = no_js_page
    page.goto(BUDGET + "respond/")
    page.wait_for_url(re.compile(r"respond/section/1/$"))
    assert page.locator("select").count() == 8  # the plain ranking: a number for each service
    page.assert_accessible()

    # Two services given the same number: the error summary names the problem.
    labels = [
        "Adult social care",
        "Children's services",
        "Bins and recycling",
        "Roads and pavements",
        "Libraries",
        "Parks and open spaces",
        "Housing and homelessness",
        "Community safety",
    ]
    for position, label in enumerate(labels, start=1):
        page.get_by_label(label, exact=True).select_option(str(position))
    page.get_by_label("Libraries", exact=True).select_option("1")
    page.get_by_label("Raise council tax by 4.99% and protect services").check()
    page.get_by_role("button", name="Continue").press("Enter")
    summary = page.locator(".govuk-error-summary")
    assert "Adult social care and Libraries cannot both be number 1" in summary.inner_text()
    page.assert_accessible()

    page.get_by_label("Libraries", exact=True).select_option("5")
    page.get_by_role("button", name="Continue").press("Enter")
    page.wait_for_url(re.compile(r"respond/section/2/$"))

    # The budget simulator without JavaScript: a select per service, a box for council tax.
    page.get_by_label("Adult social care", exact=True).select_option("-8")
    page.get_by_label("Council tax", exact=True).fill("4.99")
    page.get_by_role("button", name="Continue").press("Enter")
    page.wait_for_url(re.compile(r"respond/section/3/$"))
    page.get_by_label("Disagree", exact=True).check()
    page.get_by_label("Looking after a local park").check()
    page.get_by_label("How many times a month").fill("4")
    page.get_by_role("button", name="Continue").press("Enter")
    page.wait_for_url(re.compile(r"respond/section/4/$"))
    page.assert_accessible()
    page.get_by_label("35 to 44").check()
    page.get_by_label("The first part of your postcode").fill("km1")
    page.get_by_role("button", name="Continue").press("Enter")
    page.wait_for_url(re.compile(r"respond/check/$"))
    page.assert_accessible()
    assert "Postcode district: KM1" in page.locator("main").inner_text()
    assert "Savings found: £17.0 million of £14.2 million" in page.locator("main").inner_text()

    page.get_by_role("button", name="Send response").press("Enter")
    page.wait_for_url(re.compile(r"respond/confirmation/$"))
    page.assert_accessible()
    consultation = budget()
    assert consultation.responses.count() == 1
    assert stored_ranking(consultation) == labels


def test_consultation_finder_works_without_javascript(live_demo, no_js_page):
    page = no_js_page
    page.goto("/consultations/")
    page.get_by_label("Status").select_option("closed")
    page.get_by_role("button", name="Apply filters").press("Enter")
    page.wait_for_url(re.compile(r"status=closed"))
    titles = page.locator(".portal-card .govuk-heading-m").all_inner_texts()
    assert sorted(titles) == [
        "Budget 2026/27: balance the budget",
        "Housing allocations policy",
        "Parks and green spaces strategy",
    ]
    page.assert_accessible()


def test_closed_consultation_page_has_no_axe_violations(live_demo, browser_page):
    browser_page.goto("/consultations/housing-allocations-policy/respond/")
    assert "This consultation has closed" in browser_page.locator("h1").inner_text()
    browser_page.assert_accessible()
