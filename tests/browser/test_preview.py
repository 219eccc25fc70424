"""An editor opens the preview panel beside a consultation and sees its questions in the frame
(the site's policy had left it blank), and can switch it to one section alone."""

import pytest
from playwright.sync_api import expect

from consultations.journey import sections_of
from consultations.models import ConsultationPage
from tests.browser.conftest import sign_in_officer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_preview_panel_shows_every_section_of_the_questions(live_demo, browser_page):
    consultation = ConsultationPage.objects.get(slug="budget-2027-28")
    sections = sections_of(consultation)
    page = browser_page
    edit_url = f"/admin/pages/{consultation.pk}/edit/"
    sign_in_officer(page, "editor@kingsmere.example", edit_url)

    page.locator('[data-side-panel-toggle="preview"]').click()
    frame = page.frame_locator("#w-preview-iframe")
    frame.get_by_text("Nothing you choose or type here is sent or saved.").wait_for()
    for section in sections:
        assert frame.get_by_role("heading", name=section.title).count() >= 1, section.title

    page.locator("#id_preview_mode").select_option("section-2")
    expect(frame.get_by_role("heading", name=sections[0].title)).to_have_count(0)
    expect(frame.get_by_role("heading", level=1, name=sections[1].title)).to_be_visible()
    page.goto("about:blank")  # the panel polls for changes: stop it before the database goes
