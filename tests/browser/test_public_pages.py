import re

import pytest

from tests.browser.conftest import sign_in_officer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PUBLIC_PAGES = [
    ("/", "Have your say – Kingsmere Borough Council"),
    ("/consultations/", "Consultations – Kingsmere Borough Council"),
    ("/privacy/", "Privacy notice – Kingsmere Borough Council"),
    ("/accessibility/", "Accessibility statement – Kingsmere Borough Council"),
    ("/accounts/login/", "Sign in – Kingsmere Borough Council"),
    ("/accounts/signup/", "Create an account – Kingsmere Borough Council"),
]


@pytest.mark.parametrize(("path", "title"), PUBLIC_PAGES)
def test_public_page_has_no_axe_violations_with_javascript(live_demo, browser_page, path, title):
    browser_page.goto(path)
    assert browser_page.title() == title
    assert browser_page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    browser_page.assert_accessible()
    browser_page.assert_no_console_errors()


@pytest.mark.parametrize(("path", "title"), PUBLIC_PAGES)
def test_public_page_works_and_has_no_axe_violations_without_javascript(
    live_demo, no_js_page, path, title
):
    no_js_page.goto(path)
    assert no_js_page.title() == title
    assert no_js_page.locator("main h1").is_visible()
    no_js_page.assert_accessible()


def test_not_found_page_has_no_axe_violations(live_demo, browser_page):
    response = browser_page.goto("/no-such-page/")
    assert response.status == 404
    browser_page.assert_accessible()


def test_keyboard_user_skips_to_content_and_reaches_the_consultations(live_demo, browser_page):
    browser_page.goto("/")
    browser_page.wait_for_function("document.body.classList.contains('govuk-frontend-supported')")
    browser_page.keyboard.press("Tab")
    assert browser_page.focused_text() == "Skip to main content"
    browser_page.keyboard.press("Enter")
    # GOV.UK Frontend's skip link moves focus to <main> (and the URL to #main-content).
    browser_page.wait_for_function("document.activeElement.id === 'main-content'")
    for _ in range(20):
        browser_page.keyboard.press("Tab")
        if browser_page.focused_text().strip() == "Find a consultation":
            break
    else:
        pytest.fail("Tabbing from the main content never reached 'Find a consultation'")
    focus_background = browser_page.evaluate(
        "getComputedStyle(document.activeElement).backgroundColor"
    )
    assert focus_background == "rgb(255, 221, 0)", "focused control must show the focus colour"
    browser_page.keyboard.press("Enter")
    browser_page.wait_for_url(re.compile(r"/consultations/$"))


def test_pages_reflow_on_a_narrow_phone_without_sideways_scrolling(live_demo, chromium):
    context = chromium.new_context(base_url=live_demo.url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    for path, _title in PUBLIC_PAGES:
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px wide"
    context.close()


def test_demo_editor_signs_in_with_a_code_and_reaches_the_wagtail_admin(live_demo, browser_page):
    browser_page.goto("/admin/")
    assert "/accounts/login/" in browser_page.url
    sign_in_officer(browser_page, "editor@kingsmere.example", "/admin/")
    assert browser_page.get_by_role("link", name="Pages").first.is_visible()


def test_demo_editor_edits_and_saves_a_consultation_in_the_wagtail_editor(live_demo, browser_page):
    from consultations.models import ConsultationPage

    page = ConsultationPage.objects.get(slug="budget-2027-28")
    revisions = page.revisions.count()
    sign_in_officer(browser_page, "editor@kingsmere.example", "/admin/")
    browser_page.goto(f"/admin/pages/{page.pk}/edit/")
    browser_page.locator("#id_summary").fill("Tell us which services matter most to you.")
    browser_page.get_by_role("button", name="Save draft").click()
    browser_page.wait_for_url(re.compile(rf"/admin/pages/{page.pk}/edit/$"))
    assert "has been updated" in browser_page.locator(".messages").inner_text()
    assert page.revisions.count() == revisions + 1
