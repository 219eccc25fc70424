"""One permissions module: every view, hook and task asks portal/permissions.py, which asks for
what portal/roles.py grants, and each role can do exactly its job."""

import ast
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from portal import permissions, roles
from tests.builders import UserFactory
from tests.portal.test_roles import member_of

ROOT = Path(__file__).resolve().parents[2]
APPS = ["consultations", "budget_simulator", "home", "portal"]
ABILITIES = [
    name
    for name in dir(permissions)
    if name.startswith("may_") and callable(getattr(permissions, name))
]


def production_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_only_the_permissions_module_asks_for_a_permission():
    askers = []
    for path in production_modules():
        if path == ROOT / "portal" / "permissions.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"has_perm", "has_perms"}
            ):
                askers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert askers == []


def test_every_permission_asked_for_is_one_a_role_grants():
    """A permission no role holds would be an ability only superusers ever have."""
    source = (ROOT / "portal" / "permissions.py").read_text(encoding="utf-8")
    asked = {
        node.attr
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "roles"
    }
    assert asked, "permissions.py should ask for the roles' permissions"
    granted = {spec for specs in roles.MODEL_PERMISSIONS.values() for spec in specs}
    for name in asked:
        spec = getattr(roles, name)
        assert spec == roles.ACCESS_ADMIN or spec in granted, name


# What each role may do: True where the role's job needs it, nothing else.
EXPECTED = {
    roles.CONSULTATION_EDITORS: {
        "may_use_admin",
        "may_change_budgets",
        "may_see_budgets",
        "may_make_budget_versions",
    },
    roles.CONSULTATION_APPROVERS: {
        "may_use_admin",
        "may_change_budgets",
        "may_see_budgets",
        "may_make_budget_versions",
    },
    roles.MODERATORS: {"may_use_admin", "may_moderate_comments"},
    roles.ANALYSTS: {
        "may_use_admin",
        "may_see_results",
        "may_see_themes",
        "may_add_themes",
        "may_change_themes",
        "may_delete_themes",
        "may_export_responses",
        "may_import_responses",
        "may_see_budgets",
        "may_see_budget_results",
    },
    roles.PERSONAL_DATA_ACCESS: {"may_use_admin", "may_see_personal_data"},
}


def abilities_of(user):
    return {
        name for name in ABILITIES if name != "may_have_export" and getattr(permissions, name)(user)
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_may_do_its_job_and_nothing_more(role):
    assert abilities_of(member_of(role)) == EXPECTED[role]


@pytest.mark.django_db
def test_residents_and_visitors_may_do_nothing_in_the_admin():
    assert abilities_of(UserFactory()) == set()
    assert abilities_of(AnonymousUser()) == set()


@pytest.mark.django_db
def test_an_export_with_personal_data_needs_both_permissions_now():
    analyst = member_of(roles.ANALYSTS)
    both = member_of(roles.ANALYSTS, roles.PERSONAL_DATA_ACCESS)
    assert permissions.may_have_export(analyst, personal_data=False)
    assert not permissions.may_have_export(analyst, personal_data=True)
    assert permissions.may_have_export(both, personal_data=True)
    assert not permissions.may_have_export(member_of(roles.PERSONAL_DATA_ACCESS), False)
