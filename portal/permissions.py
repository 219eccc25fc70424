"""What an officer may do: the one place views, hooks and tasks ask.

Each question names an ability in the council's words and checks the permission that
`portal/roles.py` grants for it, so a role's powers are read in one file and asked in another,
and no view spells a permission string of its own (tests/portal/test_permissions.py keeps it so).
"""

from portal import roles


def permission_name(spec):
    """("consultations", "comment", "moderate_comment") → "consultations.moderate_comment"."""
    app_label, _model, codename = spec
    return f"{app_label}.{codename}"


def _has(user, *specs):
    return user.is_authenticated and all(user.has_perm(permission_name(spec)) for spec in specs)


def may_use_admin(user):
    return _has(user, roles.ACCESS_ADMIN)


# Comments ------------------------------------------------------------------------------------


def may_moderate_comments(user):
    return _has(user, roles.MODERATE_COMMENTS)


def may_see_personal_data(user):
    """Residents' personal data, and comments as written (unredacted, or rejected)."""
    return _has(user, roles.SEE_PERSONAL_DATA)


# Results and themes ---------------------------------------------------------------------------


def may_see_results(user):
    return _has(user, roles.SEE_RESULTS)


def may_see_themes(user):
    return _has(user, roles.SEE_RESULTS, roles.SEE_THEMES)


def may_add_themes(user):
    return _has(user, roles.SEE_RESULTS, roles.ADD_THEMES)


def may_change_themes(user):
    return _has(user, roles.SEE_RESULTS, roles.CHANGE_THEMES)


def may_delete_themes(user):
    return _has(user, roles.SEE_RESULTS, roles.DELETE_THEMES)


# Responses as spreadsheets --------------------------------------------------------------------


def may_export_responses(user):
    return _has(user, roles.EXPORT_RESPONSES)


def may_import_responses(user):
    return _has(user, roles.IMPORT_RESPONSES)


def may_have_export(user, personal_data):
    """An export file, which may carry personal data, for this officer (now, not when asked)."""
    return may_export_responses(user) and (not personal_data or may_see_personal_data(user))


# Budgets --------------------------------------------------------------------------------------


def may_change_budgets(user):
    return _has(user, roles.CHANGE_BUDGETS)


def may_see_budgets(user):
    return may_change_budgets(user) or _has(user, roles.SEE_BUDGETS)


def may_make_budget_versions(user):
    return _has(user, roles.ADD_BUDGETS)


def may_see_budget_results(user):
    return _has(user, roles.SEE_BUDGET_RESULTS)
