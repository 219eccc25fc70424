"""How moderation decisions read in Wagtail's audit log ("Site history" and a comment's page).

Entries hold who, when and what was decided (status, reason, whether in bulk), never the
resident's words, so the log itself is not personal data to protect.
"""

from wagtail import hooks
from wagtail.log_actions import LogFormatter

from consultations.models import ModerationStatus, RejectionReason

APPROVE = "consultations.comment.approve"
REJECT = "consultations.comment.reject"
REDACT = "consultations.comment.redact"


def _label(choices, value):
    try:
        return choices(value).label
    except ValueError:
        return value or ""


class DecisionFormatter(LogFormatter):
    verb = ""

    def format_message(self, log_entry):
        data = log_entry.data or {}
        message = self.verb
        details = self.details(data)
        if details:
            message = f"{message}: {details}"
        previous = data.get("previous_status")
        if previous and previous != ModerationStatus.PENDING:
            message += f" (was ‘{_label(ModerationStatus, previous)}’)"
        if data.get("bulk"):
            message += ", with others in one go"
        return message

    def details(self, data):
        return ""


@hooks.register("register_log_actions")
def register_moderation_log_actions(actions):
    @actions.register_action(APPROVE)
    class Approve(DecisionFormatter):
        label = "Approve comment"
        verb = "Approved the comment as written"

    @actions.register_action(REJECT)
    class Reject(DecisionFormatter):
        label = "Reject comment"
        verb = "Rejected the comment"

        def details(self, data):
            return _label(RejectionReason, data.get("reason"))

    @actions.register_action(REDACT)
    class Redact(DecisionFormatter):
        label = "Redact comment"
        verb = "Published a redacted version of the comment"

        def details(self, data):
            kept = data.get("flags_kept")
            if kept:
                return "the moderator confirmed that what is still flagged is not personal data"
            return ""
