"""The "Responses" pages of the Wagtail admin: every consultation's responses, and exporting them.

Officers who may export (Analysts) pick a format and filters. CSV streams straight to them; a
workbook of up to IN_REQUEST_LIMIT responses is made within the request; a bigger one is made in
the background (`tasks.py`) for that officer alone to download. Personal data goes in only for
officers allowed to see it, checked on the server, and every export is in the audit log.
"""

from datetime import timedelta
from tempfile import SpooledTemporaryFile

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from consultations.models import (
    Channel,
    ConsultationPage,
    ExportStatus,
    ModerationStatus,
    ResponseExport,
)
from consultations.spreadsheets.exports import NOT_STATED, ExportFilters, ResponsesExport
from consultations.spreadsheets.layout import layout_for
from consultations.spreadsheets.tasks import (
    KEEP_FOR,
    WAITING,
    export_path,
    fail_if_stopped,
    is_downloadable,
    log_export,
    make_response_export,
)
from portal import permissions
from portal.admin_refusals import refused
from portal.spreadsheets import FORMATS

TITLE = "Responses"
ICON = "table"
# XLSX and ODS exports of more responses than this are made in the background.
IN_REQUEST_LIMIT = 5_000
# A workbook made within the request stays in memory up to this size, then goes to a temp file.
SPOOL_BYTES = 16 * 1024 * 1024
# The same large export asked for again within this time is the one already queued (a double
# click, or the form sent again while it is being made).
SAME_REQUEST_WITHIN = timedelta(minutes=10)

NOT_ALLOWED = (
    "You do not have permission to export responses. Exporting is for the Analysts group: ask an "
    "administrator to add you to it if you need it."
)
NOT_ALLOWED_PERSONAL = (
    "This export holds personal data, and you no longer have permission to see personal data."
)


def can_see_responses_pages(user):
    return permissions.may_export_responses(user) or permissions.may_import_responses(user)


def import_url(consultation):
    """The import page, once the import views are there."""
    try:
        return reverse("consultation_responses:import", args=[consultation.pk])
    except NoReverseMatch:
        return None


def forbidden(request, message):
    return refused(request, message, TITLE, ICON)


class ResponsesAdminView(WagtailAdminTemplateMixin):
    """Refuses, with 403, officers who may not use the page."""

    header_icon = ICON
    page_title = TITLE
    forbidden_message = NOT_ALLOWED

    def has_permission(self, user):
        return permissions.may_export_responses(user)

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission(request.user):
            return forbidden(request, self.forbidden_message)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("consultation_responses:index"), "label": TITLE},
        ]


class IndexView(ResponsesAdminView, TemplateView):
    """Every consultation with its number of responses, and what the officer may do with them."""

    template_name = "consultations/spreadsheets/index.html"

    def has_permission(self, user):
        return can_see_responses_pages(user)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": TITLE}]

    def get_context_data(self, **kwargs):
        user = self.request.user
        consultations = ConsultationPage.objects.annotate(
            response_count=Count("responses")
        ).order_by("-closes_at", "title")
        rows = [
            {
                "consultation": consultation,
                "export_url": reverse("consultation_responses:export", args=[consultation.pk])
                if permissions.may_export_responses(user)
                else None,
                "import_url": import_url(consultation)
                if permissions.may_import_responses(user)
                else None,
            }
            for consultation in consultations
        ]
        return {**super().get_context_data(**kwargs), "rows": rows}


# Exporting -------------------------------------------------------------------------------------


def area_choices(consultation):
    """The wards of the consultation's "about you" question, "Prefer not to say" and "Not
    stated" (no answer); none if it does not ask where residents live."""
    area = next(
        (column for column in layout_for(consultation).columns if column.key == "area"), None
    )
    return [*area.choices, (NOT_STATED, "Not stated")] if area else []


class ExportForm(forms.Form):
    """The format, which responses, and (for officers allowed) whether to add personal data."""

    format = forms.ChoiceField(
        label="Format",
        choices=[(key, label) for key, (label, _type) in FORMATS.items()],
        initial="csv",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a format: CSV, Excel workbook or OpenDocument."},
    )
    submitted_from = forms.DateField(
        label="Submitted on or after",
        required=False,
        help_text="Leave empty to start from the first response.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the start date as a real date, for example 14/3/2026."},
    )
    submitted_to = forms.DateField(
        label="Submitted on or before",
        required=False,
        help_text="Leave empty to go up to the latest response.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the end date as a real date, for example 31/3/2026."},
    )
    channels = forms.MultipleChoiceField(
        label="Channels",
        required=False,
        choices=Channel.choices,
        help_text="Leave all unticked for every channel.",
        widget=forms.CheckboxSelectMultiple,
    )
    areas = forms.MultipleChoiceField(
        label="Areas",
        required=False,
        help_text="Where residents said they live. Leave all unticked for every area.",
        widget=forms.CheckboxSelectMultiple,
    )
    moderation_statuses = forms.MultipleChoiceField(
        label="Comments' moderation status",
        required=False,
        choices=ModerationStatus.choices,
        help_text="Only responses with at least one comment in a ticked status. "
        "Leave all unticked for every response.",
        widget=forms.CheckboxSelectMultiple,
    )
    include_personal_data = forms.BooleanField(
        label="Include personal data",
        required=False,
        help_text="Adds the account's verified email address, postcode districts, the ‘About "
        "you’ equality-monitoring answers (age, sex, disability, ethnic group) and residents' "
        "original comments, before moderation. The audit log records that you included them.",
    )

    def __init__(self, *args, consultation, may_include_personal_data, **kwargs):
        super().__init__(*args, **kwargs)
        areas = area_choices(consultation)
        if areas:
            self.fields["areas"].choices = areas
        else:
            del self.fields["areas"]
        if not may_include_personal_data:
            # Not shown, and a forged value is never read: the field does not exist.
            del self.fields["include_personal_data"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("submitted_from"), cleaned.get("submitted_to")
        if start and end and end < start:
            self.add_error(
                "submitted_to", "The end date must be the same as or after the start date."
            )
        return cleaned

    def filters(self):
        data = self.cleaned_data
        return ExportFilters(
            submitted_from=data.get("submitted_from"),
            submitted_to=data.get("submitted_to"),
            channels=list(data.get("channels") or []),
            areas=list(data.get("areas") or []),
            moderation_statuses=list(data.get("moderation_statuses") or []),
        )

    def error_summary(self):
        """(anchor, message) for each error, linking to the field (its first box for groups)."""
        summary = [("export-form", error) for error in self.non_field_errors()]
        for name, errors in self.errors.items():
            if name == NON_FIELD_ERRORS:
                continue
            field = self[name]
            anchor = field.auto_id
            if isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                anchor += "_0"
            summary += [(anchor, error) for error in errors]
        return summary


class ConsultationView(ResponsesAdminView):
    @cached_property
    def consultation(self):
        return get_object_or_404(ConsultationPage, pk=self.kwargs["consultation_id"])

    def get_page_subtitle(self):
        return self.consultation.title


class ExportView(ConsultationView, FormView):
    """GET: the form. POST: the file, or a background export and its status page."""

    template_name = "consultations/spreadsheets/export_form.html"
    form_class = ExportForm
    page_title = "Export responses"

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.get_header_title()}]

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "consultation": self.consultation,
            "may_include_personal_data": permissions.may_see_personal_data(self.request.user),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        recent_exports = list(
            ResponseExport.objects.filter(
                consultation=self.consultation,
                requested_by=self.request.user,
                requested_at__gte=timezone.now() - KEEP_FOR,
            )
        )
        for export in recent_exports:
            fail_if_stopped(export)  # "Failed", not "Being made", once its worker has died
        return {
            **context,
            "consultation": self.consultation,
            "response_count": self.consultation.responses.count(),
            "in_request_limit": f"{IN_REQUEST_LIMIT:,}",
            "error_summary": form.error_summary() if form.is_bound else [],
            "recent_exports": recent_exports,
        }

    def form_valid(self, form):
        user = self.request.user
        file_format = form.cleaned_data["format"]
        personal_data = bool(form.cleaned_data.get("include_personal_data")) and (
            permissions.may_see_personal_data(user)
        )
        filters = form.filters()
        export = ResponsesExport(self.consultation, filters, personal_data=personal_data)
        rows = export.count()
        if file_format != "csv" and rows > IN_REQUEST_LIMIT:
            record = queue_once(
                self.consultation, user, file_format, filters.describe(), personal_data
            )
            return redirect("consultation_responses:export_status", export_id=record.pk)

        log_export(self.consultation, user, file_format, rows, personal_data, filters)
        content_type = FORMATS[file_format][1]
        file_name = export.file_name(file_format)
        if file_format == "csv":
            response = StreamingHttpResponse(export.csv_stream(), content_type=content_type)
            response["Content-Disposition"] = content_disposition_header(True, file_name)
            return response
        made = SpooledTemporaryFile(max_size=SPOOL_BYTES)
        export.write(file_format, made)
        made.seek(0)
        return FileResponse(made, as_attachment=True, filename=file_name, content_type=content_type)


def queue_once(consultation, user, file_format, described_filters, personal_data):
    """The officer's export of these responses, queued unless the same one is already waiting
    or being made (a double click, or the form sent again while it is made)."""
    asked = {
        "consultation": consultation,
        "requested_by": user,
        "file_format": file_format,
        "filters": described_filters,
        "personal_data": personal_data,
    }
    with transaction.atomic():  # the task is a row in the same database: both or neither
        # One officer's requests queue one at a time (a row lock on PostgreSQL), so two
        # identical requests at the same moment still make one export.
        get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
        # Only a recent request that is still going counts: one whose worker died has stopped
        # (and is marked failed now), so asking again makes a new one at once.
        for waiting in ResponseExport.objects.filter(
            status__in=WAITING,
            requested_at__gte=timezone.now() - SAME_REQUEST_WITHIN,
            **asked,
        ):
            if not fail_if_stopped(waiting):
                return waiting
        record = ResponseExport.objects.create(**asked)
        make_response_export.enqueue(record.pk)
        return record


# Background exports ----------------------------------------------------------------------------


class OwnExportMixin:
    """An export only the officer who asked for it may see, while they still may have it."""

    def dispatch(self, request, *args, export_id, **kwargs):
        user = request.user
        if not permissions.may_export_responses(user):
            return forbidden(request, NOT_ALLOWED)
        self.export = get_object_or_404(
            ResponseExport.objects.select_related("consultation"), pk=export_id, requested_by=user
        )
        if not permissions.may_have_export(user, self.export.personal_data):
            return forbidden(request, NOT_ALLOWED_PERSONAL)
        return super().dispatch(request, *args, **kwargs)


class ExportStatusView(OwnExportMixin, ResponsesAdminView, TemplateView):
    """Where a background export is up to; no JavaScript: the officer checks again."""

    template_name = "consultations/spreadsheets/export_status.html"
    page_title = "Export responses"

    def get_page_subtitle(self):
        return self.export.consultation.title

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.get_header_title()}]

    def get_context_data(self, **kwargs):
        export = self.export
        fail_if_stopped(export)
        downloadable = is_downloadable(export)
        return super().get_context_data(
            export=export,
            format_label=FORMATS.get(export.file_format, (export.file_format,))[0],
            filters=described_filters(export.consultation, export.filters),
            waiting=export.status in (ExportStatus.QUEUED, ExportStatus.RUNNING),
            downloadable=downloadable,
            expired=export.status == ExportStatus.READY and not downloadable,
            failed=export.status == ExportStatus.FAILED,
            export_url=reverse("consultation_responses:export", args=[export.consultation_id]),
            ask_again_url=reverse("consultation_responses:export_again", args=[export.pk]),
            **kwargs,
        )


class AskAgainView(OwnExportMixin, ResponsesAdminView, View):
    """POST: the same export (format, filters, personal data) asked for again, in one click,
    once the earlier one failed or was deleted; while it is still going, its own status page."""

    def post(self, request, *args, **kwargs):
        export = self.export
        fail_if_stopped(export)
        if export.status in WAITING:
            return redirect("consultation_responses:export_status", export_id=export.pk)
        record = queue_once(
            export.consultation,
            request.user,
            export.file_format,
            export.filters,
            export.personal_data,
        )
        return redirect("consultation_responses:export_status", export_id=record.pk)


def described_filters(consultation, description):
    """The filters an export was made with, in words: [(what, which)], for its status page."""
    filters = ExportFilters.from_description(description)
    start, end = (
        formats.date_format(day, "j F Y") if day else None
        for day in (filters.submitted_from, filters.submitted_to)
    )
    if start and end:
        dates = f"From {start} to {end}"
    else:
        dates = f"On or after {start}" if start else f"On or before {end}" if end else "Any time"
    labels = [
        ("Channels", dict(Channel.choices), filters.channels),
        ("Areas", dict(area_choices(consultation)), filters.areas),
        (
            "Comments' moderation status",
            dict(ModerationStatus.choices),
            filters.moderation_statuses,
        ),
    ]
    return [("Submitted", dates)] + [
        (what, ", ".join(str(names.get(value, value)) for value in chosen) if chosen else "All")
        for what, names, chosen in labels
    ]


class ExportDownloadView(OwnExportMixin, View):
    def get(self, request, *args, **kwargs):
        export = self.export
        if not is_downloadable(export):
            raise Http404("This export is not ready, or it has been deleted.")
        return FileResponse(
            export_path(export).open("rb"),
            as_attachment=True,
            filename=export.file_name,
            content_type=FORMATS[export.file_format][1],
        )


urlpatterns = [
    path("", IndexView.as_view(), name="index"),
    path("<int:consultation_id>/export/", ExportView.as_view(), name="export"),
    path("exports/<int:export_id>/", ExportStatusView.as_view(), name="export_status"),
    path("exports/<int:export_id>/download/", ExportDownloadView.as_view(), name="export_download"),
    path("exports/<int:export_id>/again/", AskAgainView.as_view(), name="export_again"),
]
