"""Background exports that stop: a worker killed half-way, or an export far too late, is marked
failed with a clear message, its half-made file goes, and the officer can ask again at once."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, PageLogEntry

from consultations.models import ExportStatus, ResponseExport
from consultations.spreadsheets import tasks
from consultations.spreadsheets.log_actions import EXPORT_RESPONSES
from portal.roles import ANALYSTS
from tests.consultations.test_export_admin import (
    export,
    exports_in_the_background,
    make_responses,
    make_survey,
    officer,
    respond,
    status_url,
    worker_in_this_test,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def responses(db):
    return make_responses(make_survey())


@pytest.fixture
def analyst(db):
    return officer(ANALYSTS)


@pytest.fixture
def exports_root(settings, tmp_path, monkeypatch):
    return exports_in_the_background(settings, tmp_path, monkeypatch)


@pytest.fixture
def run_worker(monkeypatch):
    yield from worker_in_this_test(monkeypatch)


def ask_again_url(made):
    return reverse("consultation_responses:export_again", args=[made.pk])


def queued_export(client, analyst, page, **data):
    client.force_login(analyst)
    export(client, page, format="xlsx", **data)
    return ResponseExport.objects.latest("pk")


def being_made(made, heartbeat_seconds_ago, requested_minutes_ago=1):
    """The export as a worker left it: running, its last heartbeat so long ago."""
    now = timezone.now()
    ResponseExport.objects.filter(pk=made.pk).update(
        status=ExportStatus.RUNNING,
        requested_at=now - timedelta(minutes=requested_minutes_ago),
        heartbeat_at=now - timedelta(seconds=heartbeat_seconds_ago),
    )
    made.refresh_from_db()
    return made


def half_made_file(made):
    path = tasks.exports_folder() / f"response-export-{made.pk}-abc123.part"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PK half a workbook")
    return path


# The rule ---------------------------------------------------------------------------------------


def test_an_export_whose_worker_stopped_beating_is_marked_failed_and_its_file_deleted(
    client, analyst, responses, exports_root, settings
):
    settings.EXPORT_HEARTBEAT_TIMEOUT_SECONDS = 120
    made = being_made(queued_export(client, analyst, responses[0].consultation), 121)
    part = half_made_file(made)

    page = client.get(status_url(made)).content.decode()

    made.refresh_from_db()
    assert (made.status, made.failure_message) == (ExportStatus.FAILED, tasks.STOPPED)
    assert tasks.STOPPED in page and "Ask for the same export again" in page
    assert "Check again" not in page
    assert not part.exists()


def test_an_export_whose_worker_beat_recently_is_still_being_made(
    client, analyst, responses, exports_root, settings
):
    settings.EXPORT_HEARTBEAT_TIMEOUT_SECONDS = 120
    made = being_made(queued_export(client, analyst, responses[0].consultation), 100)
    part = half_made_file(made)

    page = client.get(status_url(made)).content.decode()

    made.refresh_from_db()
    assert made.status == ExportStatus.RUNNING
    assert "being made" in page and "Check again" in page
    assert part.exists()


def test_an_export_waiting_for_a_worker_is_not_stopped_before_the_maximum(
    client, analyst, responses, exports_root, settings
):
    settings.EXPORT_HEARTBEAT_TIMEOUT_SECONDS = 120
    made = queued_export(client, analyst, responses[0].consultation)
    ResponseExport.objects.filter(pk=made.pk).update(
        requested_at=timezone.now() - timedelta(minutes=30)
    )

    assert "waiting to start" in client.get(status_url(made)).content.decode()


def test_an_export_not_made_within_the_maximum_is_stopped_though_its_worker_beats(
    client, analyst, responses, exports_root, settings
):
    settings.EXPORT_MAX_SECONDS = 3600
    made = being_made(
        queued_export(client, analyst, responses[0].consultation), 1, requested_minutes_ago=61
    )

    page = client.get(status_url(made)).content.decode()

    made.refresh_from_db()
    assert (made.status, made.failure_message) == (ExportStatus.FAILED, tasks.TOO_LONG)
    assert tasks.TOO_LONG in page


def test_asking_again_at_once_replaces_an_export_whose_worker_died(
    client, analyst, responses, exports_root, settings
):
    settings.EXPORT_HEARTBEAT_TIMEOUT_SECONDS = 120
    page = responses[0].consultation
    stuck = being_made(queued_export(client, analyst, page), 121)

    asked = export(client, page, format="xlsx")  # well within the ten minutes a request counts

    fresh = ResponseExport.objects.latest("pk")
    assert fresh.pk != stuck.pk and fresh.status == ExportStatus.QUEUED
    assert asked["Location"] == status_url(fresh)
    stuck.refresh_from_db()
    assert stuck.status == ExportStatus.FAILED


def test_the_export_form_lists_a_stopped_export_as_failed(
    client, analyst, responses, exports_root, settings
):
    settings.EXPORT_HEARTBEAT_TIMEOUT_SECONDS = 120
    page = responses[0].consultation
    being_made(queued_export(client, analyst, page), 121)

    form = client.get(reverse("consultation_responses:export", args=[page.pk])).content.decode()

    assert ": Failed</li>" in form and "Being made" not in form


def test_the_ask_again_button_queues_the_same_export(
    client, analyst, responses, exports_root, settings
):
    settings.EXPORT_HEARTBEAT_TIMEOUT_SECONDS = 120
    page = responses[0].consultation
    stuck = being_made(
        queued_export(
            client, analyst, page, channels=["online", "paper"], submitted_from="2026-03-02"
        ),
        121,
    )
    client.get(status_url(stuck))

    asked = client.post(ask_again_url(stuck))

    fresh = ResponseExport.objects.latest("pk")
    assert asked.status_code == 302 and asked["Location"] == status_url(fresh)
    assert fresh.pk != stuck.pk and fresh.status == ExportStatus.QUEUED
    assert (fresh.file_format, fresh.filters, fresh.personal_data) == (
        stuck.file_format,
        stuck.filters,
        stuck.personal_data,
    )


def test_asking_again_for_an_export_still_being_made_makes_no_second_one(
    client, analyst, responses, exports_root
):
    made = being_made(queued_export(client, analyst, responses[0].consultation), 1)

    asked = client.post(ask_again_url(made))

    assert asked["Location"] == status_url(made)
    assert ResponseExport.objects.count() == 1


def test_a_worker_whose_export_was_marked_stopped_leaves_no_file_behind(
    client, analyst, responses, exports_root, run_worker, monkeypatch
):
    made = queued_export(client, analyst, responses[0].consultation)
    beat = tasks.beat

    def stopped_meanwhile(export_id):
        # The worker was slow, the status page judged it dead, and the officer was told so.
        ResponseExport.objects.filter(pk=export_id).update(
            status=ExportStatus.FAILED, failure_message=tasks.STOPPED
        )
        beat(export_id)

    monkeypatch.setattr(tasks, "beat", stopped_meanwhile)

    run_worker()

    made.refresh_from_db()
    assert (made.status, made.failure_message) == (ExportStatus.FAILED, tasks.STOPPED)
    assert not list(exports_root.iterdir())
    assert not PageLogEntry.objects.filter(action=EXPORT_RESPONSES).exists()


def test_the_worker_beats_while_it_makes_an_export(
    client, analyst, responses, exports_root, run_worker
):
    made = queued_export(client, analyst, responses[0].consultation)
    before = timezone.now()

    run_worker()

    made.refresh_from_db()
    assert made.status == ExportStatus.READY
    assert made.heartbeat_at is not None and made.heartbeat_at >= before


def test_apply_retention_fails_stopped_exports_and_deletes_orphaned_half_made_files(
    client, analyst, responses, exports_root, settings
):
    settings.EXPORT_HEARTBEAT_TIMEOUT_SECONDS = 120
    page = responses[0].consultation
    dead = being_made(queued_export(client, analyst, page), 121)
    alive = being_made(queued_export(client, analyst, page, channels=["online", "paper"]), 1)
    dead_part, alive_part = half_made_file(dead), half_made_file(alive)
    orphan = tasks.exports_folder() / "response-export-999999-xyz.part"  # its export is gone
    orphan.write_bytes(b"half")
    unnamed = tasks.exports_folder() / "tmp1234.part"  # from before parts were named
    unnamed.write_bytes(b"half")
    ten_minutes_ago = (timezone.now() - timedelta(minutes=10)).timestamp()
    os.utime(unnamed, (ten_minutes_ago, ten_minutes_ago))
    output = StringIO()

    call_command("apply_retention", stdout=output)

    dead.refresh_from_db()
    alive.refresh_from_db()
    assert (dead.status, alive.status) == (ExportStatus.FAILED, ExportStatus.RUNNING)
    assert not dead_part.exists() and not orphan.exists() and not unnamed.exists()
    assert alive_part.exists()
    assert "Marked 1 stopped response export(s) failed; deleted 2 half-made" in output.getvalue()


# A real worker, killed half-way -----------------------------------------------------------------


@pytest.fixture
def shared_database(transactional_db, tmp_path):
    """The test database as a URL a second process can open.

    PostgreSQL's test database is one already. SQLite's is in this process's memory: it is
    copied to a file, and this test's connection uses the file until the test ends.
    """
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        yield (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
            f":{db['PORT'] or 5432}/{db['NAME']}"
        )
        return
    connection.ensure_connection()
    memory = connection.connection
    path = tmp_path / "portal.sqlite3"
    copy = sqlite3.connect(path)
    memory.backup(copy)
    copy.close()
    memory_name = connection.settings_dict["NAME"]
    connection.connection = None  # the memory database stays open: `memory` holds it
    connection.settings_dict["NAME"] = str(path)
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        connection.settings_dict["NAME"] = memory_name
        connection.connection = memory


def start_slow_worker(database_url, folder):
    env = {**os.environ, "DATABASE_URL": database_url, "PRIVATE_EXPORTS_ROOT": str(folder)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.Popen(
        [sys.executable, "-m", "tests.consultations.slow_export_worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_until(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Waited {seconds} s for {what}")
        time.sleep(0.05)


def ensure_the_page_tree():
    """Wagtail's root page and default locale, which its migrations make. A transactional test
    empties the database when it ends; `serialized_rollback` should put them back, but on a busy
    CI worker this test once started without them, so it makes sure of them itself."""
    locale, _made = Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(django_settings.LANGUAGE_CODE)
    )
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_export_whose_real_worker_is_killed_fails_clearly_and_can_be_asked_for_again(
    client, analyst, shared_database, exports_root, settings
):
    ensure_the_page_tree()
    survey = make_survey()
    make_responses(survey)
    for day in range(1, 29):
        respond(survey, day)
    settings.EXPORT_HEARTBEAT_TIMEOUT_SECONDS = 2
    made = queued_export(client, analyst, survey)
    worker = start_slow_worker(shared_database, exports_root)
    try:

        def half_way():
            if worker.poll() is not None:
                raise AssertionError(f"The worker stopped: {worker.stderr.read().decode()}")
            made.refresh_from_db()
            return made.heartbeat_at is not None and tasks.part_files(made)

        # Starting Django in a new process can take a while on a busy machine.
        wait_until(half_way, 120, "the worker to start making the export")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == -signal.SIGKILL, worker.stderr.read().decode()
    (part,) = tasks.part_files(made)
    assert "being made" in client.get(status_url(made)).content.decode()

    time.sleep(settings.EXPORT_HEARTBEAT_TIMEOUT_SECONDS + 0.2)
    page = client.get(status_url(made)).content.decode()

    assert tasks.STOPPED in page
    assert not part.exists() and not list(exports_root.iterdir())
    asked = export(client, survey, format="xlsx")
    fresh = ResponseExport.objects.latest("pk")
    assert fresh.pk != made.pk and fresh.status == ExportStatus.QUEUED
    assert asked["Location"] == status_url(fresh)
