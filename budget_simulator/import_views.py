"""Loading a budget's service lines from a spreadsheet, and downloading them to edit.

Three steps, as import-export's own admin does them but inside Wagtail's admin: upload (the file
is kept by portal/uploads.py, refused after an hour), check (a dry run showing every row and every
error) and confirm (the same file imported again for real, in one transaction, re-checked).
"""

from pathlib import Path, PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.text import slugify
from django.views.generic import FormView, TemplateView, View
from import_export.results import RowResult
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from budget_simulator.log_actions import IMPORT_SERVICE_LINES
from budget_simulator.models import Budget
from budget_simulator.resources import (
    COLUMNS,
    MAX_DATA_ROWS,
    ServiceLineResource,
    SpreadsheetError,
    export_dataset,
    read_spreadsheet,
    report,
    write_csv,
    write_xlsx,
)
from budget_simulator.versions import frozen_reason, is_frozen, uses
from portal import permissions
from portal.admin_refusals import refused
from portal.spreadsheets import MAX_SHEET_ROWS
from portal.uploads import PendingUploads

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
SAMPLE = Path(__file__).parent / "samples" / "service-lines-example.csv"
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def forbidden(request, message):
    return refused(request, message, "Not allowed")


NOT_AN_EDITOR = "Only officers who may change budgets can load service lines. Ask an editor."
NOT_ALLOWED_TO_VIEW = "You do not have permission to see budgets."


def edit_url(budget):
    return reverse(Budget.snippet_viewset.get_url_name("edit"), args=[budget.pk])


# The uploaded file between steps (portal/uploads.py) -------------------------------------------

SERVICE_LINE_UPLOADS = PendingUploads("budget_simulator.service_lines")


def run_import(budget, upload, dry_run):
    """Import (or rehearse importing) the kept file; returns the row-by-row report."""
    try:
        sheet = read_spreadsheet(upload.content, upload.file_format)
    except SpreadsheetError as error:
        return None, error.messages
    resource = ServiceLineResource(budget, row_numbers=sheet.row_numbers)
    result = resource.import_data(
        sheet.dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True
    )
    return report(resource, result, sheet), []


# Views -----------------------------------------------------------------------------------------


class BudgetAdminView(WagtailAdminTemplateMixin):
    """A page about one budget, for officers who may change budgets."""

    header_icon = "upload"
    page_title = "Load service lines"

    def dispatch(self, request, *args, budget_id, **kwargs):
        self.budget = get_object_or_404(Budget, pk=budget_id)
        if not permissions.may_change_budgets(request.user):
            return forbidden(request, NOT_AN_EDITOR)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.budget)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(Budget.snippet_viewset.get_url_name("list")), "label": "Budgets"},
            {"url": edit_url(self.budget), "label": str(self.budget)},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            budget=self.budget, edit_url=edit_url(self.budget), **kwargs
        )

    def upload_url(self):
        return reverse("budget_simulator:import_service_lines", args=[self.budget.pk])


class LoadingStep(BudgetAdminView):
    """A step of loading service lines: never into a budget residents have answered."""

    def dispatch(self, request, *args, budget_id, **kwargs):
        budget = get_object_or_404(Budget, pk=budget_id)
        if permissions.may_change_budgets(request.user) and is_frozen(budget):
            return refuse_frozen(request, budget)
        return super().dispatch(request, *args, budget_id=budget_id, **kwargs)


def refuse_frozen(request, budget):
    answered = [use for use in uses(budget) if use.answered_by]
    messages.error(request, f"Nothing was loaded into ‘{budget}’. {frozen_reason(answered)}")
    return redirect("budget_simulator:new_version", budget_id=budget.pk)


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Spreadsheet",
        help_text="A .csv file (UTF-8) or an .xlsx workbook, up to 2 MB. We read its first sheet, "
        f"up to {MAX_SHEET_ROWS:,} rows counting empty ones.",
        error_messages={
            "required": "Choose a .csv or .xlsx file to upload.",
            "empty": "The file is empty.",
        },
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        file_format = PurePath(upload.name).suffix.lower().lstrip(".")
        if file_format not in FORMATS:
            raise ValidationError(
                f"‘{upload.name}’ is not a .csv or .xlsx file. Save your spreadsheet as "
                "‘CSV UTF-8 (comma delimited)’ or as an Excel workbook (.xlsx)."
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the most we accept is 2 MB."
            )
        content = upload.read()
        try:
            read_spreadsheet(content, file_format)
        except SpreadsheetError as error:
            raise ValidationError(error.messages) from error
        self.content, self.file_format = content, file_format
        return upload


class UploadView(LoadingStep, FormView):
    """Step 1: choose a file."""

    template_name = "budget_simulator/admin/import_upload.html"
    form_class = UploadForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            columns=COLUMNS,
            max_rows=MAX_DATA_ROWS,
            can_download=permissions.may_see_budgets(self.request.user),
            **kwargs,
        )

    def form_valid(self, form):
        SERVICE_LINE_UPLOADS.keep(
            self.request.user,
            self.budget,
            name=form.cleaned_data["file"].name,
            file_format=form.file_format,
            content=form.content,
        )
        return redirect("budget_simulator:preview_service_lines", budget_id=self.budget.pk)


class PreviewView(LoadingStep, TemplateView):
    """Step 2: what the file would do, row by row; nothing is saved."""

    template_name = "budget_simulator/admin/import_preview.html"
    page_title = "Check service lines"

    def get(self, request, *args, **kwargs):
        upload = SERVICE_LINE_UPLOADS.kept(request.user, self.budget)
        if upload is None:
            messages.error(request, EXPIRED)
            return redirect(self.upload_url())
        import_report, file_errors = run_import(self.budget, upload, dry_run=True)
        return self.render_to_response(
            self.get_context_data(
                upload=upload,
                report=import_report,
                file_errors=file_errors,
                uses=uses(self.budget),
            )
        )


EXPIRED = (
    "There is no uploaded file to load: it was loaded already, or it was uploaded more than an "
    "hour ago. Upload it again."
)


class ConfirmView(LoadingStep, TemplateView):
    """Step 3: import the kept file for real, re-checking every row, all or nothing."""

    template_name = "budget_simulator/admin/import_preview.html"
    page_title = "Check service lines"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        upload, refusal = SERVICE_LINE_UPLOADS.confirmed(
            request.user, self.budget, request.POST.get("token")
        )
        if upload is None:
            messages.error(request, EXPIRED if refusal == "expired" else CHANGED)
            return redirect(self.upload_url())
        found = uses(self.budget)
        with transaction.atomic():
            # One import per budget at a time, so two officers cannot both add the same code.
            Budget.objects.select_for_update().get(pk=self.budget.pk)
            if is_frozen(self.budget):  # a resident answered it since the check
                return refuse_frozen(request, self.budget)
            import_report, file_errors = run_import(self.budget, upload, dry_run=False)
            if file_errors or import_report.has_errors:
                transaction.set_rollback(True)
                return self.render_to_response(
                    self.get_context_data(
                        upload=upload,
                        report=import_report,
                        file_errors=file_errors,
                        refused=True,
                        uses=found,
                    )
                )
            if import_report.has_changes:
                log(
                    instance=self.budget,
                    action=IMPORT_SERVICE_LINES,
                    user=request.user,
                    data={
                        "file": upload.file_name,
                        "format": upload.file_format,
                        "new": import_report.codes(RowResult.IMPORT_TYPE_NEW),
                        "updated": import_report.codes(RowResult.IMPORT_TYPE_UPDATE),
                        "unchanged": import_report.unchanged,
                    },
                )
        SERVICE_LINE_UPLOADS.forget(request.user, self.budget)
        messages.success(request, loaded_message(import_report))
        return redirect(edit_url(self.budget))


CHANGED = (
    "A different file has been uploaded since that check, so nothing was loaded. Check the "
    "latest upload, or upload the file again."
)


def loaded_message(import_report):
    total = len(import_report.rows)
    message = (
        f"{total} service line{'s' if total != 1 else ''} loaded: "
        f"{import_report.new} new, {import_report.updated} updated"
    )
    if import_report.unchanged:
        message += f", {import_report.unchanged} unchanged"
    return message


class DownloadView(View):
    """The budget's lines as CSV or XLSX, in the columns the upload reads."""

    def get(self, request, budget_id, file_format):
        budget = get_object_or_404(Budget, pk=budget_id)
        if not permissions.may_see_budgets(request.user):
            return forbidden(request, NOT_ALLOWED_TO_VIEW)
        if file_format not in FORMATS:
            raise Http404
        dataset = export_dataset(budget)
        content = write_csv(dataset) if file_format == "csv" else write_xlsx(dataset)
        response = HttpResponse(content, content_type=FORMATS[file_format])
        name = f"{slugify(budget.name)}-service-lines.{file_format}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class SampleView(View):
    """A filled-in example officers can start from (the demo council's lines)."""

    def get(self, request):
        if not permissions.may_change_budgets(request.user):
            return forbidden(request, NOT_AN_EDITOR)
        response = HttpResponse(SAMPLE.read_bytes(), content_type=FORMATS["csv"])
        response["Content-Disposition"] = f'attachment; filename="{SAMPLE.name}"'
        return response


urlpatterns = [
    path("budgets/<int:budget_id>/import/", UploadView.as_view(), name="import_service_lines"),
    path(
        "budgets/<int:budget_id>/import/check/",
        PreviewView.as_view(),
        name="preview_service_lines",
    ),
    path(
        "budgets/<int:budget_id>/import/confirm/",
        ConfirmView.as_view(),
        name="confirm_service_lines",
    ),
    path(
        "budgets/<int:budget_id>/service-lines.<str:file_format>",
        DownloadView.as_view(),
        name="download_service_lines",
    ),
    path("service-lines-example.csv", SampleView.as_view(), name="service_lines_example"),
]
