"""How loading service lines from a spreadsheet reads in a budget's history (Wagtail audit log)."""

from wagtail import hooks
from wagtail.log_actions import LogFormatter

IMPORT_SERVICE_LINES = "budget_simulator.import_service_lines"
NEW_VERSION = "budget_simulator.new_version"


@hooks.register("register_log_actions")
def register_budget_log_actions(actions):
    @actions.register_action(IMPORT_SERVICE_LINES)
    class ImportServiceLines(LogFormatter):
        label = "Load service lines from a spreadsheet"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return (
                f"Loaded service lines from ‘{data.get('file', 'a spreadsheet')}’: "
                f"{len(data.get('new', []))} new, {len(data.get('updated', []))} updated"
            )

    @actions.register_action(NEW_VERSION)
    class NewVersion(LogFormatter):
        label = "Make a new version of a budget"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return f"Made from version {data.get('from_version', '?')}"
