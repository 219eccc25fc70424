"""Issue 15, point 2: officers and approvers preview every section of a consultation's questions
as residents see them, in the editor's preview panel (a frame of the admin) and in a new tab,
without anything being stored."""

import re

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page

from consultations.journey import sections_of
from consultations.models import ConsultationPage, Response, ResponseDraft
from tests.consultations.test_stable_meaning import edit_form_data, stored_raw

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget_consultation(demo_site):
    """The demo's open budget consultation: several sections, a ranking and a simulator."""
    return ConsultationPage.objects.get(slug="budget-2027-28")


def sign_in(client, email):
    client.force_login(get_user_model().objects.get(email=email))


def preview_url(page):
    return f"/admin/pages/{page.pk}/edit/preview/"


def preview_in_the_editor(client, page, mode=None, email="editor@kingsmere.example"):
    """What the editor's preview panel shows: the form as it stands is posted, then drawn."""
    sign_in(client, email)
    posted = client.post(preview_url(page), edit_form_data(page, stored_raw(page)))
    assert posted.json()["is_valid"], posted.content
    return client.get(preview_url(page), {} if mode is None else {"mode": mode})


def question_texts(section):
    return [question.text for question in section.questions]


def frame_ancestors(response):
    policy = response.headers.get("Content-Security-Policy", "")
    found = re.search(r"frame-ancestors ([^;]*)", policy)
    return found.group(1).strip() if found else None


def test_the_preview_offers_every_page_a_resident_sees(budget_consultation):
    sections = sections_of(budget_consultation)
    modes = dict(budget_consultation.preview_modes)
    assert budget_consultation.default_preview_mode == ""
    assert "landing" in modes
    assert [modes[f"section-{s.number}"] for s in sections] == [
        f"Section {s.number}: {s.title}" for s in sections
    ]


def test_the_default_preview_shows_the_page_and_every_section_of_questions(
    client, budget_consultation
):
    response = preview_in_the_editor(client, budget_consultation)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing you choose or type here is sent or saved." in html
    assert budget_consultation.summary in html
    for section in sections_of(budget_consultation):
        assert section.title in html
        for text in question_texts(section):
            assert text in html, text
    assert "budget_simulator/js/simulator.js" in html


def test_each_section_previews_alone_as_residents_see_it(client, budget_consultation):
    first, second, *_rest = sections_of(budget_consultation)
    html = preview_in_the_editor(client, budget_consultation, "section-2").content.decode()
    assert f"Section 2 of {len(sections_of(budget_consultation))}" in html
    assert all(text in html for text in question_texts(second))
    assert not any(text in html for text in question_texts(first))
    assert 'method="get"' in html and 'method="post"' not in html.split("<main")[1]
    assert "disabled" in html


def test_the_landing_page_previews_on_its_own(client, budget_consultation):
    html = preview_in_the_editor(client, budget_consultation, "landing").content.decode()
    assert "Respond to this consultation" in html
    first = sections_of(budget_consultation)[0]
    assert not any(text in html for text in question_texts(first))


def test_a_section_that_does_not_exist_is_not_found(client, budget_consultation):
    assert preview_in_the_editor(client, budget_consultation, "section-99").status_code == 404


def test_the_admin_may_frame_previews_and_nothing_else(client, budget_consultation):
    preview = preview_in_the_editor(client, budget_consultation)
    assert frame_ancestors(preview) == "'self'"
    assert preview.headers["X-Frame-Options"] == "SAMEORIGIN"
    public = client.get(budget_consultation.url)
    assert frame_ancestors(public) == "'none'"
    assert public.headers["X-Frame-Options"] == "DENY"
    section = client.get(budget_consultation.url + "respond/section/1/")
    assert frame_ancestors(section) == "'none'"


def test_previewing_stores_nothing(client, budget_consultation):
    responses, drafts = Response.objects.count(), ResponseDraft.objects.count()
    for mode in ("", "landing", "section-1", "section-2"):
        preview_in_the_editor(client, budget_consultation, mode)
    assert Response.objects.count() == responses
    assert ResponseDraft.objects.count() == drafts
    assert not [key for key in client.session.keys() if "journey" in key or "response" in key]


def test_an_approver_sees_every_section_of_what_they_sign_off(client, budget_consultation):
    editor = get_user_model().objects.get(email="editor@kingsmere.example")
    revision = budget_consultation.save_revision(user=editor)
    workflow = budget_consultation.get_workflow()
    assert workflow is not None
    state = workflow.start(budget_consultation, editor)
    task = state.current_task_state.task

    sign_in(client, "approver@kingsmere.example")
    response = client.get(f"/admin/pages/workflow/preview/{budget_consultation.pk}/{task.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    for section in sections_of(budget_consultation):
        assert all(text in html for text in question_texts(section))
    revision_preview = client.get(
        f"/admin/pages/{budget_consultation.pk}/revisions/{revision.pk}/view/",
        {"mode": "section-1"},
    )
    assert revision_preview.status_code == 200
    assert sections_of(budget_consultation)[0].title in revision_preview.content.decode()


def test_a_draft_consultation_previews_before_it_is_ever_published(client, demo_site):
    from consultations.models import ConsultationIndexPage
    from tests.builders import ConsultationPageFactory

    draft = ConsultationPageFactory(
        parent=ConsultationIndexPage.objects.get(),
        slug="not-yet-published",
        privacy_notice=Page.objects.get(slug="privacy"),
        live=False,
    )
    html = preview_in_the_editor(client, draft).content.decode()
    for section in sections_of(draft):
        assert section.title in html
