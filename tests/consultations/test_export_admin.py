"""Exporting responses in the Wagtail admin: who may, which responses and columns go in, the files,
the audit log, and large exports made in the background by the database worker."""

import io
import json
import logging
import os
import signal
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from wagtail.models import PageLogEntry

from consultations.journey import questions_of
from consultations.models import Channel, Comment, ExportStatus, ModerationStatus, ResponseExport
from consultations.responses import submit_response
from consultations.spreadsheets import export_views, tasks
from consultations.spreadsheets.exports import NOT_STATED
from consultations.spreadsheets.log_actions import EXPORT_RESPONSES
from portal.roles import ANALYSTS, MODERATORS, PERSONAL_DATA_ACCESS, ensure_officer_groups
from portal.spreadsheets import read_rows
from tests.builders import UserFactory
from tests.consultations.test_results import (
    key,
    make_index,
    new_consultation,
    survey_questions,
    ward,
)

LONDON = ZoneInfo("Europe/London")
ORIGINAL = "Jo Bloggs at 4 Elm Road says open later"  # a resident's own words, with personal data
REDACTED = "[name removed] says open later"
APPROVED = "More benches please"
REJECTED = "Rude words"
EVERY_RESIDENT_WORD = [ORIGINAL, REDACTED, APPROVED, REJECTED, "Jo Bloggs", "benches"]


# Data: a small survey, four responses ---------------------------------------------------------


def respond(page, day, channel=Channel.ONLINE, user=None, area=None, comment=None):
    answers = {key("choice"): {"option": key("choice", "Yes")}}
    if area:
        answers[key("about")] = {"ward": ward(area)}
    if comment:
        answers[key("comments")] = {"text": comment}
    response, _created = submit_response(
        page,
        questions_of(page),
        answers,
        uuid.uuid4(),
        user=user,
        channel=channel,
        submitted_at=datetime(2026, 3, day, 10, tzinfo=LONDON),
    )
    return response


def moderate(response, status, public_text=""):
    Comment.objects.filter(answer__response=response).update(status=status, public_text=public_text)


def make_survey():
    return new_consultation(make_index(), "survey", survey_questions())


def make_responses(survey):
    """Four responses on 1 to 4 March 2026: channels, areas and comments all different."""
    resident = UserFactory(email="jo@example.org")
    EmailAddress.objects.create(user=resident, email=resident.email, verified=True, primary=True)
    first = respond(survey, 1, user=resident, area="Abbey", comment=ORIGINAL)
    moderate(first, ModerationStatus.REDACTED, REDACTED)
    second = respond(survey, 2, Channel.PAPER, area="Castlefield", comment=APPROVED)
    moderate(second, ModerationStatus.APPROVED, APPROVED)
    third = respond(survey, 3, Channel.EMAIL, comment=REJECTED)
    moderate(third, ModerationStatus.REJECTED)
    fourth = respond(survey, 4, area="Abbey")
    return [first, second, third, fourth]


@pytest.fixture
def survey(db):
    return make_survey()


@pytest.fixture
def responses(survey):
    return make_responses(survey)


def officer(*roles, username=None):
    groups = ensure_officer_groups()
    user = UserFactory(**({"username": username} if username else {}))
    user.groups.add(*(groups[role] for role in roles))
    return user


@pytest.fixture
def analyst(db):
    return officer(ANALYSTS)


@pytest.fixture
def data_protection_officer(db):
    return officer(ANALYSTS, PERSONAL_DATA_ACCESS)


def export_url(page):
    return reverse("consultation_responses:export", args=[page.pk])


def export(client, page, **data):
    return client.post(export_url(page), {"format": "csv", **data})


def table(response, file_format="csv"):
    """Every row of a downloaded file: headings, column ids, then one row per response."""
    content = b"".join(response.streaming_content)
    return [
        ["" if cell is None else str(cell) for cell in cells]
        for _number, cells, _formats in read_rows(content, file_format, 1000)
    ]


def references(rows):
    column = rows[1].index("reference")
    return {row[column] for row in rows[2:]}


def refs(*responses):
    return {response.reference for response in responses}


def text_of(rows):
    return "\n".join(",".join(row) for row in rows)


# Who may export ---------------------------------------------------------------------------------


def test_analysts_see_the_responses_menu_item_and_every_consultation(client, analyst, responses):
    client.force_login(analyst)
    assert reverse("consultation_responses:index") in client.get("/admin/").content.decode()

    page = client.get(reverse("consultation_responses:index"))

    assert page.status_code == 200
    html = page.content.decode()
    assert responses[0].consultation.title in html
    assert "<td>4</td>" in html
    assert export_url(responses[0].consultation) in html
    imports = export_views.import_url(responses[0].consultation)
    if imports:  # until the import views are there, there is nothing to link to
        assert imports in html


def test_an_officer_who_may_export_but_not_import_gets_no_import_link(client, responses):
    user = UserFactory()
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_response"),
    )
    client.force_login(user)

    html = client.get(reverse("consultation_responses:index")).content.decode()

    assert "Export responses" in html
    assert "Import responses" not in html


def test_moderators_may_not_see_or_export_responses(client, responses):
    client.force_login(officer(MODERATORS))
    page = responses[0].consultation

    assert reverse("consultation_responses:index") not in client.get("/admin/").content.decode()
    assert client.get(reverse("consultation_responses:index")).status_code == 403
    assert client.get(export_url(page)).status_code == 403
    refused = export(client, page)
    assert refused.status_code == 403
    assert not refused.streaming
    assert not PageLogEntry.objects.filter(action=EXPORT_RESPONSES).exists()


# What goes in -----------------------------------------------------------------------------------


def test_csv_streams_with_a_byte_order_mark_and_a_file_name(client, analyst, responses):
    client.force_login(analyst)

    response = export(client, responses[0].consultation)

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="survey-responses-')
    assert response["Content-Disposition"].endswith('.csv"')
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.count(b"\xef\xbb\xbf") == 1


def test_analysts_get_moderated_text_and_no_personal_data(client, analyst, responses):
    client.force_login(analyst)

    rows = table(export(client, responses[0].consultation))

    assert references(rows) == refs(*responses)
    assert "email" not in rows[1]
    text = text_of(rows)
    assert REDACTED in text and APPROVED in text
    assert ORIGINAL not in text and REJECTED not in text and "jo@example.org" not in text


def test_personal_data_is_offered_only_to_officers_allowed_to_see_it(
    client, analyst, data_protection_officer, responses
):
    page = responses[0].consultation
    client.force_login(analyst)
    assert 'name="include_personal_data"' not in client.get(export_url(page)).content.decode()

    client.force_login(data_protection_officer)
    assert 'name="include_personal_data"' in client.get(export_url(page)).content.decode()
    rows = table(export(client, page, include_personal_data="on"))

    assert "email" in rows[1]
    text = text_of(rows)
    assert ORIGINAL in text and REJECTED in text and "jo@example.org" in text


def test_personal_data_stays_out_unless_the_officer_asks_for_it(
    client, data_protection_officer, responses
):
    client.force_login(data_protection_officer)

    rows = table(export(client, responses[0].consultation))

    assert "email" not in rows[1]
    assert ORIGINAL not in text_of(rows)


def test_a_forged_personal_data_request_from_an_analyst_is_ignored(client, analyst, responses):
    client.force_login(analyst)

    rows = table(export(client, responses[0].consultation, include_personal_data="on"))

    assert "email" not in rows[1]
    assert ORIGINAL not in text_of(rows)
    assert PageLogEntry.objects.get(action=EXPORT_RESPONSES).data["personal_data"] is False


# Filters ----------------------------------------------------------------------------------------


def test_dates_narrow_the_responses_inclusively(client, analyst, responses):
    client.force_login(analyst)
    page = responses[0].consultation

    rows = table(export(client, page, submitted_from="2026-03-02", submitted_to="2026-03-03"))
    assert references(rows) == refs(responses[1], responses[2])
    rows = table(export(client, page, submitted_from="03/03/2026"))
    assert references(rows) == refs(responses[2], responses[3])


def test_channels_narrow_the_responses(client, analyst, responses):
    client.force_login(analyst)

    rows = table(export(client, responses[0].consultation, channels=["paper", "email"]))

    assert references(rows) == refs(responses[1], responses[2])


def test_areas_narrow_the_responses_and_not_stated_finds_those_who_did_not_say(
    client, analyst, responses
):
    client.force_login(analyst)
    page = responses[0].consultation

    assert references(table(export(client, page, areas=[ward("Abbey")]))) == refs(
        responses[0], responses[3]
    )
    assert references(table(export(client, page, areas=[ward("Castlefield"), NOT_STATED]))) == (
        refs(responses[1], responses[2])
    )


def test_moderation_status_narrows_to_responses_with_such_a_comment(client, analyst, responses):
    client.force_login(analyst)

    rows = table(
        export(
            client,
            responses[0].consultation,
            moderation_statuses=[ModerationStatus.REJECTED, ModerationStatus.APPROVED],
        )
    )

    assert references(rows) == refs(responses[1], responses[2])


def test_the_form_offers_every_channel_area_and_status(client, analyst, responses):
    client.force_login(analyst)

    form = client.get(export_url(responses[0].consultation)).context["form"]

    assert [value for value, _label in form.fields["channels"].choices] == list(Channel.values)
    areas = dict(form.fields["areas"].choices)
    assert areas[ward("Abbey")] == "Abbey" and areas[NOT_STATED] == "Not stated"
    assert [v for v, _label in form.fields["moderation_statuses"].choices] == list(
        ModerationStatus.values
    )


def test_a_wrong_answer_shows_the_form_again_with_an_error_summary(client, analyst, responses):
    client.force_login(analyst)

    page = export(
        client,
        responses[0].consultation,
        format="pdf",
        submitted_from="2026-03-04",
        submitted_to="2026-03-01",
        channels=["pigeon"],
    )

    assert page.status_code == 200
    assert not page.streaming
    html = page.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_format_0"' in html
    assert 'href="#id_submitted_to"' in html
    assert 'href="#id_channels_0"' in html
    assert "The end date must be the same as or after the start date." in html
    assert not PageLogEntry.objects.filter(action=EXPORT_RESPONSES).exists()


# Workbooks and the audit log ------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["xlsx", "ods"])
def test_workbooks_download_within_the_request_and_open(client, analyst, responses, file_format):
    client.force_login(analyst)

    response = export(client, responses[0].consultation, format=file_format)

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{file_format}"')
    content = b"".join(response.streaming_content)
    rows = [cells for _n, cells, _f in read_rows(content, file_format, 1000)]
    assert {row[rows[1].index("reference")] for row in rows[2:]} == refs(*responses)
    if file_format == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        assert workbook.sheetnames == ["Responses", "Columns"]
    assert not ResponseExport.objects.exists()


def test_every_export_is_in_the_audit_log_without_a_residents_words(
    client, data_protection_officer, responses
):
    client.force_login(data_protection_officer)
    page = responses[0].consultation

    table(export(client, page, include_personal_data="on", channels=["online"]))
    b"".join(export(client, page, format="xlsx", submitted_from="2026-03-02").streaming_content)

    first, second = PageLogEntry.objects.filter(action=EXPORT_RESPONSES).order_by("pk")
    assert first.page_id == page.pk and first.user == data_protection_officer
    assert first.data == {
        "format": "csv",
        "rows": 2,
        "personal_data": True,
        "filters": {
            "submitted_from": None,
            "submitted_to": None,
            "channels": ["online"],
            "areas": [],
            "moderation_statuses": [],
        },
    }
    assert (second.data["format"], second.data["rows"], second.data["personal_data"]) == (
        "xlsx",
        3,
        False,
    )
    assert second.data["filters"]["submitted_from"] == "2026-03-02"
    logged = json.dumps([first.data, second.data])
    assert not any(words in logged for words in [*EVERY_RESIDENT_WORD, "jo@example.org"])
    assert "Exported 2 responses as CSV with personal data" in first.message


# Large exports, in the background ---------------------------------------------------------------


def worker_in_this_test(monkeypatch):
    """Runs `manage.py db_worker --batch` (the real database backend) until the queue is empty.

    Between tasks the worker closes "old" database connections; on PostgreSQL that would end
    this test's transaction, so that one call is skipped. Signal handlers and log levels the
    worker sets are put back afterwards.
    """
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    handlers = {number: signal.getsignal(number) for number in signals}
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]

    def run():
        call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)

    yield run
    for number, handler in handlers.items():
        signal.signal(number, handler)
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def exports_in_the_background(settings, tmp_path, monkeypatch):
    """Background exports for more than one response, queued in the database as in production
    (the test settings otherwise run tasks at once), into a folder of this test's own."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PRIVATE_EXPORTS_ROOT = tmp_path / "exports"
    monkeypatch.setattr(export_views, "IN_REQUEST_LIMIT", 1)
    return settings.PRIVATE_EXPORTS_ROOT


@pytest.fixture
def run_worker(monkeypatch):
    yield from worker_in_this_test(monkeypatch)


@pytest.fixture
def exports_root(settings, tmp_path, monkeypatch):
    return exports_in_the_background(settings, tmp_path, monkeypatch)


def status_url(export):
    return reverse("consultation_responses:export_status", args=[export.pk])


def download_url(export):
    return reverse("consultation_responses:export_download", args=[export.pk])


def test_a_large_workbook_is_made_by_the_worker_for_its_officer_to_download(
    client, analyst, responses, exports_root, run_worker, settings
):
    client.force_login(analyst)
    page = responses[0].consultation

    asked = export(client, page, format="xlsx", channels=["online", "paper"])

    made = ResponseExport.objects.get()
    assert asked.status_code == 302 and asked["Location"] == status_url(made)
    assert (made.requested_by, made.file_format, made.personal_data) == (analyst, "xlsx", False)
    assert made.filters["channels"] == ["online", "paper"]
    assert DBTaskResult.objects.filter(task_path=tasks.make_response_export.module_path).exists()
    waiting = client.get(status_url(made)).content.decode()
    assert "waiting to start" in waiting and "Check again" in waiting
    assert "Online, Paper" in waiting
    assert download_url(made) not in waiting
    assert client.get(download_url(made)).status_code == 404
    assert not PageLogEntry.objects.filter(action=EXPORT_RESPONSES).exists()

    run_worker()

    made.refresh_from_db()
    assert (made.status, made.rows) == (ExportStatus.READY, 3)
    assert made.finished_at is not None
    assert DBTaskResult.objects.get(task_path=tasks.make_response_export.module_path).status == (
        "SUCCESSFUL"
    )
    path = tasks.export_path(made)
    assert path.parent == exports_root and path.is_file()
    assert not path.is_relative_to(settings.MEDIA_ROOT)
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)
    ready = client.get(status_url(made)).content.decode()
    assert download_url(made) in ready
    download = client.get(download_url(made))
    assert download.status_code == 200
    assert made.file_name.startswith("survey-responses-") and made.file_name.endswith(".xlsx")
    assert download["Content-Disposition"] == f'attachment; filename="{made.file_name}"'
    content = b"".join(download.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True)["Responses"]
    references_made = {row[0] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert references_made == refs(responses[0], responses[1], responses[3])
    entry = PageLogEntry.objects.get(action=EXPORT_RESPONSES)
    assert (entry.user, entry.data["rows"], entry.data["format"]) == (analyst, 3, "xlsx")


def test_the_same_large_export_asked_for_twice_is_made_once(
    client, analyst, responses, exports_root, run_worker
):
    client.force_login(analyst)
    page = responses[0].consultation

    first = export(client, page, format="xlsx")
    again = export(client, page, format="xlsx")  # a double click, or the form sent again
    other = export(client, page, format="ods")  # a different export is its own

    made = ResponseExport.objects.get(file_format="xlsx")
    assert first["Location"] == again["Location"] == status_url(made)
    assert ResponseExport.objects.count() == 2
    assert DBTaskResult.objects.count() == 2
    assert other["Location"] == status_url(ResponseExport.objects.get(file_format="ods"))

    run_worker()
    export(client, page, format="xlsx")  # once made, asking again makes a fresh one
    assert ResponseExport.objects.filter(file_format="xlsx").count() == 2


def test_an_export_stuck_being_made_does_not_block_asking_again_later(
    client, analyst, responses, exports_root
):
    client.force_login(analyst)
    page = responses[0].consultation
    export(client, page, format="xlsx")
    # The worker was killed while making it: it stays "being made".
    ResponseExport.objects.update(
        status=ExportStatus.RUNNING, requested_at=timezone.now() - timedelta(minutes=11)
    )

    export(client, page, format="xlsx")

    assert ResponseExport.objects.filter(status=ExportStatus.QUEUED).count() == 1
    assert ResponseExport.objects.count() == 2


def test_csv_is_always_streamed_however_many_responses(client, analyst, responses, exports_root):
    client.force_login(analyst)

    response = export(client, responses[0].consultation)

    assert response.streaming and len(references(table(response))) == 4
    assert not ResponseExport.objects.exists()


def test_no_other_officer_may_see_or_download_an_export(
    client, analyst, responses, exports_root, run_worker
):
    client.force_login(analyst)
    export(client, responses[0].consultation, format="ods")
    run_worker()
    made = ResponseExport.objects.get(status=ExportStatus.READY)

    client.force_login(officer(ANALYSTS, PERSONAL_DATA_ACCESS))
    assert client.get(status_url(made)).status_code == 404
    assert client.get(download_url(made)).status_code == 404
    client.force_login(officer(MODERATORS))
    assert client.get(status_url(made)).status_code == 403
    assert client.get(download_url(made)).status_code == 403

    analyst.groups.set([ensure_officer_groups()[MODERATORS]])  # no longer allowed to export
    client.force_login(analyst)
    assert client.get(download_url(made)).status_code == 403


def test_a_personal_data_export_needs_that_permission_still_when_downloaded(
    client, data_protection_officer, responses, exports_root, run_worker
):
    client.force_login(data_protection_officer)
    export(client, responses[0].consultation, format="xlsx", include_personal_data="on")
    run_worker()
    made = ResponseExport.objects.get(status=ExportStatus.READY, personal_data=True)
    assert client.get(download_url(made)).status_code == 200

    data_protection_officer.groups.remove(Group.objects.get(name=PERSONAL_DATA_ACCESS))

    assert client.get(status_url(made)).status_code == 403
    assert client.get(download_url(made)).status_code == 403


def test_the_worker_refuses_a_personal_data_export_its_officer_may_no_longer_have(
    client, data_protection_officer, responses, exports_root, run_worker
):
    client.force_login(data_protection_officer)
    export(client, responses[0].consultation, format="xlsx", include_personal_data="on")
    data_protection_officer.groups.remove(Group.objects.get(name=PERSONAL_DATA_ACCESS))

    run_worker()

    made = ResponseExport.objects.get()
    assert made.status == ExportStatus.FAILED
    assert not tasks.export_path(made).exists()
    assert not PageLogEntry.objects.filter(action=EXPORT_RESPONSES).exists()


def test_exports_are_deleted_after_a_day(client, analyst, responses, exports_root, run_worker):
    client.force_login(analyst)
    export(client, responses[0].consultation, format="xlsx")
    run_worker()
    made = ResponseExport.objects.get()
    stale = exports_root / "response-export-0.xlsx"
    stale.write_bytes(b"old")
    day_and_a_bit_ago = (timezone.now() - timedelta(days=1, minutes=1)).timestamp()
    os.utime(stale, (day_and_a_bit_ago, day_and_a_bit_ago))

    assert tasks.delete_old_exports() == 1
    assert not stale.exists() and tasks.export_path(made).exists()
    assert client.get(download_url(made)).status_code == 200

    ResponseExport.objects.filter(pk=made.pk).update(
        finished_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    assert client.get(download_url(made)).status_code == 404
    assert "has been deleted" in client.get(status_url(made)).content.decode()
    assert tasks.delete_old_exports(now=timezone.now() + timedelta(days=2)) == 1
    assert not list(exports_root.iterdir())


def test_export_dates_in_the_log_are_iso_dates(client, analyst, responses):
    client.force_login(analyst)

    table(export(client, responses[0].consultation, submitted_to="4/3/2026"))

    filters = PageLogEntry.objects.get(action=EXPORT_RESPONSES).data["filters"]
    assert filters["submitted_to"] == date(2026, 3, 4).isoformat()


# Equality-monitoring answers and the account email ----------------------------------------------

EQUALITY = {"age_band": "35_44", "sex": "female", "disability": "yes", "ethnicity": "asian"}
EQUALITY_WORDS = ["35 to 44", "Female", "Asian or Asian British"]


@pytest.fixture
def equality_response(survey):
    """A response whose "About you" answers include every equality-monitoring question."""
    answers = {
        key("choice"): {"option": key("choice", "Yes")},
        key("about"): {"ward": ward("Abbey"), **EQUALITY},
    }
    response, _created = submit_response(
        survey,
        questions_of(survey),
        answers,
        uuid.uuid4(),
        submitted_at=datetime(2026, 3, 5, 10, tzinfo=LONDON),
    )
    return response


def equality_ids(rows):
    return [column for column in rows[1] if column.rsplit(":", 1)[-1] in EQUALITY]


def test_analysts_without_personal_data_access_get_no_equality_answers(
    client, analyst, equality_response
):
    client.force_login(analyst)

    rows = table(export(client, equality_response.consultation))

    assert equality_ids(rows) == []
    assert not any(words in text_of(rows) for words in EQUALITY_WORDS)
    assert "Abbey" in text_of(rows)  # the area stays: results are broken down by it


def test_the_columns_sheet_says_why_the_equality_answers_are_left_out(
    client, analyst, equality_response
):
    client.force_login(analyst)

    response = export(client, equality_response.consultation, format="xlsx")

    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    explained = " ".join(
        str(cell) for row in workbook["Columns"].iter_rows(values_only=True) for cell in row
    )
    assert "Not in this export" in explained
    assert "special category personal data" in explained
    assert "age, sex, disability, ethnic group" in explained


def test_exports_with_personal_data_hold_the_equality_answers(
    client, data_protection_officer, equality_response
):
    client.force_login(data_protection_officer)

    rows = table(export(client, equality_response.consultation, include_personal_data="on"))

    assert [column.rsplit(":", 1)[-1] for column in equality_ids(rows)] == list(EQUALITY)
    (row,) = rows[2:]
    assert [row[rows[1].index(column)] for column in equality_ids(rows)] == [
        "35 to 44",
        "Female",
        "Yes",
        "Asian or Asian British",
    ]


def test_an_account_email_never_verified_stays_out_of_personal_data_exports(
    client, data_protection_officer, survey
):
    unconfirmed = UserFactory(email="someone-else@example.org")
    EmailAddress.objects.create(
        user=unconfirmed, email=unconfirmed.email, verified=False, primary=True
    )
    respond(survey, 1, user=unconfirmed, comment=APPROVED)
    client.force_login(data_protection_officer)

    rows = table(export(client, survey, include_personal_data="on"))

    assert rows[2][rows[1].index("email")] == ""
    assert "someone-else@example.org" not in text_of(rows)


def test_the_account_email_is_the_verified_address_not_an_unconfirmed_one(
    client, data_protection_officer, survey
):
    resident = UserFactory(email="new-address@example.org")
    EmailAddress.objects.create(user=resident, email="old@example.org", verified=True)
    EmailAddress.objects.create(
        user=resident, email="new-address@example.org", verified=False, primary=True
    )
    respond(survey, 1, user=resident)
    client.force_login(data_protection_officer)

    rows = table(export(client, survey, include_personal_data="on"))

    assert rows[2][rows[1].index("email")] == "old@example.org"


def test_import_export_s_own_export_also_leaves_out_an_unverified_email(survey):
    from consultations.spreadsheets.imports import ResponseResource

    unconfirmed = UserFactory(email="someone-else@example.org")
    respond(survey, 1, user=unconfirmed)
    confirmed = UserFactory(email="jo@example.org")
    EmailAddress.objects.create(user=confirmed, email=confirmed.email, verified=True, primary=True)
    respond(survey, 2, user=confirmed)

    dataset = ResponseResource(survey, personal_data=True).export()

    assert list(dataset["email"]) == [None, "jo@example.org"]
