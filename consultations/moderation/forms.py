"""The moderation queue's filters and the moderator's decision forms, validated on the server."""

import django_filters
from django import forms
from django.db.models import Q
from wagtail.admin.filters import WagtailFilterSet

from consultations.models import Comment, ModerationStatus, RejectionReason
from consultations.moderation import selectors

ALL = "all"
STATUS_CHOICES = [
    (ModerationStatus.PENDING, "Waiting for moderation"),
    (ModerationStatus.APPROVED, "Approved"),
    (ModerationStatus.REDACTED, "Approved with redactions"),
    (ModerationStatus.REJECTED, "Rejected"),
    (ALL, "Any status"),
]
FLAG_CHOICES = [
    ("personal_data", "Likely personal data"),
    ("abuse", "Abusive language"),
    ("any", "Any flag"),
    ("none", "Not flagged"),
]
FLAG_FILTERS = {
    "personal_data": Q(flagged_personal_data=True),
    "abuse": Q(flagged_abuse=True),
    "any": Q(flagged_personal_data=True) | Q(flagged_abuse=True),
    "none": Q(flagged_personal_data=False, flagged_abuse=False),
}
REASON_CHOICES = [("", "Choose a reason"), *RejectionReason.choices]
CHOOSE_ACTION = "Choose whether to approve or reject the selected comments."


class QueueFilterSet(WagtailFilterSet):
    """Which comments the queue lists: by default, every comment waiting for a decision."""

    consultation = django_filters.ModelChoiceFilter(
        label="Consultation", queryset=selectors.consultations_with_comments()
    )
    question = django_filters.ChoiceFilter(
        label="Question", field_name="question_id", choices=[], empty_label="All"
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=STATUS_CHOICES,
        method="filter_status",
        empty_label=None,
        initial=ModerationStatus.PENDING,
        widget=forms.RadioSelect,
    )
    flag = django_filters.ChoiceFilter(
        label="Flag",
        choices=FLAG_CHOICES,
        method="filter_flag",
        empty_label="All",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Comment
        fields = ["consultation", "question", "status", "flag"]

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and "status" not in data:
            data = data.copy()
            data["status"] = ModerationStatus.PENDING
        super().__init__(data, *args, **kwargs)
        self.filters["question"].extra["choices"] = selectors.question_choices()

    def filter_status(self, queryset, name, value):
        return queryset if value == ALL else queryset.filter(status=value)

    def filter_flag(self, queryset, name, value):
        return queryset.filter(FLAG_FILTERS[value]) if value else queryset


class BulkDecisionForm(forms.Form):
    """Approve or reject the ticked comments together."""

    comments = forms.ModelMultipleChoiceField(
        queryset=Comment.objects.all(),
        error_messages={
            "required": "Select at least one comment.",
            "invalid_choice": "No comment has the number %(value)s: nothing was changed.",
            "invalid_pk_value": "‘%(pk)s’ is not a comment number: nothing was changed.",
        },
    )
    action = forms.ChoiceField(
        choices=[("approve", "Approve"), ("reject", "Reject")],
        error_messages={"required": CHOOSE_ACTION, "invalid_choice": CHOOSE_ACTION},
    )
    reason = forms.ChoiceField(
        label="Reason for rejecting",
        choices=REASON_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Choose a reason for rejecting from the list."},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "reject" and not cleaned.get("reason"):
            self.add_error("reason", "Choose why the selected comments are rejected.")
        return cleaned


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        label="Reason for rejecting",
        choices=REASON_CHOICES,
        error_messages={
            "required": "Choose why this comment is rejected.",
            "invalid_choice": "Choose a reason for rejecting from the list.",
        },
    )


class RedactForm(forms.Form):
    public_text = forms.CharField(
        label="Version residents may read",
        help_text="Replace personal data or abuse with [removed]. The resident's original "
        "is kept, visible only to officers with personal data access.",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "Enter the version residents may read. To publish nothing, reject "
            "the comment."
        },
    )
    despite_flags = forms.BooleanField(
        label="What is still highlighted is not personal data: publish this version anyway",
        required=False,
    )
