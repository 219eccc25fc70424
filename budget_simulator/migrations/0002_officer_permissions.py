"""Editors keep budgets; analysts may read budgets and their simulator results."""

from django.db import migrations

GRANTS = {
    "Editors": ["add_budget", "change_budget", "delete_budget", "view_budget"],
    "Analysts": ["view_budget", "view_budget_results"],
}
NAMES = {
    "add_budget": "Can add budget",
    "change_budget": "Can change budget",
    "delete_budget": "Can delete budget",
    "view_budget": "Can view budget",
    "view_budget_results": "Can see budget simulator results",
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    budget_type, _ = ContentType.objects.get_or_create(app_label="budget_simulator", model="budget")
    for group_name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for codename in codenames:
            permission, _ = Permission.objects.get_or_create(
                content_type=budget_type, codename=codename, defaults={"name": NAMES[codename]}
            )
            group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="budget_simulator").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("budget_simulator", "0001_initial"),
        ("consultations", "0002_analysts_group"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
