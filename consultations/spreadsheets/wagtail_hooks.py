"""Wagtail admin hooks for spreadsheets (imported by consultations/wagtail_hooks.py): the
"Responses" pages for exporting and importing, and how exports and imports read in the audit log."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from consultations.spreadsheets import export_views, import_views, log_actions


@hooks.register("register_admin_urls")
def register_spreadsheet_admin_urls():
    return [
        path(
            "consultation-responses/",
            include(
                (export_views.urlpatterns + import_views.urlpatterns, "consultation_responses"),
                namespace="consultation_responses",
            ),
        )
    ]


class ResponsesMenuItem(MenuItem):
    def is_shown(self, request):
        return export_views.can_see_responses_pages(request.user)


@hooks.register("register_admin_menu_item")
def register_responses_menu_item():
    return ResponsesMenuItem(
        export_views.TITLE,
        reverse("consultation_responses:index"),
        icon_name=export_views.ICON,
        order=256,
    )


def _plural(count, word):
    return f"{count:,} {word}{'' if count == 1 else 's'}"


@hooks.register("register_log_actions")
def register_spreadsheet_log_actions(actions):
    @actions.register_action(log_actions.EXPORT_RESPONSES)
    class ExportResponses(LogFormatter):
        label = "Export responses"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            personal = " with personal data" if data.get("personal_data") else ""
            return (
                f"Exported {_plural(data.get('rows') or 0, 'response')} as "
                f"{str(data.get('format', '')).upper()}{personal}"
            )

    @actions.register_action(log_actions.IMPORT_RESPONSES)
    class ImportResponses(LogFormatter):
        label = "Import responses"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return (
                f"Imported {_plural(data.get('new') or 0, 'response')} "
                f"({data.get('channel', '')}) from {data.get('file_name', 'a file')}; "
                f"{_plural(data.get('skipped') or 0, 'row')} already imported"
            )
