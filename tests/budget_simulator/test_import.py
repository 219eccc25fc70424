"""Officers load service lines from CSV/XLSX in the Wagtail admin: check first, then confirm."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from budget_simulator import import_views
from budget_simulator.models import ServiceLine
from budget_simulator.resources import (
    COLUMNS,
    ConsequencesWidget,
    export_dataset,
    neutralise,
    parse_number,
    read_spreadsheet,
    restore,
    write_csv,
)
from demo.budget import seed_budget
from portal.models import PendingUpload
from portal.spreadsheets import MAX_SHEET_ROWS
from tests.budget_simulator.conftest import make_budget
from tests.builders import UserFactory
from tests.hostile_spreadsheets import xlsx

HEADERS = [column.header for column in COLUMNS]
LIBRARIES_CONSEQUENCES = "-10%: One day less a week\n-20%: Two libraries close\n5%: Sunday opening"


def row(
    code="LIB",
    name="Libraries",
    group="Place",
    description="",
    baseline="1000000",
    floor="",
    low="-30",
    high="10",
    step="5",
    consequences=LIBRARIES_CONSEQUENCES,
):
    return [code, name, group, description, baseline, floor, low, high, step, consequences]


def csv_upload(rows, headers=HEADERS, name="lines.csv", encoding="utf-8"):
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([headers, *rows])
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


def xlsx_upload(rows, headers=HEADERS, name="lines.xlsx", formats=None):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    for coordinate, number_format in (formats or {}).items():
        sheet[coordinate].number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def import_url(budget):
    return reverse("budget_simulator:import_service_lines", args=[budget.pk])


def preview_url(budget):
    return reverse("budget_simulator:preview_service_lines", args=[budget.pk])


def confirm_url(budget):
    return reverse("budget_simulator:confirm_service_lines", args=[budget.pk])


def download_url(budget, file_format):
    return reverse("budget_simulator:download_service_lines", args=[budget.pk, file_format])


def edit_url(budget):
    return reverse("wagtailsnippets_budget_simulator_budget:edit", args=[budget.pk])


def check(client, budget, upload):
    """Upload a file and follow on to the check page."""
    response = client.post(import_url(budget), {"file": upload})
    assert response.status_code == 302, response.content.decode()
    assert response.headers["Location"] == preview_url(budget)
    return client.get(preview_url(budget))


def kept_uploads(budget):
    """The officers' files kept between checking and confirming a load into `budget`."""
    return PendingUpload.objects.filter(
        flow=import_views.SERVICE_LINE_UPLOADS.flow, subject=str(budget.pk)
    )


def kept_token(budget):
    return kept_uploads(budget).get().token


def confirm(client, budget):
    return client.post(confirm_url(budget), {"token": kept_token(budget)})


def snapshot(budget):
    """Everything stored about a budget's lines, to prove an action changed nothing."""
    return [
        (
            line.pk,
            str(line.key),
            line.code,
            line.name,
            line.group,
            line.description,
            line.baseline,
            line.statutory_floor,
            line.min_change,
            line.max_change,
            line.step,
            line.sort_order,
            [dict(child) for child in line.consequences.raw_data],
        )
        for line in ServiceLine.objects.filter(budget=budget).order_by("pk")
    ]


def officer(client, group):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


@pytest.fixture
def editor(client, db):
    return officer(client, "Consultation editors")


# Checking a file: nothing is saved ------------------------------------------------------------


def test_upload_page_links_downloads_and_the_example(client, editor, budget):
    response = client.get(import_url(budget))
    html = response.content.decode()
    assert response.status_code == 200
    assert download_url(budget, "csv") in html
    assert download_url(budget, "xlsx") in html
    assert reverse("budget_simulator:service_lines_example") in html
    assert "nothing is deleted" in html


def test_checking_a_csv_shows_new_updated_and_unchanged_rows_and_saves_nothing(
    client, editor, budget
):
    before = snapshot(budget)
    upload = csv_upload(
        [
            row(name="Library service", baseline="£1,100,000"),
            row(
                code="ASC",
                name="Social care",
                group="People",
                baseline="4000000",
                floor="3700000",
                low="-10",
                high="10",
                step="1",
                consequences="",
            ),
            row(
                code="MUS01",
                name="Museums",
                baseline="250000.50",
                low="-20",
                high="0",
                step="10",
                consequences="-10%: Shorter opening hours",
            ),
        ]
    )
    response = check(client, budget, upload)
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 new, 1 updated, 1 unchanged" in html
    assert "Was: Libraries" in html
    assert "£1,100,000" in html and "Was: £1,000,000" in html
    assert "Confirm import" in html
    assert "PRK Parks" in html  # the line not in the file, which stays as it is
    assert snapshot(budget) == before


def test_row_errors_name_the_spreadsheet_row_and_column_and_block_confirming(
    client, editor, budget
):
    before = snapshot(budget)
    upload = csv_upload(
        [
            row(),
            [""] * len(HEADERS),  # a blank line in the middle still counts as row 3
            row(code="MUS01", name="Museums", baseline="£1.2m"),
        ]
    )
    html = check(client, budget, upload).content.decode()
    assert "Row 4, Baseline (£)" in html
    assert "‘£1.2m’ is not an amount of money" in html
    assert "Confirm import" not in html
    assert snapshot(budget) == before


def test_duplicate_codes_in_the_file_are_errors_on_each_row(client, editor, budget):
    upload = csv_upload([row(), row(code="MUS01", name="Museums"), row(code="lib")])
    html = check(client, budget, upload).content.decode()
    assert "Row 2, Code" in html and "Row 4, Code" in html
    assert "is on rows 2 and 4: each service line must appear once" in html
    assert "Confirm import" not in html


@pytest.mark.parametrize(
    "consequences",
    ["Libraries close", "-10% Libraries close", "ten%: Libraries close", "-10%:", "-150%: Gone"],
)
def test_badly_written_consequences_are_a_row_error(client, editor, budget, consequences):
    html = check(client, budget, csv_upload([row(consequences=consequences)])).content.decode()
    assert "Row 2, Consequences" in html
    assert "Confirm import" not in html


def test_a_statutory_floor_above_the_baseline_is_a_row_error(client, editor, budget):
    upload = csv_upload([row(baseline="1000000", floor="1200000")])
    html = check(client, budget, upload).content.decode()
    assert "Row 2, Statutory floor (£)" in html
    assert "cannot be above today" in html


def test_a_range_off_the_step_grid_is_a_row_error(client, editor, budget):
    upload = csv_upload([row(low="-12", high="10", step="5", consequences="")])
    html = check(client, budget, upload).content.decode()
    assert "Row 2, Step (%)" in html
    assert "must be whole steps" in html


def test_a_consequence_outside_the_range_is_a_row_error(client, editor, budget):
    upload = csv_upload([row(low="-10", high="10", step="5", consequences="-20%: Closures")])
    html = check(client, budget, upload).content.decode()
    assert "Row 2, Consequences" in html
    assert "between -10% and 10%" in html


def test_an_empty_required_cell_is_a_row_error(client, editor, budget):
    html = check(client, budget, csv_upload([row(code="NEW1", name="")])).content.decode()
    assert "Row 2, Name" in html
    assert "This cell is empty" in html


# Refusing files that cannot be read ------------------------------------------------------------


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("lines.pdf", b"%PDF-1.7"), "is not a .csv or .xlsx file"),
        (SimpleUploadedFile("lines.xls", b"\xd0\xcf\x11\xe0"), "is not a .csv or .xlsx file"),
        (SimpleUploadedFile("lines.csv", b""), "The file is empty"),
        (SimpleUploadedFile("lines.xlsx", b"not a zip"), "This is not an .xlsx workbook"),
        (
            SimpleUploadedFile("lines.csv", "Code,Name\nLIB,Bibliothèque\n".encode("latin-1")),
            "not UTF-8",
        ),
        (csv_upload([], headers=HEADERS), "headings but no service lines"),
        (
            csv_upload([["LIB", "Libraries", "x"]], headers=["Code", "Name", "Colour"]),
            "Unknown column ‘Colour’",
        ),
        (
            csv_upload([["LIB", "Libraries"]], headers=["Code", "Name"]),
            "Missing columns: Baseline (£), Min change (%), Max change (%), Step (%)",
        ),
    ],
)
def test_files_that_cannot_be_read_are_refused_on_the_upload_page(
    client, editor, budget, upload, message
):
    response = client.post(import_url(budget), {"file": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not kept_uploads(budget).exists()


def test_a_file_over_2_mb_is_refused(client, editor, budget):
    padding = [row(description="x" * 1000) for _ in range(2100)]
    response = client.post(import_url(budget), {"file": csv_upload(padding)})
    assert response.status_code == 200
    assert "the most we accept is 2 MB" in response.content.decode()


def test_a_csv_with_a_byte_order_mark_reads_the_same(client, editor, budget):
    upload = csv_upload([row(name="Library service")], encoding="utf-8-sig")
    html = check(client, budget, upload).content.decode()
    assert "0 new, 1 updated, 0 unchanged" in html


# Confirming ------------------------------------------------------------------------------------


def test_confirming_saves_new_and_updated_lines_in_that_budget_only(client, editor, budget):
    other = make_budget(name="Another council")
    other_before = snapshot(other)
    library = budget.service_lines.get(code="LIB")
    check(
        client,
        budget,
        csv_upload(
            [
                row(code="lib", name="Library service"),
                row(
                    code="MUS01",
                    name="Museums",
                    baseline="250,000",
                    low="-20",
                    high="0",
                    step="10",
                    consequences="-10%: Shorter opening hours",
                ),
            ]
        ),
    )
    response = confirm(client, budget)
    assert response.status_code == 302
    assert response.headers["Location"] == edit_url(budget)
    assert (
        "2 service lines loaded: 1 new, 1 updated" in client.get(edit_url(budget)).content.decode()
    )

    library.refresh_from_db()
    assert (library.code, library.name) == ("lib", "Library service")
    museums = budget.service_lines.get(code="MUS01")
    assert museums.baseline == Decimal("250000")
    assert museums.key not in {line.key for line in ServiceLine.objects.exclude(pk=museums.pk)}
    assert museums.sort_order > max(
        line.sort_order or 0 for line in budget.service_lines.exclude(pk=museums.pk)
    )
    assert [child.value["text"] for child in museums.consequences] == ["Shorter opening hours"]
    assert budget.service_lines.filter(code="PRK").exists()  # not in the file: left alone
    assert snapshot(other) == other_before
    assert not kept_uploads(budget).exists()


def test_confirming_records_the_import_in_the_budgets_history(client, editor, budget):
    check(client, budget, csv_upload([row(name="Library service"), row(code="MUS01")]))
    confirm(client, budget)
    entry = ModelLogEntry.objects.get(action="budget_simulator.import_service_lines")
    assert entry.object_id == str(budget.pk)
    assert entry.user == editor
    assert entry.data["new"] == ["MUS01"] and entry.data["updated"] == ["LIB"]
    assert entry.message == "Loaded service lines from ‘lines.csv’: 1 new, 1 updated"


def test_an_xlsx_workbook_loads_like_a_csv(client, editor, budget):
    upload = xlsx_upload(
        [
            [
                "LIB",
                "Library service",
                "Place",
                None,
                1100000,
                None,
                -30,
                10,
                5,
                LIBRARIES_CONSEQUENCES,
            ],
            [
                "MUS01",
                "Museums",
                "Place",
                "Two museums",
                250000.5,
                100000,
                -0.2,
                0,
                10,
                "-10%: Shorter opening hours",
            ],
        ],
        formats={"G3": "0%"},  # Excel keeps “-20%” as -0.2 in a percentage cell
    )
    html = check(client, budget, upload).content.decode()
    assert "1 new, 1 updated" in html
    confirm(client, budget)
    museums = budget.service_lines.get(code="MUS01")
    assert (museums.baseline, museums.min_change, museums.statutory_floor) == (
        Decimal("250000.50"),
        Decimal("-20"),
        Decimal("100000"),
    )
    assert budget.service_lines.get(code="LIB").baseline == Decimal("1100000")


def test_loading_the_same_file_twice_changes_nothing_the_second_time(client, editor, budget):
    rows = [row(name="Library service"), row(code="MUS01", consequences="-10%: Shorter hours")]
    check(client, budget, csv_upload(rows))
    confirm(client, budget)
    after_first = snapshot(budget)

    html = check(client, budget, csv_upload(rows)).content.decode()
    assert "0 new, 0 updated, 2 unchanged" in html
    assert "Confirm import" not in html
    confirm(client, budget)
    assert snapshot(budget) == after_first
    assert ModelLogEntry.objects.filter(action="budget_simulator.import_service_lines").count() == 1


def test_confirming_checks_every_row_again_and_saves_nothing_if_one_fails(client, editor, budget):
    headers = [header for header in HEADERS if header != "Consequences"]
    file_rows = [row(low="-20")[:-1], row(code="MUS01", name="Museums")[:-1]]
    assert (
        "Confirm import" in check(client, budget, csv_upload(file_rows, headers)).content.decode()
    )
    # Meanwhile someone adds a -30% consequence in the budget editor.
    library = budget.service_lines.get(code="LIB")
    library.consequences = [("consequence", {"change": Decimal("-30"), "text": "All close"})]
    library.save()
    before = snapshot(budget)

    response = confirm(client, budget)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was loaded" in html
    assert "Row 2, Consequences" in html
    assert snapshot(budget) == before


def test_confirming_without_a_kept_upload_is_refused(client, editor, budget):
    before = snapshot(budget)
    response = client.post(confirm_url(budget), {"token": "made-up"})
    assert response.status_code == 302
    assert response.headers["Location"] == import_url(budget)
    assert snapshot(budget) == before


def test_confirming_with_a_token_from_an_older_check_is_refused(client, editor, budget):
    check(client, budget, csv_upload([row(name="Library service")]))
    token = kept_token(budget)
    check(client, budget, csv_upload([row(name="Library and archives")]))
    before = snapshot(budget)
    response = client.post(confirm_url(budget), {"token": token})
    assert response.headers["Location"] == import_url(budget)
    assert snapshot(budget) == before


def test_an_upload_older_than_an_hour_has_expired(client, editor, budget):
    check(client, budget, csv_upload([row(name="Library service")]))
    token = kept_token(budget)
    kept_uploads(budget).update(uploaded_at=timezone.now() - timedelta(hours=2))
    before = snapshot(budget)
    response = client.post(confirm_url(budget), {"token": token})
    assert response.headers["Location"] == import_url(budget)
    assert snapshot(budget) == before
    assert client.get(preview_url(budget)).headers["Location"] == import_url(budget)


def test_an_upload_for_one_budget_cannot_be_confirmed_on_another(client, editor, budget):
    other = make_budget(name="Another council")
    check(client, budget, csv_upload([row(name="Library service")]))
    token = kept_token(budget)
    before = snapshot(other)
    response = client.post(confirm_url(other), {"token": token})
    assert response.headers["Location"] == import_url(other)
    assert snapshot(other) == before


# Who may do what -------------------------------------------------------------------------------


def test_an_analyst_cannot_load_service_lines(client, budget):
    officer(client, "Analysts")
    before = snapshot(budget)
    assert client.get(import_url(budget)).status_code == 403
    response = client.post(import_url(budget), {"file": csv_upload([row(name="Hacked")])})
    assert response.status_code == 403
    assert client.get(preview_url(budget)).status_code == 403
    assert client.post(confirm_url(budget), {"token": "x"}).status_code == 403
    assert snapshot(budget) == before


def test_an_analyst_can_download_service_lines(client, budget):
    officer(client, "Analysts")
    assert client.get(download_url(budget, "csv")).status_code == 200


def test_a_user_without_budget_permissions_cannot_download(client, budget):
    officer(client, "Moderators")
    assert client.get(download_url(budget, "csv")).status_code == 403


# Downloads -------------------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_downloaded_lines_load_back_unchanged(client, editor, budget, file_format):
    library = budget.service_lines.get(code="LIB")
    library.name = '=HYPERLINK("http://x")'
    library.description = "'quoted' and £ and accents: café"
    library.save()
    before = snapshot(budget)
    response = client.get(download_url(budget, file_format))
    assert response.status_code == 200
    assert f'service-lines.{file_format}"' in response.headers["Content-Disposition"]

    upload = SimpleUploadedFile(f"download.{file_format}", response.content)
    html = check(client, budget, upload).content.decode()
    assert "0 new, 0 updated, 3 unchanged" in html
    confirm(client, budget)
    assert snapshot(budget) == before


HOSTILE = ['=HYPERLINK("http://x")', "+1", "@SUM(A1)", "\tTabbed", "\rReturned", "-2+3"]


@pytest.fixture
def hostile_budget(db):
    budget = make_budget()
    # In the order the download lists lines: PostgreSQL returns equal sort orders in any order.
    lines = budget.service_lines.order_by("sort_order", "pk")
    for line, name in zip(lines, HOSTILE, strict=False):
        line.name = name
        line.group = "=1+1"
        line.save()
    return budget


def test_csv_download_neutralises_formulae_but_keeps_numbers(client, editor, hostile_budget):
    content = client.get(download_url(hostile_budget, "csv")).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content, newline="")))
    names = [line["Name"] for line in rows]
    assert names == ["'" + name for name in HOSTILE[:3]]
    assert {line["Group"] for line in rows} == {"'=1+1"}
    assert rows[0]["Min change (%)"] == "-30"
    assert rows[0]["Consequences"].startswith("'-10%: One day less a week")


def test_xlsx_download_neutralises_formulae_but_keeps_numbers(client, editor, hostile_budget):
    content = client.get(download_url(hostile_budget, "xlsx")).content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    cells = list(sheet.iter_rows(min_row=2))
    assert [row[1].value for row in cells] == ["'" + name for name in HOSTILE[:3]]
    assert all(
        cell.data_type == "s" for row in cells for cell in row if isinstance(cell.value, str)
    )
    low = cells[0][6]
    assert (low.value, low.data_type) == (-30, "n")
    assert cells[0][4].value == 1000000


def test_every_trigger_character_is_neutralised_and_restored():
    for name in [*HOSTILE, "\nNew line", "'=already quoted", "''", "'plain", "Plain"]:
        written = neutralise(name)
        assert written[0] not in "=+-@\t\r\n"
        assert restore(written) == name
    assert neutralise(-10) == -10
    assert neutralise(Decimal("-2.5")) == Decimal("-2.5")


def test_the_example_spreadsheet_is_the_demo_budget_and_loads_cleanly(client, editor, db):
    demo = seed_budget()
    assert import_views.SAMPLE.read_bytes() == write_csv(export_dataset(demo))
    response = client.get(reverse("budget_simulator:service_lines_example"))
    assert response.status_code == 200
    empty = make_budget()
    html = check(
        client, empty, SimpleUploadedFile("example.csv", import_views.SAMPLE.read_bytes())
    ).content.decode()
    assert "12 new, 0 updated, 0 unchanged" in html
    assert "Confirm import" in html


# Reading cells (no database) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "money", "expected"),
    [
        ("1234567.89", True, Decimal("1234567.89")),
        ("1,234,567.89", True, Decimal("1234567.89")),
        ("£1,234,567", True, Decimal("1234567")),
        ("-10", False, Decimal("-10")),
        ("−10", False, Decimal("-10")),
        ("-10%", False, Decimal("-10")),
        (" 2.5 ", False, Decimal("2.5")),
        (-0.5, False, Decimal("-0.5")),
        ("", True, None),
    ],
)
def test_numbers_are_read_plainly(text, money, expected):
    assert parse_number(text, money=money) == expected


@pytest.mark.parametrize(
    ("text", "money"),
    [
        ("£1.2m", True),
        ("1.2 million", True),
        ("1,23", True),
        ("10%", True),
        ("£5", False),
        ("ten", False),
        ("1e3", False),
    ],
)
def test_anything_but_a_plain_number_is_refused(text, money):
    with pytest.raises(ValueError, match="is not"):
        parse_number(text, money=money)


def test_consequences_read_one_per_line():
    widget = ConsequencesWidget()
    cleaned = widget.clean("'-10%: Libraries open one day less a week\n\n+5 % : Sunday opening")
    assert cleaned == [
        ("consequence", {"change": Decimal("-10"), "text": "Libraries open one day less a week"}),
        ("consequence", {"change": Decimal("5"), "text": "Sunday opening"}),
    ]


def test_a_spreadsheet_with_a_heading_we_do_not_know_says_which():
    upload = csv_upload([row() + ["x"]], headers=[*HEADERS, "Notes"])
    with pytest.raises(Exception, match="Unknown column ‘Notes’"):
        read_spreadsheet(upload.read(), "csv")


# Disguised formulas and files that declare more than they hold ---------------------------------

DISGUISED = ["＝1+1", "＠SUM(A1)", ' =HYPERLINK("http://evil.example")', "\u3000－2+3"]


@pytest.fixture
def disguised_budget(db):
    budget = make_budget()
    for line, name in zip(
        budget.service_lines.order_by("sort_order", "pk"), DISGUISED, strict=False
    ):
        line.name = name
        line.save()
    return budget


def test_csv_download_neutralises_full_width_and_spaced_formulae(client, editor, disguised_budget):
    content = client.get(download_url(disguised_budget, "csv")).content.decode("utf-8-sig")
    names = [line["Name"] for line in csv.DictReader(io.StringIO(content, newline=""))]
    count = len(names)
    assert names == ["'" + name for name in DISGUISED[:count]]


def test_xlsx_download_neutralises_full_width_and_spaced_formulae(client, editor, disguised_budget):
    content = client.get(download_url(disguised_budget, "xlsx")).content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    names = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert names == ["'" + name for name in DISGUISED[: len(names)]]


def test_a_download_with_disguised_formulae_loads_back_unchanged(client, editor, disguised_budget):
    content = client.get(download_url(disguised_budget, "csv")).content
    upload = SimpleUploadedFile("lines.csv", content, content_type="text/csv")
    html = check(client, disguised_budget, upload).content.decode()
    assert "0 new, 0 updated" in html


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("lines.xlsx", xlsx({1: HEADERS, 1048576: row()})),
        SimpleUploadedFile("lines.csv", (",".join(HEADERS) + "\r\n" + ",,,\r\n" * 50_000).encode()),
    ],
    ids=["xlsx rows far apart", "csv of empty rows"],
)
def test_an_upload_of_a_million_rows_is_refused_naming_the_limit(client, editor, budget, upload):
    response = client.post(import_url(budget), {"file": upload})
    assert response.status_code == 200
    assert f"more than {MAX_SHEET_ROWS:,} rows, counting empty rows" in response.content.decode()
    assert not kept_uploads(budget).exists()
