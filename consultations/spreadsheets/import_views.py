"""Adding paper, email and event responses from a spreadsheet, in the Wagtail admin.

Three steps, as the budget's service-line import does them: upload (the file is kept by
portal/uploads.py, refused after an hour), check (a dry run listing every invalid row with its
reason) and confirm (the same file imported again for real, re-checked, all or nothing). Only
officers who may add responses (Analysts) get here; the blank template has the personal-data
columns only for those allowed to see personal data.
"""

import io

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.generic import FormView, TemplateView, View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from consultations.models import Channel, ConsultationPage
from consultations.spreadsheets.exports import ResponsesExport
from consultations.spreadsheets.imports import (
    MAX_IMPORT_ROWS,
    import_responses,
    read_responses_file,
)
from consultations.spreadsheets.layout import Layout, layout_for
from consultations.spreadsheets.log_actions import (
    IMPORT_RESPONSES,
)
from portal import permissions
from portal.admin_refusals import refused
from portal.spreadsheets import FORMATS, MAX_SHEET_ROWS, SpreadsheetError, file_format_of
from portal.uploads import PendingUploads

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Online responses come through the journey; an officer keys in the others.
UPLOAD_CHANNELS = [
    (Channel.PAPER, "Paper forms"),
    (Channel.EMAIL, "Emails"),
    (Channel.EVENT, "Responses collected at an event"),
]
TITLE = "Import responses"
NOT_ALLOWED = (
    "You do not have permission to import responses. Ask an administrator to add you to the "
    "Analysts group if you need to."
)


def forbidden(request):
    return refused(request, NOT_ALLOWED, TITLE)


# The uploaded file between steps (portal/uploads.py) -------------------------------------------

RESPONSE_UPLOADS = PendingUploads("consultations.responses")


def run_import(consultation, upload, dry_run):
    return import_responses(
        consultation,
        upload.content,
        upload.file_format,
        channel=upload.choices["channel"],
        dry_run=dry_run,
    )


# Views -----------------------------------------------------------------------------------------


class ImportAdminView(WagtailAdminTemplateMixin):
    """A page about importing into one consultation, for officers who may add responses."""

    header_icon = "upload"
    page_title = TITLE

    def dispatch(self, request, *args, consultation_id, **kwargs):
        if not permissions.may_import_responses(request.user):
            return forbidden(request)
        self.consultation = get_object_or_404(ConsultationPage, pk=consultation_id)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.consultation.title

    def get_breadcrumbs_items(self):
        items = [
            *self.breadcrumbs_items,
            {"url": reverse("consultation_responses:index"), "label": "Responses"},
            {"url": self.upload_url(), "label": TITLE},
        ]
        if self.get_page_title() == TITLE:
            return [*items[:-1], {"url": "", "label": TITLE}]
        return [*items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            consultation=self.consultation, upload_url=self.upload_url(), **kwargs
        )

    def upload_url(self):
        return reverse("consultation_responses:import", args=[self.consultation.pk])


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Spreadsheet",
        help_text="A .csv (UTF-8), .xlsx or .ods file, up to 5 MB. We read its first sheet, "
        f"up to {MAX_SHEET_ROWS:,} rows counting empty ones.",
        error_messages={
            "required": "Choose a .csv, .xlsx or .ods file to upload.",
            "empty": "The file is empty.",
        },
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,.ods"}),
    )
    channel = forms.ChoiceField(
        label="How did these responses come in?",
        help_text="Used for every row whose Channel cell is empty.",
        choices=UPLOAD_CHANNELS,
        initial=Channel.PAPER,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation = consultation

    def clean_file(self):
        upload = self.cleaned_data["file"]
        file_format = file_format_of(upload.name)
        if file_format is None:
            raise ValidationError(
                f"‘{upload.name}’ is not a .csv, .xlsx or .ods file. Save your spreadsheet as "
                "‘CSV UTF-8 (comma delimited)’, as an Excel workbook (.xlsx) or as .ods."
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the most we accept is 5 MB. "
                "Split it into smaller files."
            )
        content = upload.read()
        try:
            read_responses_file(layout_for(self.consultation, True), content, file_format)
        except SpreadsheetError as error:
            raise ValidationError(error.messages) from error
        self.content, self.file_format = content, file_format
        return upload


class UploadView(ImportAdminView, FormView):
    """Step 1: choose a file and say how its responses came in."""

    template_name = "consultations/spreadsheets/import_upload.html"
    form_class = UploadForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "consultation": self.consultation}

    def get_context_data(self, **kwargs):
        personal_data = permissions.may_see_personal_data(self.request.user)
        return super().get_context_data(
            columns=template_layout(self.consultation, personal_data).columns,
            max_rows=MAX_IMPORT_ROWS,
            max_sheet_rows=MAX_SHEET_ROWS,
            template_formats=[(fmt, label) for fmt, (label, _type) in FORMATS.items()],
            **kwargs,
        )

    def form_valid(self, form):
        RESPONSE_UPLOADS.keep(
            self.request.user,
            self.consultation,
            name=form.cleaned_data["file"].name,
            file_format=form.file_format,
            content=form.content,
            channel=form.cleaned_data["channel"],
        )
        return redirect("consultation_responses:import_preview", self.consultation.pk)


EXPIRED = (
    "There is no uploaded file to import: it was imported already, or it was uploaded more than "
    "an hour ago. Upload it again."
)
CHANGED = (
    "A different file has been uploaded since that check, so nothing was imported. Check the "
    "latest upload, or upload the file again."
)


class PreviewView(ImportAdminView, TemplateView):
    """Step 2: what importing the file would do, and every invalid row; nothing is saved."""

    template_name = "consultations/spreadsheets/import_preview.html"
    page_title = "Check responses to import"

    def get(self, request, *args, **kwargs):
        upload = RESPONSE_UPLOADS.kept(request.user, self.consultation)
        if upload is None:
            messages.error(request, EXPIRED)
            return redirect(self.upload_url())
        report = run_import(self.consultation, upload, dry_run=True)
        return self.render_to_response(self.get_context_data(upload=upload, report=report))

    def get_context_data(self, **kwargs):
        upload = kwargs.get("upload")
        return super().get_context_data(
            channel_label=Channel(upload.choices["channel"]).label if upload else "", **kwargs
        )


class ConfirmView(PreviewView):
    """Step 3: import the kept file for real, re-checking every row, all or nothing."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        upload, refusal = RESPONSE_UPLOADS.confirmed(
            request.user, self.consultation, request.POST.get("token")
        )
        if upload is None:
            messages.error(request, EXPIRED if refusal == "expired" else CHANGED)
            return redirect(self.upload_url())
        with transaction.atomic():
            # One import per consultation at a time, so two officers cannot both add a reference.
            ConsultationPage.objects.select_for_update().get(pk=self.consultation.pk)
            report = run_import(self.consultation, upload, dry_run=False)
            if report.has_errors:
                transaction.set_rollback(True)
                return self.render_to_response(
                    self.get_context_data(upload=upload, report=report, refused=True)
                )
            if report.new:
                log(
                    instance=self.consultation,
                    action=IMPORT_RESPONSES,
                    user=request.user,
                    data={
                        "new": report.new,
                        "skipped": report.skipped,
                        "channel": upload.choices["channel"],
                        "file_name": upload.file_name,
                        "format": upload.file_format,
                    },
                )
        RESPONSE_UPLOADS.forget(request.user, self.consultation)
        messages.success(request, imported_message(report, self.consultation))
        return redirect("consultation_responses:index")


def imported_message(report, consultation):
    message = (
        f"{report.new:,} response{'' if report.new == 1 else 's'} imported to "
        f"‘{consultation.title}’"
    )
    if report.skipped:
        message += f"; {report.skipped:,} already imported before, left as they were"
    return message + "."


# The blank template ----------------------------------------------------------------------------


def template_layout(consultation, personal_data):
    """The columns an import reads: the export's, less those worked out from other cells. The
    equality-monitoring answers are there for every officer who imports: paper forms ask them,
    and a blank template holds no one's answers."""
    layout = layout_for(consultation, personal_data=personal_data, equality_answers=True)
    columns = [column for column in layout.columns if not column.export_only]
    return Layout(consultation, columns, layout.questions, layout.area_question_id)


class BlankTemplate(ResponsesExport):
    """An export with no responses in it: the header rows and, in workbooks, the Columns sheet."""

    def __post_init__(self):
        self.layout = template_layout(self.consultation, self.personal_data)

    def records(self):
        return iter(())


class TemplateDownloadView(View):
    """The blank template in CSV, XLSX or ODS, to key responses into."""

    def get(self, request, consultation_id, file_format):
        if not permissions.may_import_responses(request.user):
            return forbidden(request)
        consultation = get_object_or_404(ConsultationPage, pk=consultation_id)
        if file_format not in FORMATS:
            raise Http404
        blank = BlankTemplate(
            consultation, personal_data=permissions.may_see_personal_data(request.user)
        )
        content = io.BytesIO()
        blank.write(file_format, content)
        response = HttpResponse(content.getvalue(), content_type=FORMATS[file_format][1])
        name = f"{consultation.slug}-responses-template.{file_format}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


urlpatterns = [
    path("<int:consultation_id>/import/", UploadView.as_view(), name="import"),
    path("<int:consultation_id>/import/preview/", PreviewView.as_view(), name="import_preview"),
    path("<int:consultation_id>/import/confirm/", ConfirmView.as_view(), name="import_confirm"),
    path(
        "<int:consultation_id>/import/template.<str:file_format>",
        TemplateDownloadView.as_view(),
        name="import_template",
    ),
]
