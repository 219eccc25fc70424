"""Results for 100,000 responses in under 2 s (issue 5, docs/performance.md).

An index on answers by question and response, so residents (not rows) are counted from the
index in response order; and, on PostgreSQL only, statistics telling the planner how many
different (question, part, option, number) groups there are: it otherwise multiplies each
column's distinct values, expects hundreds of thousands of groups where there are hundreds, and
sorts millions of rows on disk instead of counting them in a small hash table.
"""

from django.db import migrations, models

ANSWER_GROUPS = "consultations_answer_groups"


def create_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE STATISTICS IF NOT EXISTS {ANSWER_GROUPS} (ndistinct) "
        "ON question_id, part, option, number FROM consultations_answer"
    )
    # The statistics count only once the table is analysed again (a sample: seconds, not minutes).
    schema_editor.execute("ANALYZE consultations_answer")


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {ANSWER_GROUPS}")


class Migration(migrations.Migration):
    dependencies = [("consultations", "0006_officer_roles")]

    operations = [
        migrations.AddIndex(
            model_name="answer",
            index=models.Index(
                fields=["question_id", "response", "part"], name="answer_question_response_idx"
            ),
        ),
        migrations.RunPython(create_statistics, drop_statistics, elidable=False),
    ]
