"""Officers write outcomes in the Wagtail admin and publish them through the sign-off workflow."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from consultations.models import ModerationStatus, OutcomePage, OutcomeSubscription
from tests.consultations.test_outcomes import closed_consultation, comment

pytestmark = pytest.mark.django_db


def officer(email):
    return get_user_model().objects.get(email=email)


@pytest.fixture
def editor(client, demo_site):
    client.force_login(officer("editor@kingsmere.example"))
    return client


@pytest.fixture
def closed(demo_site):
    return closed_consultation()


def create_url(parent):
    return reverse("wagtailadmin_pages:add", args=("consultations", "outcomepage", parent.pk))


def outcome_form(quotes=(), decisions=None, action="action-submit"):
    return nested_form_data(
        {
            "title": "Libraries: what we did",
            "summary": "We kept the libraries open.",
            "you_said": rich_text("<p>You wanted the libraries kept open.</p>"),
            "show_results": "on",
            "we_did_intro": rich_text(""),
            "quotes": inline_formset([{"comment": str(quoted.pk)} for quoted in quotes]),
            "decisions": inline_formset(
                decisions
                or [
                    {
                        "decision": "Keep the libraries open on Saturdays",
                        "detail": "",
                        "status": "done",
                        "reason": "",
                        "decided_on": "2026-03-01",
                        "expected_by": "",
                    }
                ]
            ),
            action: "Submit",
        }
    )


def test_an_editor_submits_an_outcome_for_sign_off_and_cannot_publish_it(editor, closed):
    quoted = comment(closed, "Keep Saturday opening", ModerationStatus.APPROVED)
    response = editor.post(create_url(closed), outcome_form(quotes=[quoted]))
    assert response.status_code == 302, response.context["form"].errors
    page = OutcomePage.objects.child_of(closed).get()
    assert not page.live
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Sign-off by a consultation approver"
    assert not page.permissions_for_user(officer("editor@kingsmere.example")).can_publish()


def test_an_editor_who_tries_to_publish_only_saves_a_draft(editor, closed):
    editor.post(create_url(closed), outcome_form(action="action-publish"))
    assert not OutcomePage.objects.child_of(closed).get().live


def test_an_approver_approves_the_outcome_and_it_goes_live(client, editor, closed):
    editor.post(create_url(closed), outcome_form())
    page = OutcomePage.objects.child_of(closed).get()
    task_state = WorkflowState.objects.get(object_id=str(page.pk)).current_task_state
    client.force_login(officer("approver@kingsmere.example"))
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk)),
        {"comment": ""},
    )
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    assert client.get(page.url).status_code == 200


def told(address="resident@example.org"):
    return [message for message in mail.outbox if address in message.to]


def test_approving_the_outcome_emails_the_residents_waiting_for_it(
    client, editor, closed, django_capture_on_commit_callbacks
):
    OutcomeSubscription.objects.create(
        consultation=closed, email="resident@example.org", confirmed_at=timezone.now()
    )
    editor.post(create_url(closed), outcome_form())
    assert told() == []  # submitted for sign-off is not published (approvers are told, by Wagtail)
    page = OutcomePage.objects.child_of(closed).get()
    task_state = WorkflowState.objects.get(object_id=str(page.pk)).current_task_state
    client.force_login(officer("approver@kingsmere.example"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk)),
            {"comment": ""},
        )
    assert len(told()) == 1
    assert page.get_full_url() in told()[0].body
    assert not OutcomeSubscription.objects.exists()


def test_the_form_refuses_a_pending_comment_as_a_quote(editor, closed):
    pending = comment(closed, "Not read yet")
    response = editor.post(create_url(closed), outcome_form(quotes=[pending]))
    assert response.status_code == 200
    assert "cannot be quoted" in response.content.decode()
    assert not OutcomePage.objects.child_of(closed).exists()


def test_the_form_refuses_a_comment_from_another_consultation(editor, closed):
    other = closed_consultation(slug="another")
    elsewhere = comment(other, "Parks please", ModerationStatus.APPROVED)
    response = editor.post(create_url(closed), outcome_form(quotes=[elsewhere]))
    assert response.status_code == 200
    assert "made in another consultation" in response.content.decode()
    assert not OutcomePage.objects.child_of(closed).exists()


def test_the_form_refuses_a_decision_not_taken_forward_without_a_reason(editor, closed):
    response = editor.post(
        create_url(closed),
        outcome_form(
            decisions=[
                {
                    "decision": "Open a café",
                    "status": "not_taken_forward",
                    "reason": "",
                    "decided_on": "2026-03-01",
                }
            ]
        ),
    )
    assert response.status_code == 200
    assert "Say why this proposal was not taken forward." in response.content.decode()
    assert not OutcomePage.objects.child_of(closed).exists()


def test_adding_an_outcome_to_an_open_consultation_says_why_not(editor, consultation):
    response = editor.get(create_url(consultation))
    assert response.status_code == 302
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("only once the consultation has closed" in message for message in messages)
    response = editor.post(create_url(consultation), outcome_form())
    assert response.status_code == 302
    assert not OutcomePage.objects.child_of(consultation).exists()


# The comment chooser ---------------------------------------------------------------------------


def chooser(client, **params):
    return client.get(reverse("published_comment_chooser:choose_results"), params)


def test_the_chooser_lists_only_published_comments(editor, closed):
    comment(closed, "Approved about libraries", ModerationStatus.APPROVED)
    comment(closed, "Original with a name", ModerationStatus.REDACTED, "Redacted about parks")
    comment(closed, "Pending about roads")
    comment(closed, "Rejected about bins", ModerationStatus.REJECTED)
    html = chooser(editor).content.decode()
    assert "Approved about libraries" in html
    assert "Redacted about parks" in html
    for hidden in ("Original with a name", "Pending about roads", "Rejected about bins"):
        assert hidden not in html


def test_the_chooser_filters_by_consultation_and_searches_the_public_words(editor, closed):
    other = closed_consultation(slug="another")
    comment(closed, "Libraries on Saturday", ModerationStatus.APPROVED)
    comment(closed, "Libraries on Sunday", ModerationStatus.APPROVED)
    comment(other, "Libraries elsewhere", ModerationStatus.APPROVED)
    html = chooser(editor, consultation=closed.pk, q="saturday").content.decode()
    assert "Libraries on Saturday" in html
    assert "Libraries on Sunday" not in html
    assert "Libraries elsewhere" not in html


def test_the_chooser_will_not_return_an_unpublished_comment(editor, closed):
    pending = comment(closed, "Pending")
    url = reverse("published_comment_chooser:chosen", args=(pending.pk,))
    assert editor.get(url).status_code == 404


def test_the_quote_panel_uses_the_chooser_not_a_select_of_every_comment(editor, closed):
    html = editor.get(create_url(closed)).content.decode()
    assert reverse("published_comment_chooser:choose") in html
    assert '<select name="quotes-__prefix__-comment"' not in html


def test_the_chooser_modal_opens_with_a_consultation_filter(editor, closed):
    comment(closed, "Approved about libraries", ModerationStatus.APPROVED)
    response = editor.get(reverse("published_comment_chooser:choose"))
    html = response.json()["html"]
    assert response.status_code == 200
    assert 'name="consultation"' in html
    assert closed.title in html
    assert "Approved about libraries" in html


def test_an_outcome_page_limits_the_quote_chooser_to_its_consultation(editor, closed):
    html = editor.get(create_url(closed)).content.decode()
    assert f'<input type="hidden" id="outcome-quote-consultation" value="{closed.pk}">' in html
    assert "#outcome-quote-consultation" in html  # the chooser widget's linked field
    assert f"Quotes come from the approved comments to ‘{closed.title}’" in html


def test_opened_for_one_consultation_the_chooser_offers_no_other(editor, closed):
    other = closed_consultation(slug="another")
    comment(closed, "Libraries on Saturday", ModerationStatus.APPROVED)
    comment(other, "Libraries elsewhere", ModerationStatus.APPROVED)
    response = editor.get(reverse("published_comment_chooser:choose"), {"consultation": closed.pk})
    html = response.json()["html"]
    assert "Libraries on Saturday" in html
    assert "Libraries elsewhere" not in html
    assert f'<input type="hidden" name="consultation" value="{closed.pk}"' in html
    assert "All consultations" not in html
    searched = chooser(editor, consultation=closed.pk, q="libraries").content.decode()
    assert "Libraries on Saturday" in searched and "Libraries elsewhere" not in searched


def test_an_outcome_lives_at_the_consultation_address_and_outcome_not_a_repeated_title(
    editor, closed
):
    form_html = editor.get(create_url(closed)).content.decode()
    assert 'name="slug"' not in form_html
    data = outcome_form()
    data["title"] = f"{closed.title}: what we did"
    response = editor.post(create_url(closed), data)
    assert response.status_code == 302, response.context["form"].errors
    page = OutcomePage.objects.child_of(closed).get()
    assert page.slug == "outcome"
    assert page.url_path == closed.url_path + "outcome/"


def test_an_existing_outcome_opens_in_the_editor_with_its_consultation_and_no_slug(editor, closed):
    editor.post(create_url(closed), outcome_form())
    page = OutcomePage.objects.child_of(closed).get()
    edit_url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    response = editor.get(edit_url)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<input type="hidden" id="outcome-quote-consultation" value="{closed.pk}">' in html
    assert 'name="slug"' not in html
    assert page.slug == "outcome"
