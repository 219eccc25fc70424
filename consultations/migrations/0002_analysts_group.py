"""Analysts read responses and results in the Wagtail admin but edit no pages."""

from django.db import migrations


def create_analysts_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    group, _ = Group.objects.get_or_create(name="Analysts")
    group.permissions.add(access_admin)


def remove_analysts_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Analysts").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_analysts_group, remove_analysts_group)]
