"""Background exports beat while they are made, so one whose worker died is seen to have stopped,
and say why they failed."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0012_outcome_subscription_confirmed"),
    ]

    operations = [
        migrations.AddField(
            model_name="responseexport",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="responseexport",
            name="failure_message",
            field=models.CharField(blank=True, max_length=300),
        ),
    ]
