"""Pressing "Send response" twice at once: both requests end at the same confirmation.

A double click sends two final POSTs with one session cookie and one token. Whichever request
loses the race must find the response the other stored and show its reference, never the first
section with errors (a resident who then fills it in again stores a duplicate), and the resident
gets one receipt. Only a real database shows the race, so these tests commit and run the requests
in threads, each with its own connection, as two app processes would. CI runs them on PostgreSQL;
they are skipped on SQLite's in-memory test database (see tests/consultations/test_concurrency.py).
"""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from consultations.models import Response
from tests.consultations import test_concurrency
from tests.consultations.conftest import respond
from tests.consultations.test_concurrency import (
    _in_memory_sqlite,
    after_the_other_looked,
    all_at_once,
)

committed_consultation = test_concurrency.committed_consultation  # the fixture, shared

PAIRS = 30
REFERENCE = re.compile(r"KBC-[A-Z2-9]{4}-[A-Z2-9]{4}")

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        _in_memory_sqlite(),
        reason="SQLite's in-memory test database uses a shared cache, where concurrent writers "
        "fail with 'database table is locked' instead of queueing; CI runs these tests on "
        "PostgreSQL (DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal)",
    ),
]


def send_response(page, session_cookie, data):
    """A browser with this session pressing "Send response"; returns the page it ends on."""

    def send():
        browser = Client()
        browser.cookies[session_cookie.key] = session_cookie.value
        return browser.post(page.url + "respond/check/", data, follow=True)

    return send


def where(final, stored):
    """Status, address and whether the page shows the stored reference (and no other)."""
    shown = REFERENCE.findall(final.content.decode())
    return final.status_code, final.request["PATH_INFO"], shown == [stored.reference]


def answered(client, page, settings):
    """A fresh resident who has answered every section: their session cookie and token."""
    client.cookies.clear()
    token = respond(client, page).context["token"]
    return client.cookies[settings.SESSION_COOKIE_NAME], token


def test_send_response_pressed_twice_at_once_ends_at_one_confirmation_with_one_receipt(
    committed_consultation, client, settings
):
    page = committed_consultation
    confirmation = (200, page.url + "respond/confirmation/", True)
    outcomes = []
    for _pair in range(PAIRS):
        cache.clear()  # the rate limits count every post from this test's address
        mail.outbox.clear()
        session_cookie, token = answered(client, page, settings)
        data = {"token": token, "receipt_email": "resident@example.com"}

        finals = all_at_once([send_response(page, session_cookie, data)] * 2)

        stored = Response.objects.get(consultation=page, idempotency_token=token)
        outcomes.append(([where(final, stored) for final in finals], len(mail.outbox)))
    assert outcomes == [([confirmation, confirmation], 1)] * PAIRS
    assert Response.objects.filter(consultation=page).count() == PAIRS


def test_a_send_that_looked_before_the_other_stored_the_response_still_ends_at_its_confirmation(
    committed_consultation, client, settings
):
    """The worst moment, made certain: the second request has looked for the token and found
    nothing, then the first stores the response and saves the session before the second goes on.

    The staff middleware happens to read every session before any view runs, which hides this
    moment; the journey must not depend on that, so this test runs without it.
    """
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if "staff_security" not in name]
    page = committed_consultation
    session_cookie, token = answered(client, page, settings)
    send = send_response(page, session_cookie, {"token": token})

    first_final, second_final = after_the_other_looked(send, send)

    stored = Response.objects.get(consultation=page)
    confirmation = (200, page.url + "respond/confirmation/", True)
    assert [where(first_final, stored), where(second_final, stored)] == [confirmation] * 2
