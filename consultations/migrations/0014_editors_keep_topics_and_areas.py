from django.db import migrations

from portal.roles import define_groups


def editors_keep_topics_and_areas(apps, schema_editor):
    """Consultation editors and approvers add and rename topics and areas (portal/roles.py)."""
    define_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("consultations", "0013_export_heartbeat")]

    operations = [migrations.RunPython(editors_keep_topics_and_areas, migrations.RunPython.noop)]
