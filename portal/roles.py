"""Officer roles, as Wagtail groups. Names match Wagtail's own default groups where they exist."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Page

EDITORS = "Editors"
MODERATORS = "Moderators"
ANALYSTS = "Analysts"

# Page permissions each role holds over the whole site tree.
PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page"],
    MODERATORS: ["add_page", "change_page", "publish_page"],
    ANALYSTS: [],
}

# Model permissions each role holds: (app label, codename).
MODEL_PERMISSIONS = {
    EDITORS: [
        ("budget_simulator", "add_budget"),
        ("budget_simulator", "change_budget"),
        ("budget_simulator", "delete_budget"),
        ("budget_simulator", "view_budget"),
    ],
    MODERATORS: [],
    ANALYSTS: [
        ("budget_simulator", "view_budget"),
        ("budget_simulator", "view_budget_results"),
    ],
}


def ensure_officer_groups():
    """Create the officer groups with admin access, page and model permissions; safe to repeat."""
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    root = Page.get_first_root_node()
    groups = {}
    for name, codenames in PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        for codename in codenames:
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            )
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label__in={app for app, _ in MODEL_PERMISSIONS[name]},
                codename__in={codename for _, codename in MODEL_PERMISSIONS[name]},
            )
        )
        groups[name] = group
    return groups
