"""Officer roles as Wagtail groups, least privilege (see portal/roles.py).

Renames Wagtail's "Editors" and "Moderators" (page moderators, the approvers in its default
workflow) to "Consultation editors" and "Consultation approvers", and adds "Moderators" (comment
moderation only), "Analysts" and "Personal data access".
"""

from django.db import migrations

from portal.roles import define_groups


def create_roles(apps, schema_editor):
    define_groups(apps)
    # Wagtail's default workflow and its one task still say "Moderators": name them for who acts.
    for model in ("Workflow", "Task"):
        apps.get_model("wagtailcore", model).objects.filter(name="Moderators approval").update(
            name="Sign-off by a consultation approver"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0005_moderation_themes_outcomes"),
        ("budget_simulator", "0002_officer_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
