from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from consultations.models import Answer, RankingBallot, RankingPosition
from consultations.question_types.base import field_name
from tests.consultations.conftest import ids, respond, section_one, section_two, submit

pytestmark = pytest.mark.django_db


def test_consultation_page_shows_status_dates_and_start_button(client, consultation):
    html = client.get(consultation.url).content.decode()
    assert "Open" in html and "Respond to this consultation" in html
    assert consultation.url + "respond/" in html


def test_valid_response_is_stored_as_rows_sql_can_count(client, consultation):
    response, _token = submit(client, consultation)
    assert response.status_code == 302
    stored = consultation.responses.get()
    assert stored.channel == "online" and stored.reference.startswith("KBC-")
    q = ids()
    positions = dict(
        RankingPosition.objects.filter(response=stored).values_list("item_id", "position")
    )
    assert positions == {q["libraries"]: 1, q["parks"]: 2, q["roads"]: 3}
    # The same ranking as the one ballot results count.
    assert (
        RankingBallot.objects.get(response=stored, question_id=q["ranking"]).positions == positions
    )
    assert Answer.objects.get(response=stored, question_id=q["choice"]).option == q["yes"]
    assert Answer.objects.get(response=stored, question_id=q["comments"]).text == (
        "Keep the libraries open"
    )
    assert Answer.objects.get(response=stored, part="age_band").option == "35_44"


def test_confirmation_page_shows_the_reference(client, consultation):
    response, _token = submit(client, consultation)
    confirmation = client.get(response.headers["Location"])
    assert consultation.responses.get().reference in confirmation.content.decode()


def test_double_submit_makes_one_response(client, consultation):
    first, token = submit(client, consultation)
    second = client.post(consultation.url + "respond/check/", {"token": token})
    assert consultation.responses.count() == 1
    assert second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]


def test_invalid_section_redisplays_with_linked_error_summary_and_stores_nothing(
    client, consultation
):
    q = ids()
    client.get(consultation.url + "respond/")
    page = client.post(
        consultation.url + "respond/section/1/", section_one(ranking=("1", "1", "3"))
    )
    html = page.content.decode()
    assert page.status_code == 400
    assert "There is a problem" in html
    assert f'href="#{field_name(q["ranking"], q["libraries"])}"' in html
    assert "Libraries and Parks cannot both be number 1" in html
    assert consultation.responses.count() == 0


def test_tampered_extra_field_is_refused(client, consultation):
    client.get(consultation.url + "respond/")
    data = {**section_one(), "q-not-a-question": "1"}
    page = client.post(consultation.url + "respond/section/1/", data)
    assert page.status_code == 400
    assert "fields this page does not ask for" in page.content.decode()


def test_tampered_option_is_refused_with_a_message(client, consultation):
    client.get(consultation.url + "respond/")
    page = client.post(
        consultation.url + "respond/section/1/", section_one(choice="made-up-option")
    )
    assert page.status_code == 400
    assert "Select one of the answers shown" in page.content.decode()


def test_text_over_the_limit_is_refused(client, consultation):
    client.get(consultation.url + "respond/")
    client.post(consultation.url + "respond/section/1/", section_one())
    page = client.post(consultation.url + "respond/section/2/", section_two(comments="x" * 51))
    assert page.status_code == 400
    assert "50 characters or fewer" in page.content.decode()


def test_skipping_a_required_section_cannot_submit(client, consultation):
    client.get(consultation.url + "respond/")
    client.post(consultation.url + "respond/section/1/", section_one())
    check = client.get(consultation.url + "respond/check/")
    assert check.status_code == 302
    assert check.headers["Location"].endswith("respond/section/2/?show_errors=1")
    assert "Enter your answer" in client.get(check.headers["Location"]).content.decode()
    assert consultation.responses.count() == 0


def test_forged_token_on_check_page_stores_nothing(client, consultation):
    respond(client, consultation)
    page = client.post(
        consultation.url + "respond/check/", {"token": "00000000-0000-0000-0000-000000000000"}
    )
    assert page.status_code == 400
    assert consultation.responses.count() == 0


def test_check_answers_lists_every_answer_with_change_links(client, consultation):
    html = respond(client, consultation).content.decode()
    assert "1. Libraries" in html and "3. Roads" in html
    assert "Keep the libraries open" in html
    assert "respond/section/2/?return_to=check#question-" in html


def test_change_link_returns_to_check_answers(client, consultation):
    respond(client, consultation)
    page = client.post(
        consultation.url + "respond/section/2/",
        {**section_two(comments="Changed my mind"), "return_to": "check"},
    )
    assert page.headers["Location"].endswith("respond/check/")
    assert "Changed my mind" in client.get(page.headers["Location"]).content.decode()


@pytest.mark.parametrize(
    ("opens", "closes", "heading"),
    [(1, 30, "not open yet"), (-30, -1, "has closed")],
)
def test_upcoming_and_closed_consultations_refuse_responses(
    client, consultation, opens, closes, heading
):
    now = timezone.now()
    consultation.opens_at = now + timedelta(days=opens)
    consultation.closes_at = now + timedelta(days=closes)
    consultation.save_revision().publish()
    page = client.get(consultation.url + "respond/section/1/")
    assert heading in page.content.decode()
    posted = client.post(consultation.url + "respond/section/1/", section_one())
    assert posted.status_code == 403
    assert client.post(consultation.url + "respond/check/", {"token": "x"}).status_code == 403
    assert consultation.responses.count() == 0


def test_consultation_without_privacy_notice_cannot_open(consultation):
    consultation.privacy_notice = None
    assert not consultation.accepts_responses
    with pytest.raises(Exception, match="privacy notice"):
        consultation.full_clean()


def test_emailed_receipt_has_reference_but_not_answers_and_email_is_not_stored(
    client, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, consultation, receipt_email="resident@example.org")
    assert len(mail.outbox) == 1
    reference = consultation.responses.get().reference
    assert reference in mail.outbox[0].subject
    assert "Keep the libraries open" not in mail.outbox[0].body  # an unchecked address
    assert not Answer.objects.filter(text__contains="resident@example.org").exists()


def test_receipt_with_bad_email_shows_error_and_stores_nothing(client, consultation):
    response, _token = submit(client, consultation, receipt_email="nope")
    assert response.status_code == 400
    assert "correct format" in response.content.decode()
    assert consultation.responses.count() == 0
