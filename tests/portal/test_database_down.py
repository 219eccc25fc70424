"""With the database unreachable, everyone is told so with a 503 (issue 15, point 7): JSON for
the load balancer and the open data API, a page for residents saying nothing was saved."""

from contextlib import contextmanager

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client

from tests.consultations import conftest as consultation_fixtures
from tests.consultations.conftest import section_one

pytestmark = pytest.mark.django_db

# An open consultation under the demo council, as in tests/consultations/.
consultation = consultation_fixtures.consultation

NOTHING_SAVED = "nothing you sent from this page has been saved"


@contextmanager
def database_unreachable(error=OperationalError):
    """Every query fails as it does when the database server has gone away."""

    def refuse(execute, sql, params, many, context):
        raise error("could not connect to server: Connection refused")

    with connection.execute_wrapper(refuse):
        yield


def test_the_health_check_answers_503_json_when_the_database_cannot_be_reached(client):
    with database_unreachable():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "unavailable"


def test_the_health_check_still_answers_ok_when_the_database_is_there(client):
    response = client.get("/healthz")
    assert (response.status_code, response.json()["status"]) == (200, "ok")


def test_a_public_page_says_the_service_is_unavailable_and_nothing_was_saved(client, demo_site):
    with database_unreachable():
        response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert '<h1 class="govuk-heading-l">Sorry, the service is unavailable</h1>' in html
    assert NOTHING_SAVED in html
    assert response["Retry-After"]


def test_a_lost_connection_is_answered_the_same_way(client, demo_site):
    with database_unreachable(InterfaceError):
        response = client.get("/")
    assert response.status_code == 503
    assert NOTHING_SAVED in response.content.decode()


def test_the_unavailable_page_keeps_the_sites_content_security_policy(client, demo_site):
    with database_unreachable():
        response = client.get("/")
    assert "script-src" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_a_resident_part_way_through_a_response_is_told_nothing_was_saved(consultation):
    """Their session is in the database, so the failure comes before any view runs."""
    resident = Client(raise_request_exception=False)
    base = consultation.url + "respond/"
    resident.get(base)
    assert resident.cookies.get("sessionid"), "the resident has a session to load"
    with database_unreachable():
        response = resident.post(base + "section/1/", section_one())
    assert response.status_code == 503
    assert NOTHING_SAVED in response.content.decode()


def test_the_open_data_api_answers_503_json(client, demo_site):
    with database_unreachable():
        response = client.get("/api/v1/consultations/")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_other_server_errors_stay_server_errors(demo_site, monkeypatch):
    from home.models import HomePage

    def broken(self, request, *args, **kwargs):
        raise RuntimeError("a bug, not an outage")

    monkeypatch.setattr(HomePage, "serve", broken)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
