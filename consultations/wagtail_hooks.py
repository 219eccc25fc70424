"""The officers' side of consultations in the Wagtail admin. Each stage of the data flow keeps its
own hooks next to its views: moderation, analysis (results and themes), outcomes and
spreadsheets (exporting and importing responses)."""

from consultations.analysis import wagtail_hooks as analysis_hooks  # noqa: F401
from consultations.moderation import wagtail_hooks as moderation_hooks  # noqa: F401
from consultations.outcomes import wagtail_hooks as outcomes_hooks  # noqa: F401
from consultations.spreadsheets import wagtail_hooks as spreadsheet_hooks  # noqa: F401
