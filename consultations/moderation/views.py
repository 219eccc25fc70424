"""The moderation queue in the Wagtail admin: the queue with filters and bulk decisions, and one
comment's page with its flags highlighted and the approve, reject and redact forms.

Only holders of `consultations.moderate_comment` (the Moderators group) get in; everyone else,
Analysts and Consultation editors included, is refused with 403.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.tables import BaseColumn, Column, DateColumn
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin
from wagtail.log_actions import registry as log_registry

from consultations.models import Comment, ModerationStatus, RejectionReason
from consultations.moderation import selectors, services
from consultations.moderation.forms import (
    BulkDecisionForm,
    QueueFilterSet,
    RedactForm,
    RejectForm,
)
from portal import permissions
from portal.admin_refusals import refused

TITLE = "Moderation"
ICON = "comment"
NOT_A_MODERATOR = (
    "You do not have permission to moderate residents' comments. Ask an administrator to add "
    "you to the Moderators group if you need to."
)


class ModeratorsOnly:
    """Refuses, with 403, anyone who may not moderate comments."""

    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_moderate_comments(request.user):
            return refused(request, NOT_A_MODERATOR, TITLE, ICON)
        return super().dispatch(request, *args, **kwargs)


# The queue --------------------------------------------------------------------------------


class SelectColumn(BaseColumn):
    header_template_name = "consultations/moderation/tables/select_header.html"
    cell_template_name = "consultations/moderation/tables/select_cell.html"


class CommentColumn(Column):
    cell_template_name = "consultations/moderation/tables/comment_cell.html"


class FlagsColumn(Column):
    cell_template_name = "consultations/moderation/tables/flags_cell.html"


class QueueView(ModeratorsOnly, BaseListingView):
    """Comments to decide on, oldest first; tick several to approve or reject them together."""

    model = Comment
    template_name = "consultations/moderation/queue.html"
    results_template_name = "consultations/moderation/queue_results.html"
    index_url_name = "moderation:queue"
    index_results_url_name = "moderation:queue_results"
    filterset_class = QueueFilterSet
    paginate_by = 50
    default_ordering = "submitted_at"
    page_title = TITLE
    header_icon = ICON
    verbose_name = "comment"
    verbose_name_plural = "comments"
    columns = [
        SelectColumn("select", label="Select"),
        CommentColumn("comment", label="Comment"),
        Column("consultation", label="Consultation", accessor="consultation.title"),
        Column("question", label="Question", accessor="question_label"),
        FlagsColumn("flags", label="Flags"),
        Column("status", label="Status", accessor="get_status_display"),
        DateColumn("submitted_at", label="Submitted", sort_key="submitted_at"),
    ]

    def get_base_queryset(self):
        return Comment.objects.select_related("answer", "consultation")

    def get_valid_orderings(self):
        return ["submitted_at", "-submitted_at"]

    def order_queryset(self, queryset):
        return queryset.order_by(self.ordering, "pk")

    def filter_queryset(self, queryset):
        # Apply every valid filter even if another is not, so the default (waiting) still holds.
        if self.filters:
            self.filters.is_valid()
            queryset = self.filters.filter_queryset(queryset)
        return queryset

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "caption": "Comments"}

    @cached_property
    def selected(self):
        return set(self.request.POST.getlist("comments"))

    def get_table(self, object_list):
        user = self.request.user
        labels = selectors.question_labels({comment.consultation for comment in object_list})
        for comment in object_list:
            comment.question_label = labels.get(comment.question_id, "(question since removed)")
            comment.readable_text = selectors.readable_text(user, comment)
            comment.flag_labels = selectors.flag_labels(comment)
            comment.selected = str(comment.pk) in self.selected
        return super().get_table(object_list)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["bulk_form"] = getattr(self, "bulk_form", None) or BulkDecisionForm()
        context["waiting_by_consultation"] = selectors.waiting_by_consultation()
        query = self.request.GET.copy()
        query.pop("_w_filter_fragment", None)
        context["bulk_action_url"] = f"{reverse('moderation:queue')}?{query.urlencode()}"
        return context

    def post(self, request, *args, **kwargs):
        form = BulkDecisionForm(request.POST)
        if form.is_valid():
            comments = form.cleaned_data["comments"]
            if (
                form.cleaned_data["action"] == "approve"
                and request.POST.get("approve_flagged") != "yes"
                and _flagged_to_approve(comments)
            ):
                return self.confirm_approval(comments)
            try:
                if form.cleaned_data["action"] == "approve":
                    changed = services.approve_many(comments, request.user)
                    done = "approved"
                else:
                    reason = form.cleaned_data["reason"]
                    changed = services.reject_many(comments, request.user, reason)
                    done = f"rejected ({RejectionReason(reason).label.lower()})"
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, _message(error))
            else:
                unchanged = len(comments) - changed
                message = f"{changed} comment{'' if changed == 1 else 's'} {done}."
                if unchanged:
                    message += f" {unchanged} already had that decision."
                messages.success(request, message)
                return redirect(request.get_full_path())
        self.bulk_form = form
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data())

    def confirm_approval(self, comments):
        """Ask before approving flagged comments as written: a bulk approval is where a
        flagged phone number or diagnosis would otherwise slip through unread."""
        query = self.request.GET.copy()
        query.pop("_w_filter_fragment", None)
        view = ConfirmBulkApprovalView()
        view.setup(self.request)
        return view.render_to_response(
            view.get_context_data(
                comments=list(comments),
                flagged=_flagged_to_approve(comments),
                queue_url=f"{reverse('moderation:queue')}?{query.urlencode()}",
            )
        )


def _flagged_to_approve(comments):
    """The comments among `comments` that an approval would publish with a flag on them."""
    flagged = [
        comment
        for comment in comments
        if (comment.flagged_personal_data or comment.flagged_abuse)
        and comment.status != ModerationStatus.APPROVED
    ]
    for comment in flagged:
        comment.flag_labels = selectors.flag_labels(comment)
    return flagged


class ConfirmBulkApprovalView(WagtailAdminTemplateMixin, TemplateView):
    """ "3 of the 12 comments you selected are flagged": review them, approve the rest, or
    approve them all anyway. Shown instead of approving; nothing has changed yet."""

    template_name = "consultations/moderation/confirm_bulk_approval.html"
    header_icon = ICON

    def get_page_title(self):
        return "Approve flagged comments?"

    def get_context_data(self, comments=(), flagged=(), **kwargs):
        context = super().get_context_data(**kwargs)
        flagged_ids = {comment.pk for comment in flagged}
        kinds = []
        if any(comment.flagged_personal_data for comment in flagged):
            kinds.append("possible personal data")
        if any(comment.flagged_abuse for comment in flagged):
            kinds.append("abusive language")
        for comment in flagged:
            comment.readable_text = selectors.readable_text(self.request.user, comment)
        context.update(
            comments=comments,
            flagged=flagged,
            not_flagged=[comment for comment in comments if comment.pk not in flagged_ids],
            flagged_as=" or ".join(kinds),
        )
        return context


# One comment --------------------------------------------------------------------------------


class CommentView(ModeratorsOnly, WagtailAdminTemplateMixin, TemplateView):
    """One comment: what the resident wrote (where you may read it), its flags, the decision
    so far and its history, and the forms to approve, reject or redact it."""

    template_name = "consultations/moderation/comment.html"
    header_icon = ICON

    @cached_property
    def comment(self):
        return get_object_or_404(
            Comment.objects.select_related("answer", "consultation", "moderated_by"),
            pk=self.kwargs["pk"],
        )

    def get_page_title(self):
        return f"Comment {self.comment.pk}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("moderation:queue"), "label": TITLE},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        comment, user = self.comment, self.request.user
        original_visible = selectors.original_visible_to(user, comment)
        original = comment.answer.text
        editable = original if original_visible else comment.public_text
        if comment.status == ModerationStatus.REDACTED:
            editable = comment.public_text
        suggestion = services.suggested_redaction(original) if original_visible else ""
        context = super().get_context_data(**kwargs)
        context.update(
            comment=comment,
            question=selectors.question_labels([comment.consultation]).get(
                comment.question_id, "(question since removed)"
            ),
            original_visible=original_visible,
            original=selectors.highlighted(original, comment.flags) if original_visible else [],
            published=selectors.highlighted(comment.public_text) if comment.public_text else [],
            flag_labels=selectors.flag_labels(comment),
            can_publish_original=original_visible,
            can_redact=original_visible or comment.status == ModerationStatus.REDACTED,
            suggestion=suggestion if suggestion != original else "",
            reject_form=kwargs.get("reject_form") or RejectForm(),
            redact_form=kwargs.get("redact_form") or RedactForm(initial={"public_text": editable}),
            history=log_registry.get_logs_for_instance(comment).select_related("user"),
            next_waiting=self.next_waiting(),
        )
        return context

    def next_waiting(self):
        """The oldest other waiting comment, from the same consultation if it has one."""
        waiting = Comment.objects.filter(status=ModerationStatus.PENDING).exclude(
            pk=self.comment.pk
        )
        same = waiting.filter(consultation_id=self.comment.consultation_id)
        return (same.first() or waiting.first()) if waiting.exists() else None

    def post(self, request, *args, **kwargs):
        comment, action = self.comment, request.POST.get("action")
        forms = {}
        try:
            if action == "approve":
                services.approve(comment, request.user)
                done = "approved as written"
            elif action == "reject":
                forms["reject_form"] = form = RejectForm(request.POST)
                if not form.is_valid():
                    return self.invalid(forms)
                services.reject(comment, request.user, form.cleaned_data["reason"])
                done = "rejected"
            elif action == "redact":
                forms["redact_form"] = form = RedactForm(request.POST)
                if not form.is_valid():
                    return self.invalid(forms)
                try:
                    services.redact(
                        comment,
                        request.user,
                        form.cleaned_data["public_text"],
                        despite_flags=form.cleaned_data["despite_flags"],
                    )
                except ValidationError as error:
                    form.add_error("public_text", error)
                    return self.invalid(forms)
                done = "published with redactions"
            else:
                return self.invalid(forms, "Choose to approve, reject or redact the comment.")
        except PermissionDenied as error:
            return self.invalid(forms, _message(error), status=403)
        url = reverse("moderation:comment", args=[comment.pk])
        messages.success(
            request,
            f"Comment {comment.pk} {done}.",
            buttons=[messages.button(url, "Look again")],
        )
        following = self.next_waiting()
        return redirect(
            reverse("moderation:comment", args=[following.pk])
            if following
            else reverse("moderation:queue")
        )

    def invalid(self, forms, message=None, status=200):
        """The page again with what went wrong; nothing has changed."""
        messages.error(self.request, message or "The comment was not changed: see below why.")
        return self.render_to_response(self.get_context_data(**forms), status=status)


def _message(error):
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "You do not have permission to do that."


urlpatterns = [
    path("", QueueView.as_view(), name="queue"),
    path("results/", QueueView.as_view(results_only=True), name="queue_results"),
    path("<int:pk>/", CommentView.as_view(), name="comment"),
]
