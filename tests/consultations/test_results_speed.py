"""What keeps results for 100,000 responses fast on PostgreSQL (docs/performance.md), and keeps
its settings to the results transaction alone."""

import pytest
from django.db import connection, transaction

from consultations.analysis.results import POSTGRESQL_SETTINGS, analytical_queries

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL planner statistics and settings"
)


def setting(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        return cursor.fetchone()[0]


@postgresql_only
@pytest.mark.django_db
def test_the_planner_knows_how_few_groups_the_answer_counts_make():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT stxkind, ARRAY(SELECT attname FROM pg_attribute"
            " WHERE attrelid = stxrelid AND attnum = ANY(stxkeys) ORDER BY attnum)"
            " FROM pg_statistic_ext WHERE stxrelid = 'consultations_answer'::regclass"
        )
        found = cursor.fetchall()

    assert (["d"], ["question_id", "part", "option", "number"]) in found


@postgresql_only
@pytest.mark.django_db
def test_the_results_settings_apply_inside_the_results_transaction_only():
    with transaction.atomic():
        before = {name: setting(name) for name in POSTGRESQL_SETTINGS}
        with analytical_queries():
            during = {name: setting(name) for name in POSTGRESQL_SETTINGS}
        after = {name: setting(name) for name in POSTGRESQL_SETTINGS}

    assert during == POSTGRESQL_SETTINGS
    assert after == before
