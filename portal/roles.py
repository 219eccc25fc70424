"""Officer roles, as Wagtail groups, each with the least it needs.

One definition, applied by a data migration (`consultations/migrations/0006_officer_roles.py`)
and again, safely, by `seed_demo` and by tests that start from an empty group table. It takes an
app registry so the migration can pass its historical models.

- Consultation editors: write consultation and outcome pages (not publish), budgets, images.
- Consultation approvers: review and publish pages; the approvers in Wagtail's publishing
  workflow (they are Wagtail's own "Moderators" group, renamed, so the default workflow's task
  points at them).
- Moderators: the comment moderation queue and nothing else.
- Analysts: results, themes and budget results; exporting responses to spreadsheets and importing
  paper, email and event responses; never personal data or original comments.
- Personal data access: the one permission to see personal data and original (unredacted or
  rejected) comments, given on top of another role.
"""

CONSULTATION_EDITORS = "Consultation editors"
CONSULTATION_APPROVERS = "Consultation approvers"
MODERATORS = "Moderators"
ANALYSTS = "Analysts"
PERSONAL_DATA_ACCESS = "Personal data access"

# Wagtail's migrations create "Editors" and "Moderators" (page moderators); ours rename them once.
WAGTAIL_GROUPS_RENAMED = {"Editors": CONSULTATION_EDITORS, "Moderators": CONSULTATION_APPROVERS}

# Page permissions each role holds over the whole page tree.
PAGE_PERMISSIONS = {
    CONSULTATION_EDITORS: ["add_page", "change_page"],
    CONSULTATION_APPROVERS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    MODERATORS: [],
    ANALYSTS: [],
    PERSONAL_DATA_ACCESS: [],
}

# Every model permission a role may hold, by what it lets an officer do. portal/permissions.py
# asks for these and nothing else.
MODERATE_COMMENTS = ("consultations", "comment", "moderate_comment")
SEE_RESULTS = ("consultations", "response", "view_results")
EXPORT_RESPONSES = ("consultations", "response", "view_response")
IMPORT_RESPONSES = ("consultations", "response", "add_response")
SEE_PERSONAL_DATA = ("consultations", "response", "view_personal_data")
SEE_THEMES = ("consultations", "theme", "view_theme")
ADD_THEMES = ("consultations", "theme", "add_theme")
CHANGE_THEMES = ("consultations", "theme", "change_theme")
DELETE_THEMES = ("consultations", "theme", "delete_theme")
SEE_BUDGETS = ("budget_simulator", "budget", "view_budget")
ADD_BUDGETS = ("budget_simulator", "budget", "add_budget")
CHANGE_BUDGETS = ("budget_simulator", "budget", "change_budget")
DELETE_BUDGETS = ("budget_simulator", "budget", "delete_budget")
SEE_BUDGET_RESULTS = ("budget_simulator", "budget", "view_budget_results")

_MEDIA = [
    ("wagtailimages", "image", "add_image"),
    ("wagtailimages", "image", "change_image"),
    ("wagtailimages", "image", "choose_image"),
    ("wagtaildocs", "document", "add_document"),
    ("wagtaildocs", "document", "change_document"),
    ("wagtaildocs", "document", "choose_document"),
]
_BUDGETS = [ADD_BUDGETS, CHANGE_BUDGETS, DELETE_BUDGETS, SEE_BUDGETS]

# The lists a consultation is tagged with: whoever writes consultations keeps them.
_TOPICS_AND_AREAS = [
    ("consultations", model, f"{action}_{model}")
    for model in ("topic", "area")
    for action in ("add", "change", "view")
]

# Model permissions each role holds: (app label, model, codename). Every role gets admin access.
MODEL_PERMISSIONS = {
    CONSULTATION_EDITORS: [*_MEDIA, *_BUDGETS, *_TOPICS_AND_AREAS],
    CONSULTATION_APPROVERS: [*_MEDIA, *_BUDGETS, *_TOPICS_AND_AREAS],
    MODERATORS: [MODERATE_COMMENTS],
    ANALYSTS: [
        SEE_RESULTS,
        # Export responses to spreadsheets (without personal data) and import paper ones.
        EXPORT_RESPONSES,
        IMPORT_RESPONSES,
        ADD_THEMES,
        CHANGE_THEMES,
        DELETE_THEMES,
        SEE_THEMES,
        SEE_BUDGETS,
        SEE_BUDGET_RESULTS,
    ],
    PERSONAL_DATA_ACCESS: [SEE_PERSONAL_DATA],
}

PERMISSION_NAMES = {
    "moderate_comment": "Can moderate residents' comments",
    "view_results": "Can see consultation results and themes",
    "view_personal_data": "Can see residents' personal data and original comments",
    "view_budget_results": "Can see budget simulator results",
    "view_response": "Can view response",
    "add_response": "Can add response",
}
ACCESS_ADMIN = ("wagtailadmin", "admin", "access_admin")


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    default_name = PERMISSION_NAMES.get(codename, f"Can {codename.replace('_', ' ', 1)}")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": default_name}
    )
    return permission


def define_groups(apps):
    """Give each role exactly its permissions; safe to repeat. Returns {name: group}."""
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Page = apps.get_model("wagtailcore", "Page")
    for old, new in WAGTAIL_GROUPS_RENAMED.items():
        if not Group.objects.filter(name=new).exists():
            Group.objects.filter(name=old).update(name=new)
    root = Page.objects.filter(depth=1).first()
    groups = {}
    for name, page_codenames in PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [
                _permission(apps, *ACCESS_ADMIN),
                *(_permission(apps, *spec) for spec in MODEL_PERMISSIONS[name]),
            ]
        )
        GroupPagePermission.objects.filter(group=group).exclude(
            page=root, permission__codename__in=page_codenames
        ).delete()
        if root is not None:
            for codename in page_codenames:
                GroupPagePermission.objects.get_or_create(
                    group=group,
                    page=root,
                    permission=_permission(apps, "wagtailcore", "page", codename),
                )
        groups[name] = group
    return groups


def ensure_officer_groups():
    """The officer groups as live models (for `seed_demo` and tests)."""
    from django.apps import apps

    return define_groups(apps)
