"""Exporting 100,000 responses: streamed CSV in constant memory, XLSX within 60 s and 500 MB.

Target (issue 6): 100,000 responses x about 40 columns as streamed CSV in constant memory and as
XLSX within 60 s and 500 MB peak, measured against django-import-export's default export path
(`ResponseResource.export()` then tablib) as the baseline. On PostgreSQL, as in production: a
database of its own (`BENCH_EXPORTS_DATABASE_URL`, default .../portal_bench_exports), dropped
and loaded again unless `BENCH_EXPORTS_REUSE=1`.

It loads the demo council and gives the open budget consultation 100,000 synthetic responses
(bench_results.load_responses: every question type, comments on the free text). Each export runs
in a child process of its own, so its peak memory is the child's maximum resident set size (what
the operating system had to give it, Python and Django included), next to a child that only sets
Django up. Constant memory is shown by exporting 10,000 and then 100,000 responses to CSV.
"""

import json
import os
import platform
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_EXPORTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_exports"
)
RESPONSES = int(os.environ.get("BENCH_EXPORTS_RESPONSES", "100000"))
REUSE = os.environ.get("BENCH_EXPORTS_REUSE") == "1"
# The baseline is slow (minutes): BENCH_EXPORTS_BASELINE=0 leaves it out while working.
BASELINE = os.environ.get("BENCH_EXPORTS_BASELINE", "1") == "1"
TARGET_SECONDS = 60
TARGET_MB = 500
SLUG = "budget-2027-28"


def setup_django():
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def child(method, file_format, limit):
    """Run one export in this (child) process; print its figures as JSON."""
    setup_django()
    from consultations.models import ConsultationPage, Response
    from consultations.spreadsheets.exports import ExportFilters, ResponsesExport
    from consultations.spreadsheets.imports import ResponseResource

    page = ConsultationPage.objects.get(slug=SLUG)
    filters = ExportFilters()
    if limit:
        last = (
            Response.objects.filter(consultation=page)
            .order_by("submitted_at", "pk")
            .values_list("submitted_at", flat=True)[limit - 1]
        )
        filters.submitted_to = last.date()
    target = Path(f"/tmp/bench-export-{os.getpid()}.{file_format}")  # noqa: S108 (throwaway)
    started = time.perf_counter()
    rows = columns = 0
    if method == "setup":
        pass
    elif method == "streamed":
        export = ResponsesExport(page, filters=filters)
        with target.open("wb") as out:
            if file_format == "csv":
                for chunk in export.csv_stream():  # what the view streams to the browser
                    out.write(chunk)
            else:
                export.write(file_format, out)
        columns = len(export.layout.columns)
    elif method == "import-export":
        resource = ResponseResource(page)
        queryset = filters.apply(resource.get_queryset(), resource.layout)
        dataset = resource.export(queryset)
        content = dataset.export(file_format)
        target.write_bytes(content.encode("utf-8-sig") if isinstance(content, str) else content)
        columns = dataset.width
    seconds = time.perf_counter() - started
    if target.exists():
        size = target.stat().st_size
        if file_format == "csv":
            with target.open(encoding="utf-8-sig") as lines:
                rows = sum(1 for _ in lines)
        target.unlink()
    else:
        size = 0
    print(json.dumps({"seconds": seconds, "bytes": size, "lines": rows, "columns": columns}))


def run_child(method, file_format, limit=0):
    """(figures, peak RSS in MB) of one export run in a child process."""
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, __file__, "child", method, file_format, str(limit)],
        stdout=subprocess.PIPE,
        cwd=ROOT,
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    output = process.stdout.read().decode()
    process.stdout.close()
    if status != 0:
        sys.exit(f"The {method} {file_format} export failed:\n{output}")
    return json.loads(output.strip().splitlines()[-1]), usage.ru_maxrss / 1024


def load():
    from bench_results import fresh_database, load_responses

    if not REUSE:
        fresh_database_named(fresh_database)
    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from consultations.models import ConsultationPage

    call_command("migrate", verbosity=0)
    if not REUSE:
        started = time.perf_counter()
        settings.DEMO_SYNTHETIC_RESPONSES = 0
        call_command("seed_demo", verbosity=0)
        page = ConsultationPage.objects.get(slug=SLUG)
        print(f"Loading {RESPONSES:,} responses into ‘{page.title}’", flush=True)
        load_responses(page, RESPONSES, random.Random(20261124))  # noqa: S311 (made-up data)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"Loaded in {time.perf_counter() - started:.0f} s", flush=True)
    print(
        f"Machine: {os.cpu_count()} CPUs ({platform.processor() or platform.machine()}), "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )


def fresh_database_named(fresh_database):
    name = DATABASE_URL.rsplit("/", 1)[-1]
    if not name.startswith("portal_bench"):
        sys.exit(f"Refusing to drop {name!r}: the benchmark database's name starts portal_bench")
    fresh_database(DATABASE_URL)


def main():
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    load()
    setup, setup_mb = run_child("setup", "csv")
    print(f"Django set up, no export: peak {setup_mb:.0f} MB", flush=True)
    runs = [("streamed", "csv", RESPONSES // 10), ("streamed", "csv", 0), ("streamed", "xlsx", 0)]
    if BASELINE:
        runs += [("import-export", "csv", 0), ("import-export", "xlsx", 0)]
    figures = {}
    for method, file_format, limit in runs:
        result, peak = run_child(method, file_format, limit)
        figures[(method, file_format, limit)] = (result, peak)
        responses = f"{limit:,}" if limit else f"{RESPONSES:,}"
        print(
            f"{method:13} {file_format.upper():4} {responses:>7} responses x "
            f"{result['columns']} columns: {result['seconds']:.1f} s, peak {peak:.0f} MB "
            f"({result['bytes'] / 1e6:.0f} MB file)",
            flush=True,
        )
    csv_small = figures[("streamed", "csv", RESPONSES // 10)][1]
    csv_full = figures[("streamed", "csv", 0)]
    xlsx = figures[("streamed", "xlsx", 0)]
    print(
        f"CSV memory: {csv_small:.0f} MB for a tenth of the responses, {csv_full[1]:.0f} MB for "
        "all of them",
        flush=True,
    )
    if BASELINE:
        for file_format in ("csv", "xlsx"):
            ours = figures[("streamed", file_format, 0)]
            theirs = figures[("import-export", file_format, 0)]
            print(
                f"{file_format.upper()}: import-export's path takes "
                f"{theirs[0]['seconds'] / ours[0]['seconds']:.1f}x the time and "
                f"{theirs[1] / ours[1]:.1f}x the peak memory",
                flush=True,
            )
    missed = []
    if xlsx[0]["seconds"] > TARGET_SECONDS or xlsx[1] > TARGET_MB:
        missed.append(f"XLSX {xlsx[0]['seconds']:.0f} s / {xlsx[1]:.0f} MB")
    if csv_full[1] > csv_small * 1.25 or csv_full[1] > TARGET_MB:
        missed.append(f"CSV memory grew from {csv_small:.0f} to {csv_full[1]:.0f} MB")
    if missed:
        sys.exit("Target missed: " + "; ".join(missed))
    print("Targets met.")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main()
