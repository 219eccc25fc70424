"""Sending responses, saving drafts, "Update totals" and the open data API are limited per client,
with a friendly page (429) that stores nothing; answers in progress cannot swell the session."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils.datastructures import MultiValueDict

from consultations import journey
from consultations.models import ResponseDraft
from consultations.question_types.base import field_name
from tests.builders import UserFactory
from tests.consultations.conftest import ids, respond, section_one, section_two, submit

pytestmark = pytest.mark.django_db

JUNK = "x" * 200_000


@pytest.fixture
def limits(settings):
    """Set some limits low for one test: limits(respond="2/h")."""

    def set_limits(**rates):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, **rates}

    return set_limits


def section_url(page, number):
    return f"{page.url}respond/section/{number}/"


def update_totals(client, page, data):
    return client.post(section_url(page, 2), {**data, "action": "update"})


# Sending a response ----------------------------------------------------------------------------


def test_sending_too_many_responses_shows_the_too_many_attempts_page(client, consultation, limits):
    limits(respond="2/h")
    submit(client, consultation)
    submit(client, consultation)
    refused, _token = submit(client, consultation)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Too many attempts" in html
    assert "Wait an hour and try again" in html
    assert int(refused["Retry-After"]) > 0


def test_a_refused_response_is_not_stored(client, consultation, limits):
    limits(respond="2/h")
    submit(client, consultation)
    submit(client, consultation)
    submit(client, consultation)
    assert consultation.responses.count() == 2


def test_two_clients_are_limited_separately(consultation, limits):
    limits(respond="1/h")
    first, second = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    assert submit(first, consultation)[0].status_code == 302
    assert submit(second, consultation)[0].status_code == 302
    assert submit(first, consultation)[0].status_code == 429
    assert consultation.responses.count() == 2


def test_two_clients_behind_the_trusted_proxy_are_limited_separately(
    consultation, limits, settings
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    limits(respond="1/h")
    proxy = "10.0.0.1"
    first = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.1")
    second = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert submit(first, consultation)[0].status_code == 302
    assert submit(second, consultation)[0].status_code == 302
    assert submit(first, consultation)[0].status_code == 429


def test_without_a_trusted_proxy_a_forged_forwarding_header_does_not_escape_the_limit(
    consultation, limits
):
    limits(respond="1/h")
    first = Client(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    forged = Client(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert submit(first, consultation)[0].status_code == 302
    assert submit(forged, consultation)[0].status_code == 429


# Update totals and drafts ----------------------------------------------------------------------


def test_update_totals_too_often_shows_the_too_many_attempts_page_and_keeps_nothing(
    client, consultation, limits
):
    limits(update_totals="2/h")
    respond(client, consultation)
    update_totals(client, consultation, section_two(comments="First"))
    update_totals(client, consultation, section_two(comments="Second"))
    refused = update_totals(client, consultation, section_two(comments="Third"))
    assert refused.status_code == 429
    shown = client.get(section_url(consultation, 2)).content.decode()
    assert "Second" in shown and "Third" not in shown


def test_saving_drafts_too_often_shows_the_too_many_attempts_page_and_saves_nothing(
    client, consultation, limits
):
    limits(save_draft="1/h")
    resident = UserFactory()
    EmailAddress.objects.create(user=resident, email=resident.email, verified=True, primary=True)
    client.force_login(resident)
    client.get(consultation.url + "respond/")
    client.post(section_url(consultation, 1), {**section_one(), "action": "save"})
    ResponseDraft.objects.all().delete()
    refused = client.post(section_url(consultation, 1), {**section_one(), "action": "save"})
    assert refused.status_code == 429
    assert not ResponseDraft.objects.exists()


def session_size(client):
    return len(Session.objects.get(session_key=client.session.session_key).session_data)


def test_update_totals_with_large_junk_ten_times_does_not_grow_the_session_past_a_cap(
    client, consultation
):
    respond(client, consultation)
    comments = field_name(ids()["comments"])
    for _ in range(10):
        update_totals(client, consultation, {**section_two(), comments: [JUNK] * 5})
    assert session_size(client) < 40_000


def test_a_kept_answer_holds_at_most_one_character_more_than_any_question_allows(consultation):
    second = journey.sections_of(consultation)[1]
    comments = field_name(ids()["comments"])
    kept = journey.section_data(second, MultiValueDict({comments: [JUNK] * 5}))
    assert [len(value) for value in kept[comments]] == [journey.MAX_FIELD_CHARACTERS]


# The open data API -----------------------------------------------------------------------------


def test_the_api_answers_too_many_requests_with_a_json_error(client, db, limits):
    limits(open_data_api="2/m")
    client.get("/api/v1/schema/?format=json")
    client.get("/api/v1/schema/?format=json")
    refused = client.get("/api/v1/consultations/?format=json")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert refused.json() == {"error": "Too many requests. Wait a minute and try again."}
    assert int(refused["Retry-After"]) > 0


def test_api_clients_are_limited_separately(db, limits):
    limits(open_data_api="1/m")
    first, second = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    assert first.get("/api/v1/schema/?format=json").status_code == 200
    assert second.get("/api/v1/schema/?format=json").status_code == 200
    assert first.get("/api/v1/schema/?format=json").status_code == 429
