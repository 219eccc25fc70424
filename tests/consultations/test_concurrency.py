"""Storing responses under real concurrency: threads, each with its own database connection.

`submit_response` must be atomic and idempotent when the same submission arrives at the same
moment more than once (a double click reaching two app processes), and one response per account
must hold when one resident submits from several tabs at once. Only a real database enforces
this, so these tests commit: every thread sees what the others have committed, as app processes
do. CI runs them on PostgreSQL; they are skipped on SQLite's in-memory test database (below).
"""

import threading
import uuid

import pytest
from django.core.management import call_command
from django.db import connection

from consultations import journey
from consultations.models import Answer, RankingPosition, Response
from consultations.responses import answers_of, submit_response
from tests.builders import ConsultationPageFactory, UserFactory
from tests.consultations.conftest import section_one, section_two

THREADS = 8
RANKED_ITEMS = 3  # Libraries, Parks, Roads (tests.builders.consultation_questions)
ANSWER_ROWS = 3  # the single choice, the comment and the age band

RANKINGS = [("1", "2", "3"), ("1", "3", "2"), ("2", "1", "3"), ("2", "3", "1")]
RANKINGS += [("3", "1", "2"), ("3", "2", "1")]


def _in_memory_sqlite():
    """SQLite's test database is in memory unless TEST NAME names a file."""
    name = str(connection.settings_dict["TEST"].get("NAME") or ":memory:")
    return connection.vendor == "sqlite" and (name == ":memory:" or "mode=memory" in name)


pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        _in_memory_sqlite(),
        reason="SQLite's in-memory test database uses a shared cache, where concurrent writers "
        "fail with 'database table is locked' instead of queueing; CI runs these tests on "
        "PostgreSQL (DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal)",
    ),
]


@pytest.fixture
def committed_consultation(transactional_db):
    """The `consultation` fixture's page, committed so that other connections can see it."""
    call_command("seed_demo", verbosity=0)
    from wagtail.models import Page

    from consultations.models import ConsultationIndexPage

    index = ConsultationIndexPage.objects.get()
    privacy = Page.objects.get(slug="privacy")
    return ConsultationPageFactory(parent=index, slug="test-consultation", privacy_notice=privacy)


@pytest.fixture
def sign_in_consultation(committed_consultation):
    committed_consultation.require_sign_in = True
    committed_consultation.one_response_per_account = True
    committed_consultation.save_revision().publish()
    committed_consultation.refresh_from_db()
    return committed_consultation


def all_at_once(calls):
    """Run each call in its own thread with its own connection, all released together.

    Returns the calls' results in order; raises the first exception any thread raised.
    """
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), [None] * len(calls)

    def run(index, call):
        try:
            connection.ensure_connection()  # connect before the barrier, so nobody lags behind
            barrier.wait(timeout=30)
            results[index] = call()
        except BaseException as error:  # noqa: BLE001 - reported to the test below
            errors[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"
    for error in errors:
        if error is not None:
            raise error
    return results


def after_the_other_looked(first, second):
    """Run `second` until it has first read the responses table, then all of `first`, then the
    rest of `second`: a race's worst moment, made certain. Returns (first's, second's) results.
    """
    looked, first_done = threading.Event(), threading.Event()

    def wait_for_the_first_after_looking(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if '"consultations_response"' in sql and not looked.is_set():
            looked.set()
            assert first_done.wait(timeout=30), "the first call never finished"
        return result

    def run_second():
        with connection.execute_wrapper(wait_for_the_first_after_looking):
            return second()

    def run_first():
        assert looked.wait(timeout=30), "the second call never read the responses table"
        try:
            return first()
        finally:
            first_done.set()

    second_result, first_result = all_at_once([run_second, run_first])
    return first_result, second_result


def answers_for(page, clean_answers, number):
    """Clean answers that differ from one submitter to the next, so mixed rows would show."""
    data = {
        **section_one(ranking=RANKINGS[number % len(RANKINGS)]),
        **section_two(comments=f"Submitted by thread {number}"),
    }
    return clean_answers(page, data)


def test_the_same_submission_at_the_same_moment_makes_one_response(
    committed_consultation, clean_answers
):
    page = committed_consultation
    questions = journey.questions_of(page)
    answers = answers_for(page, clean_answers, 0)
    token = uuid.uuid4()

    results = all_at_once([lambda: submit_response(page, questions, answers, token)] * THREADS)

    response = Response.objects.get(consultation=page)
    assert response.idempotency_token == token
    assert [created for _, created in results].count(True) == 1
    assert {returned.pk for returned, _ in results} == {response.pk}
    assert {returned.reference for returned, _ in results} == {response.reference}
    assert RankingPosition.objects.filter(response__consultation=page).count() == RANKED_ITEMS
    assert Answer.objects.filter(response__consultation=page).count() == ANSWER_ROWS
    assert answers_of(response, questions) == answers


def test_one_account_submitting_from_many_tabs_keeps_one_whole_response(
    sign_in_consultation, clean_answers
):
    page = sign_in_consultation
    resident = UserFactory()
    questions = journey.questions_of(page)
    submissions = [answers_for(page, clean_answers, n) for n in range(THREADS)]

    def submit(answers):
        return lambda: submit_response(page, questions, answers, uuid.uuid4(), user=resident)

    results = all_at_once([submit(answers) for answers in submissions])

    response = Response.objects.get(consultation=page)
    assert response.user == resident
    assert response.one_per_account_key == resident.pk
    assert [created for _, created in results].count(True) == 1
    assert {returned.pk for returned, _ in results} == {response.pk}
    # One complete set of answers, all from the same submission: nothing doubled, nothing mixed.
    assert RankingPosition.objects.filter(response__consultation=page).count() == RANKED_ITEMS
    assert Answer.objects.filter(response__consultation=page).count() == ANSWER_ROWS
    assert answers_of(response, questions) in submissions


def test_one_account_sending_the_same_submission_at_once_stores_it_unchanged(
    sign_in_consultation, clean_answers
):
    """A double click on a one-response-per-account consultation is one new response, not a
    response then "updated" by its own copy (the copy that looked just before it was stored)."""
    page = sign_in_consultation
    resident = UserFactory()
    questions = journey.questions_of(page)
    answers = answers_for(page, clean_answers, 0)
    token = uuid.uuid4()

    def send():
        return submit_response(page, questions, answers, token, user=resident)

    (first, first_created), (second, second_created) = after_the_other_looked(send, send)

    response = Response.objects.get(consultation=page)
    assert (first_created, second_created) == (True, False)
    assert first.pk == second.pk == response.pk
    assert response.updated_at is None


def test_different_residents_at_the_same_moment_make_a_response_each(
    committed_consultation, clean_answers
):
    page = committed_consultation
    questions = journey.questions_of(page)
    submissions = [answers_for(page, clean_answers, n) for n in range(THREADS)]

    def submit(answers):
        return lambda: submit_response(page, questions, answers, uuid.uuid4())

    results = all_at_once([submit(answers) for answers in submissions])

    responses = Response.objects.filter(consultation=page)
    assert responses.count() == THREADS
    assert all(created for _, created in results)
    assert len({returned.reference for returned, _ in results}) == THREADS
    assert set(responses.values_list("reference", flat=True)) == {
        returned.reference for returned, _ in results
    }
    assert RankingPosition.objects.filter(response__consultation=page).count() == (
        THREADS * RANKED_ITEMS
    )
    assert Answer.objects.filter(response__consultation=page).count() == THREADS * ANSWER_ROWS
    stored = [answers_of(returned, questions) for returned, _ in results]
    assert sorted(map(repr, stored)) == sorted(map(repr, submissions))
