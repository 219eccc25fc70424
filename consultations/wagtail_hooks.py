"""The officers' side of consultations in the Wagtail admin. Each stage of the data flow keeps its
own hooks next to its views: moderation, analysis (results and themes), outcomes and
spreadsheets (exporting and importing responses); retention's audit entry is here."""

from wagtail import hooks
from wagtail.log_actions import LogFormatter

from consultations.analysis import wagtail_hooks as analysis_hooks  # noqa: F401
from consultations.moderation import wagtail_hooks as moderation_hooks  # noqa: F401
from consultations.outcomes import wagtail_hooks as outcomes_hooks  # noqa: F401
from consultations.retention import ANONYMISE_RESPONSES
from consultations.spreadsheets import wagtail_hooks as spreadsheet_hooks  # noqa: F401


@hooks.register("register_log_actions")
def register_retention_log_actions(actions):
    @actions.register_action(ANONYMISE_RESPONSES)
    class AnonymiseResponses(LogFormatter):
        label = "Anonymise responses"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return (
                f"Anonymised {data.get('responses', 0):,} response(s) at the end of the "
                f"retention period; deleted {data.get('drafts', 0):,} unfinished response(s)"
            )
