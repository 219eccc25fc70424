"""The demo council, seeded once per test process and then written back row for row.

Seeding through Wagtail's API (pages, revisions, workflows, synthetic responses) takes seconds,
and most tests start from the demo council. The first test that asks for it in a process seeds it
and records, table by table, what seeding changed. Later tests get those tables written straight
back (PostgreSQL's COPY; plain INSERTs on SQLite), with sequences moved past the rows, inside one
transaction, so foreign keys are checked on the finished tables.

The recording is used only when it fits: every table holds the very same rows as when it was
made (otherwise, say after a transactional test emptied the database and post_migrate made the
permissions again under new ids, or a fixture added a user first, it seeds for real and records
that starting point too), and seeding would write the same thing (the same public address,
number of synthetic responses and sign-in code period, within the same hour, since the demo's
dates are counted from it).
"""

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

# Recordings by what seeding depends on; a few starting points each (most tests start from an
# empty migrated database, some from one a fixture has already added to).
_recordings = {}
MOST_RECORDINGS = 4


def _tables():
    names = connection.introspection.table_names(include_views=False)
    return sorted(name for name in names if name not in {"django_migrations", "sqlite_sequence"})


def _quote(name):
    """A table name from the database's own list, quoted (the S608 notices below are about
    these names, never about data)."""
    return connection.ops.quote_name(name)


def _row_counts(tables):
    """Rows in every table, in one query."""
    counts = ", ".join(f"(SELECT COUNT(*) FROM {_quote(table)})" for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return tuple(cursor.fetchone())


def _read(table):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {_quote(table)} TO STDOUT") as copy:
                return b"".join(bytes(block) for block in copy)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {_quote(table)}")  # noqa: S608
        return cursor.fetchall()


def _write(table, rows):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_quote(table)}")  # noqa: S608
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {_quote(table)} FROM STDIN") as copy:
                copy.write(rows)
        elif rows:
            marks = ", ".join(["%s"] * len(rows[0]))
            cursor.executemany(f"INSERT INTO {_quote(table)} VALUES ({marks})", rows)  # noqa: S608


def _models_of(tables):
    from django.apps import apps

    wanted = set(tables)
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.db_table in wanted
    ]


def _key():
    return (
        connection.vendor,
        connection.settings_dict["NAME"],
        settings.PUBLIC_BASE_URL,
        settings.DEMO_SYNTHETIC_RESPONSES,
        getattr(settings, "TOTP_PERIOD", None),
        timezone.now().replace(minute=0, second=0, microsecond=0),
    )


def _content(rows):
    """A table's rows in an order-free form, to compare (a restored database may hold the same
    rows in another physical order)."""
    if isinstance(rows, bytes):
        return sorted(rows.split(b"\n"))
    return sorted(rows, key=repr)


def seed_demo_from_recording(seed):
    """Load the demo council: by `seed()` the first time from a given starting point (recording
    what it changed), then by writing the recorded tables back."""
    key = _key()
    tables = _tables()
    counts = _row_counts(tables)
    recordings = _recordings.setdefault(key, [])
    candidates = [each for each in recordings if each["counts"] == counts]
    # Every table, row for row: a flush and post_migrate, say, give the permissions new ids
    # with the same count.
    before = {table: _content(_read(table)) for table in tables} if candidates else None
    recording = next((each for each in candidates if each["before"] == before), None)
    if recording is not None:
        with transaction.atomic():
            for table, rows in recording["after"].items():
                _write(table, rows)
            reset = connection.ops.sequence_reset_sql(no_style(), recording["models"])
            if reset:
                with connection.cursor() as cursor:
                    for statement in reset:
                        cursor.execute(statement)
        return
    if before is None:
        before = {table: _content(_read(table)) for table in tables}
    seed()
    after = {table: _read(table) for table in _tables()}
    changed = [table for table, rows in after.items() if before.get(table) != _content(rows)]
    if len(recordings) >= MOST_RECORDINGS:
        recordings.pop(0)
    recordings.append(
        {
            "counts": counts,
            "before": before,
            "after": {table: after[table] for table in changed},
            "models": _models_of(changed),
        }
    )
