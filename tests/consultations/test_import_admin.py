"""Importing paper, email and event responses in the Wagtail admin: upload, check, confirm."""

import html
import io
from datetime import timedelta

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from consultations.models import Channel, ConsultationPage, Response
from consultations.spreadsheets.imports import import_responses
from consultations.spreadsheets.layout import layout_for
from consultations.spreadsheets.log_actions import IMPORT_RESPONSES
from portal import roles
from portal.models import PendingUpload
from portal.spreadsheets import MAX_SHEET_ROWS, WorkbookSheet, read_rows, write_csv, write_xlsx
from tests.builders import UserFactory
from tests.builders import stable_id as demo_id
from tests.hostile_spreadsheets import ods, ods_row, xlsx

pytestmark = pytest.mark.django_db

SLUG = "parks-and-green-spaces-strategy"
RANKING = demo_id(f"{SLUG}/ranking")
AGREEMENT = demo_id(f"{SLUG}/agreement")
COMMENTS = demo_id(f"{SLUG}/comments")
AGE = f"{demo_id(f'{SLUG}/about')}:age_band"
POSTCODE = f"{demo_id(f'{SLUG}/about')}:postcode_district"


def ranked(*labels):
    return {f"{RANKING}:{demo_id(f'{SLUG}/items', label)}": n for n, label in enumerate(labels, 1)}


def in_period(page, days=10):
    """A date `days` after `page` opened (the demo's dates follow the day it was seeded)."""
    return (timezone.localtime(page.opens_at) + timedelta(days=days)).date().isoformat()


def answers_row(page, reference, **cells):
    return {
        "reference": reference,
        "submitted_at": in_period(page),
        AGREEMENT: "Agree",
        **ranked("More trees", "Lighting", "Cafés"),
        **cells,
    }


def spreadsheet(page, rows, file_format="csv"):
    """A file in the export's layout holding `rows` (dicts by column id)."""
    layout = layout_for(page, personal_data=True)
    data = [*layout.header_rows(), *([row.get(key) for key in layout.keys] for row in rows)]
    target = io.BytesIO()
    if file_format == "csv":
        write_csv(data, target)
    else:
        write_xlsx([WorkbookSheet("Responses", data, header_rows=2)], target)
    return target.getvalue()


def member_of(*group_names):
    user = UserFactory()
    user.groups.add(*Group.objects.filter(name__in=group_names))
    return user


@pytest.fixture
def parks(demo_site):
    return ConsultationPage.objects.get(slug=SLUG)


@pytest.fixture
def analyst(client, demo_site):
    user = member_of(roles.ANALYSTS)
    client.force_login(user)
    return user


def url(name, page, *args):
    return reverse(f"consultation_responses:{name}", args=[page.pk, *args])


def upload(client, page, content, name="paper.csv", channel="paper"):
    return client.post(
        url("import", page), {"file": SimpleUploadedFile(name, content), "channel": channel}
    )


def imported(page):
    return Response.objects.filter(consultation=page, reference__startswith="PARKS-")


# Who may import ---------------------------------------------------------------------------------


def test_analyst_sees_the_upload_page_with_the_layout_explained(client, analyst, parks):
    response = client.get(url("import", parks))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "two header rows" in page.lower()
    assert "moderation queue" in page
    assert url("import_template", parks, "xlsx") in page
    assert response.context["form"]["channel"].value() == Channel.PAPER


def test_moderators_are_refused_every_import_page(client, parks):
    client.force_login(member_of(roles.MODERATORS))
    for response in [
        client.get(url("import", parks)),
        client.get(url("import_preview", parks)),
        client.post(url("import_confirm", parks), {"token": "x"}),
        client.get(url("import_template", parks, "csv")),
    ]:
        assert response.status_code == 403
    assert not imported(parks).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, parks):
    response = client.get(url("import", parks))
    assert response.status_code == 302
    assert "login" in response.url


# Upload, check, confirm -------------------------------------------------------------------------


def test_confirmed_import_stores_responses_with_the_channel_chosen_and_logs_it(
    client, analyst, parks
):
    content = spreadsheet(
        parks,
        [answers_row(parks, "PARKS-T0001"), answers_row(parks, "PARKS-T0002", channel="Event")],
    )
    assert upload(client, parks, content, channel="email").url == url("import_preview", parks)

    preview = client.get(url("import_preview", parks))
    report = preview.context["report"]
    assert (report.new, report.skipped, report.has_errors) == (2, 0, False)
    assert "Import 2 responses" in preview.content.decode()
    assert not imported(parks).exists()

    done = client.post(
        url("import_confirm", parks), {"token": preview.context["upload"].token}, follow=True
    )
    assert "2 responses imported to" in html.unescape(done.content.decode())
    assert dict(imported(parks).values_list("reference", "channel")) == {
        "PARKS-T0001": Channel.EMAIL,
        "PARKS-T0002": Channel.EVENT,
    }
    entry = PageLogEntry.objects.get(action=IMPORT_RESPONSES)
    assert (entry.page_id, entry.user_id) == (parks.pk, analyst.pk)
    assert entry.data == {
        "new": 2,
        "skipped": 0,
        "channel": "email",
        "file_name": "paper.csv",
        "format": "csv",
    }
    # The upload is forgotten: confirming again imports nothing more.
    again = client.post(url("import_confirm", parks), {"token": "anything"})
    assert again.status_code == 302
    assert imported(parks).count() == 2


# The uploaded file: residents' answers, kept no longer than needed ------------------------------


def test_the_upload_waits_in_the_database_not_the_session_and_goes_once_imported(
    client, analyst, parks
):
    content = spreadsheet(parks, [answers_row(parks, "PARKS-T0001")])
    upload(client, parks, content)

    kept = PendingUpload.objects.get()
    assert (kept.flow, kept.uploaded_by, kept.subject, bytes(kept.content)) == (
        "consultations.responses",
        analyst,
        str(parks.pk),
        content,
    )
    assert "PARKS-T0001" not in str(dict(client.session.items()))
    preview = client.get(url("import_preview", parks))
    client.post(url("import_confirm", parks), {"token": preview.context["upload"].token})

    assert imported(parks).count() == 1
    assert not PendingUpload.objects.exists()


def test_an_upload_more_than_an_hour_old_is_refused_and_deleted(client, analyst, parks):
    upload(client, parks, spreadsheet(parks, [answers_row(parks, "PARKS-T0001")]))
    preview = client.get(url("import_preview", parks))
    PendingUpload.objects.update(uploaded_at=timezone.now() - timedelta(hours=1, minutes=1))

    late = client.post(
        url("import_confirm", parks), {"token": preview.context["upload"].token}, follow=True
    )

    assert "uploaded more than an hour ago" in html.unescape(late.content.decode())
    assert not imported(parks).exists()
    assert not PendingUpload.objects.exists()


def test_the_daily_retention_run_deletes_uploads_left_behind(client, analyst, parks):
    upload(client, parks, spreadsheet(parks, [answers_row(parks, "PARKS-T0001")]))
    PendingUpload.objects.update(uploaded_at=timezone.now() - timedelta(hours=1, minutes=1))
    output = io.StringIO()

    call_command("apply_retention", stdout=output)  # however the officer left

    assert not PendingUpload.objects.exists()
    assert "Deleted 1 uploaded spreadsheet(s) older than an hour." in output.getvalue()


def test_an_officer_never_sees_or_imports_another_officers_upload(client, analyst, parks):
    upload(client, parks, spreadsheet(parks, [answers_row(parks, "PARKS-T0001")]))
    token = client.get(url("import_preview", parks)).context["upload"].token
    client.force_login(member_of(roles.ANALYSTS))

    assert client.get(url("import_preview", parks)).url == url("import", parks)
    client.post(url("import_confirm", parks), {"token": token})
    assert not imported(parks).exists()
    assert PendingUpload.objects.count() == 1  # still the first officer's, for them to confirm


def test_invalid_rows_are_listed_by_row_number_and_reason_and_nothing_is_imported(
    client, analyst, parks
):
    elsewhere = Response.objects.filter(consultation__slug="housing-allocations-policy").first()
    future = (timezone.localdate() + timedelta(days=5)).isoformat()
    rows = [
        answers_row(parks, "PARKS-T0001"),  # row 3: valid, but its reference is used again
        answers_row(parks, "PARKS-T0002", **{AGREEMENT: "Quite agree"}),
        answers_row(parks, "PARKS-T0003", **{f"{RANKING}:{demo_id(f'{SLUG}/items', 'Cafés')}": 1}),
        answers_row(parks, "PARKS-T0004", submitted_at="31/02/2026"),
        answers_row(parks, "PARKS-T0005", submitted_at=future),
        answers_row(parks, "PARKS-T0001"),  # row 8: the same reference as row 3
        answers_row(parks, elsewhere.reference),
        answers_row(parks, ""),
    ]
    upload(client, parks, spreadsheet(parks, rows, "xlsx"), name="paper.xlsx")

    preview = client.get(url("import_preview", parks))
    problems = {}
    for number, heading, message in preview.context["report"].errors:
        problems.setdefault(number, []).append((heading, message))
    assert sorted(problems) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "not one of the answers" in problems[4][0][1]
    assert problems[4][0][0].startswith("Q2 ")
    assert problems[5][0][0].startswith("Q1 ")
    assert "not a date" in problems[6][0][1]
    assert "in the future" in problems[7][0][1]
    assert "rows 3 and 8" in problems[3][0][1] and "rows 3 and 8" in problems[8][0][1]
    assert "another consultation" in problems[9][0][1]
    assert "Give each response a reference" in problems[10][0][1]
    page = html.unescape(preview.content.decode())
    assert "Quite agree" in page
    assert url("import_confirm", parks) not in page
    assert not imported(parks).exists()


def test_a_file_with_one_invalid_row_imports_nothing(parks):
    content = spreadsheet(
        parks, [answers_row(parks, "PARKS-T0001"), answers_row(parks, "PARKS-T0002", **{AGE: "9"})]
    )
    report = import_responses(parks, content, "csv", dry_run=False)
    assert [row.number for row in report.rows if row.errors] == [4]
    assert not imported(parks).exists()


def test_confirm_imports_nothing_if_a_row_has_become_invalid_since_the_check(
    client, analyst, parks
):
    content = spreadsheet(
        parks, [answers_row(parks, "PARKS-T0001"), answers_row(parks, "PARKS-T0002")]
    )
    upload(client, parks, content)
    token = client.get(url("import_preview", parks)).context["upload"].token
    # Meanwhile the reference is given to a response to another consultation.
    elsewhere = Response.objects.filter(consultation__slug="housing-allocations-policy").first()
    Response.objects.filter(pk=elsewhere.pk).update(reference="PARKS-T0002")

    refused = client.post(url("import_confirm", parks), {"token": token})
    assert refused.status_code == 200
    assert refused.context["refused"]
    assert "Nothing was imported" in html.unescape(refused.content.decode())
    assert not imported(parks).exists()
    assert not PageLogEntry.objects.filter(action=IMPORT_RESPONSES).exists()


def test_importing_the_same_file_twice_adds_nothing_the_second_time(client, analyst, parks):
    content = spreadsheet(parks, [answers_row(parks, "PARKS-T0001", **{COMMENTS: "=SUM(A1)"})])
    upload(client, parks, content)
    token = client.get(url("import_preview", parks)).context["upload"].token
    client.post(url("import_confirm", parks), {"token": token})

    upload(client, parks, content)
    preview = client.get(url("import_preview", parks))
    report = preview.context["report"]
    assert (report.new, report.skipped, report.has_errors) == (0, 1, False)
    assert "nothing to import" in preview.content.decode()
    assert imported(parks).count() == 1
    answer = imported(parks).get().answers.get(question_id=COMMENTS)
    assert answer.text == "=SUM(A1)"


def test_upload_refuses_other_file_types_and_unreadable_files(client, analyst, parks):
    wrong_type = upload(client, parks, b"reference\nPARKS-1\n", name="paper.txt")
    assert "is not a .csv, .xlsx or .ods file" in html.unescape(wrong_type.content.decode())
    no_ids = upload(client, parks, b"Reference,Submitted at\r\nPARKS-T1,2026-01-01\r\n")
    assert "Row 2 must hold the column ids" in html.unescape(no_ids.content.decode())
    assert client.get(url("import_preview", parks)).status_code == 302  # nothing kept


# The blank template -----------------------------------------------------------------------------


def test_blank_template_has_the_two_header_rows_and_no_personal_data(client, analyst, parks):
    response = client.get(url("import_template", parks, "xlsx"))
    assert response.status_code == 200
    assert f"{SLUG}-responses-template.xlsx" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(workbook["Responses"].iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[0][:3] == ("Reference", "Submitted at", "Channel")
    assert rows[1][:3] == ("reference", "submitted_at", "channel")
    assert POSTCODE not in rows[1] and "email" not in rows[1]
    assert "Columns" in workbook.sheetnames

    csv_rows = list(read_rows(client.get(url("import_template", parks, "csv")).content, "csv", 99))
    ods_rows = list(read_rows(client.get(url("import_template", parks, "ods")).content, "ods", 99))
    assert [cells for _n, cells, _f in csv_rows] == [list(rows[0]), list(rows[1])]
    assert [cells for _n, cells, _f in ods_rows][:2] == [list(rows[0]), list(rows[1])]


def test_blank_template_has_personal_data_columns_for_those_allowed(client, parks):
    client.force_login(member_of(roles.ANALYSTS, roles.PERSONAL_DATA_ACCESS))
    content = client.get(url("import_template", parks, "csv")).content
    ids = list(read_rows(content, "csv", 99))[1][1]
    assert POSTCODE in ids
    assert "email" not in ids  # worked out from the account, never imported


# Equality-monitoring answers come in from every importer ----------------------------------------

SEX = f"{demo_id(f'{SLUG}/about')}:sex"
ETHNICITY = f"{demo_id(f'{SLUG}/about')}:ethnicity"


def test_analysts_without_personal_data_access_import_equality_answers(client, analyst, parks):
    row = answers_row(
        parks,
        "PARKS-T0001",
        **{AGE: "35 to 44", SEX: "Female", ETHNICITY: "Asian or Asian British"},
    )
    upload(client, parks, spreadsheet(parks, [row]))
    preview = client.get(url("import_preview", parks))
    client.post(url("import_confirm", parks), {"token": preview.context["upload"].token})

    stored = imported(parks).get().answers.filter(part__in=["age_band", "sex", "ethnicity"])
    assert dict(stored.values_list("part", "option")) == {
        "age_band": "35_44",
        "sex": "female",
        "ethnicity": "asian",
    }


def test_blank_template_has_the_equality_questions_for_every_analyst(client, analyst, parks):
    ids = list(read_rows(client.get(url("import_template", parks, "csv")).content, "csv", 99))[1][1]
    assert {AGE, SEX, ETHNICITY} <= set(ids)


# Files that declare more than they hold --------------------------------------------------------

# A million rows with something in a column that has no id: blank to the import, not to the reader.
MILLION_ODS = ods(ods_row("Reference") + ods_row("reference") + ods_row("", "x", repeat=1048576))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("paper.ods", MILLION_ODS),
        ("paper.xlsx", xlsx({1: ["Reference"], 2: ["reference"], 1048576: ["PARKS-P0001"]})),
    ],
)
def test_an_upload_of_a_million_rows_is_refused_naming_the_limit(
    client, analyst, parks, name, content
):
    response = upload(client, parks, content, name=name)

    assert response.status_code == 200
    assert f"more than {MAX_SHEET_ROWS:,} rows, counting empty rows" in html.unescape(
        response.content.decode()
    )
    assert not PendingUpload.objects.exists()


def test_a_kept_upload_of_a_million_rows_is_refused_again_when_checked(analyst, parks):
    report = import_responses(parks, MILLION_ODS, "ods", dry_run=True)

    assert report.rows == []
    assert any(f"more than {MAX_SHEET_ROWS:,} rows" in error for error in report.file_errors)
