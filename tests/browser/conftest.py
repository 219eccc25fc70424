"""Real-browser tests: Playwright drives the system Chromium against Django's live server.

Browser tests are never skipped: without Chromium they fail and say how to install it.
"""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import seed_demo_quickly

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# Every WCAG 2.2 A/AA rule runs on the whole page; only the violations come back in full (the
# passes, a node list of several megabytes on a chart page, were never read).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}
# Every animation that ends is taken to its end state at once (as `finish()` does), not waited
# for: the admin's badge pulses five times over 25 seconds, and waiting for it cost that much
# per axe check. Animations that never end are left alone, as before.
SETTLE_ANIMATIONS = """() => Promise.all(document.getAnimations()
    .filter((animation) => animation.effect.getComputedTiming().endTime !== Infinity)
    .map((animation) => {
        animation.finish();
        return animation.finished.catch(() => null);
    }))"""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.fail(
            f"Browser tests need Chromium at {CHROMIUM}: run 'apt-get install -y chromium' "
            "(make test does this when run as root)."
        )
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


class BrowserPage:
    """A Playwright page that records console errors (CSP violations show up there)."""

    def __init__(self, page, axe_page=None):
        self.page = page
        self.axe_page = axe_page
        self.console_errors = []
        page.on(
            "console",
            lambda message: message.type == "error" and self.console_errors.append(message.text),
        )

    def __getattr__(self, name):
        return getattr(self.page, name)

    def assert_accessible(self):
        """Zero WCAG 2.2 A/AA violations in what the resident sees now.

        axe is JavaScript, so for a page with JavaScript off it checks a copy of that exact
        DOM in a page whose own scripts are blocked.
        """
        target = self.page
        if self.axe_page is not None:
            target = self.axe_page
            html = self.page.content()
            target.goto(self.page.url)
            target.set_content(html)
        # axe measures colours as drawn now: a message still fading in reads as a paler colour
        # than the one the officer sees a moment later, so let finite animations finish first.
        target.evaluate(SETTLE_ANIMATIONS)
        results = Axe().run(target, options=AXE_OPTIONS)
        assert results.violations_count == 0, results.generate_report()

    def assert_no_console_errors(self):
        assert self.console_errors == []

    def focused_text(self):
        return self.page.evaluate("document.activeElement && document.activeElement.innerText")


def _new_context(chromium, live_server, **options):
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1024, "height": 768}, **options
    )
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def browser_page(chromium, live_server):
    context = _new_context(chromium, live_server)
    yield BrowserPage(context.new_page())
    context.close()


@pytest.fixture
def no_js_page(chromium, live_server):
    """JavaScript switched off in the browser, as some residents and their councils do."""
    context = _new_context(chromium, live_server, java_script_enabled=False)
    axe_context = _new_context(chromium, live_server)
    axe_context.route("**/*.js", lambda route: route.abort())
    yield BrowserPage(context.new_page(), axe_page=axe_context.new_page())
    context.close()
    axe_context.close()


@pytest.fixture
def live_demo(transactional_db, live_server):
    """The demo council loaded into the live server's database."""
    seed_demo_quickly()
    return live_server


SIGN_IN_BUTTON = re.compile(r"^sign in$", re.IGNORECASE)


def sign_in_officer(page, email, next_url, password="kingsmere-demo-2026"):  # noqa: S107
    """Sign a demo officer in as they would: email and password, then the code their
    authenticator app shows now (computed here from the officer's TOTP secret)."""
    from django.contrib.auth import get_user_model

    from demo.council import current_sign_in_code

    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label(re.compile("^email", re.IGNORECASE)).fill(email)
    page.get_by_label(re.compile("^password", re.IGNORECASE)).fill(password)
    page.get_by_role("button", name=SIGN_IN_BUTTON).click()
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/$"))
    officer = get_user_model().objects.get(email=email)
    page.locator("input[name=code]").fill(current_sign_in_code(officer))
    page.locator("input[name=code]").press("Enter")
    page.wait_for_url(re.compile(r"^https?://[^/]+" + re.escape(next_url) + "$"))
