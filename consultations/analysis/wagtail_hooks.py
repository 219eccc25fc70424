"""Wagtail admin hooks for the analysis stage (imported by consultations/wagtail_hooks.py):
the "Results" menu item and pages, and how theme changes read in the audit log."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from consultations.analysis import themes, views
from portal import permissions


@hooks.register("register_admin_urls")
def register_results_admin_urls():
    return [
        path(
            "consultation-results/",
            include((views.urlpatterns, "consultation_results"), namespace="consultation_results"),
        )
    ]


class ResultsMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.may_see_results(request.user)


@hooks.register("register_admin_menu_item")
def register_results_menu_item():
    return ResultsMenuItem(
        views.TITLE, reverse("consultation_results:index"), icon_name=views.ICON, order=255
    )


@hooks.register("register_log_actions")
def register_theme_log_actions(actions):
    """Entries hold theme names and ids only, never a comment's words."""

    @actions.register_action(themes.ADD_THEME)
    class AddTheme(LogFormatter):
        label = "Add theme"

        def format_message(self, log_entry):
            return f"Added the theme ‘{(log_entry.data or {}).get('name', '')}’"

    @actions.register_action(themes.RENAME_THEME)
    class RenameTheme(LogFormatter):
        label = "Rename theme"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return f"Renamed the theme ‘{data.get('from', '')}’ to ‘{data.get('to', '')}’"

    @actions.register_action(themes.DELETE_THEME)
    class DeleteTheme(LogFormatter):
        label = "Delete theme"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            tags = data.get("tags", 0)
            return (
                f"Deleted the theme ‘{data.get('name', '')}’ and its {tags} "
                f"tag{'' if tags == 1 else 's'}"
            )

    @actions.register_action(themes.TAG_COMMENT)
    class TagComment(LogFormatter):
        label = "Tag comment with a theme"

        def format_message(self, log_entry):
            return f"Tagged with the theme ‘{(log_entry.data or {}).get('name', '')}’"

    @actions.register_action(themes.UNTAG_COMMENT)
    class UntagComment(LogFormatter):
        label = "Remove a theme from a comment"

        def format_message(self, log_entry):
            return f"Removed the theme ‘{(log_entry.data or {}).get('name', '')}’"

    @actions.register_action(themes.BULK_TAG)
    class BulkTag(LogFormatter):
        label = "Add a theme to several comments"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            added = data.get("added", 0)
            return (
                f"Added the theme ‘{data.get('name', '')}’ to {added} "
                f"comment{'' if added == 1 else 's'}"
            )

    @actions.register_action(themes.BULK_UNTAG)
    class BulkUntag(LogFormatter):
        label = "Remove a theme from several comments"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            removed = data.get("removed", 0)
            return (
                f"Removed the theme ‘{data.get('name', '')}’ from {removed} "
                f"comment{'' if removed == 1 else 's'}"
            )
