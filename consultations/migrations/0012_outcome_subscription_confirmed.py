"""Outcome subscriptions wait for a confirmation click before they are emailed the outcome.

Residents who asked before confirmation existed were promised an email: their rows count as
confirmed when they were made.
"""

from django.db import migrations, models
from django.db.models import F


def confirm_earlier_subscriptions(apps, schema_editor):
    OutcomeSubscription = apps.get_model("consultations", "OutcomeSubscription")
    OutcomeSubscription.objects.filter(confirmed_at__isnull=True).update(
        confirmed_at=F("created_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0011_response_uploads"),
    ]

    operations = [
        migrations.AddField(
            model_name="outcomesubscription",
            name="confirmed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(confirm_earlier_subscriptions, migrations.RunPython.noop),
    ]
