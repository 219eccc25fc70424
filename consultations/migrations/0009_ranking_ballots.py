"""Each resident's ranking as one ballot row, so results count 100,000 ballots instead of
pivoting 800,000 positions (issue 5, docs/performance.md).

Existing rankings get their ballots from their positions in one statement: PostgreSQL's
jsonb_object_agg and SQLite's json_group_object build {item id: position} per response.
"""

import django.db.models.deletion
from django.db import migrations, models

OBJECT_OF_POSITIONS = {
    "postgresql": "jsonb_object_agg(item_id, position)",
    "sqlite": "json_group_object(item_id, position)",
}


def ballots_from_positions(apps, schema_editor):
    RankingBallot = apps.get_model("consultations", "RankingBallot")
    RankingPosition = apps.get_model("consultations", "RankingPosition")
    vendor = schema_editor.connection.vendor
    if vendor in OBJECT_OF_POSITIONS:
        schema_editor.execute(
            f"INSERT INTO {RankingBallot._meta.db_table} (response_id, question_id, positions) "  # noqa: S608
            f"SELECT response_id, question_id, {OBJECT_OF_POSITIONS[vendor]} "
            f"FROM {RankingPosition._meta.db_table} GROUP BY response_id, question_id"
        )
        return
    ballots = {}
    for row in RankingPosition.objects.order_by().iterator(chunk_size=5_000):
        ballots.setdefault((row.response_id, row.question_id), {})[row.item_id] = row.position
    RankingBallot.objects.bulk_create(
        [
            RankingBallot(response_id=response_id, question_id=question_id, positions=positions)
            for (response_id, question_id), positions in ballots.items()
        ],
        batch_size=5_000,
    )


class Migration(migrations.Migration):
    dependencies = [("consultations", "0008_response_exports")]

    operations = [
        migrations.CreateModel(
            name="RankingBallot",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("question_id", models.CharField(max_length=64)),
                ("positions", models.JSONField()),
                (
                    "response",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ranking_ballots",
                        to="consultations.response",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["question_id"], name="ranking_ballot_question_idx")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("response", "question_id"), name="one_ballot_per_ranking"
                    )
                ],
            },
        ),
        migrations.RunPython(ballots_from_positions, migrations.RunPython.noop, elidable=False),
    ]
