"""Large response exports, made in the background by `manage.py db_worker` (django-tasks-db).

The file goes to a private folder (settings.PRIVATE_EXPORTS_ROOT, never under MEDIA_ROOT, which a
web server may serve) and is deleted after a day. The ResponseExport row stays, for the audit.
"""

import logging
import os
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from wagtail.log_actions import log

from consultations.models import ExportStatus, ResponseExport
from consultations.spreadsheets.exports import ExportFilters, ResponsesExport
from consultations.spreadsheets.log_actions import (
    EXPORT_PERMISSION,
    EXPORT_RESPONSES,
    PERSONAL_DATA_PERMISSION,
)

KEEP_FOR = timedelta(days=1)

logger = logging.getLogger(__name__)


def log_export(consultation, user, file_format, rows, personal_data, filters, **extra):
    """The audit-log entry for one export: who, which consultation, how, and how many rows.

    Only the format, the count, the filters (dates, channels, ward ids, statuses) and whether
    personal data was included: never a resident's words.
    """
    log(
        instance=consultation,
        action=EXPORT_RESPONSES,
        user=user,
        data={
            "format": file_format,
            "rows": rows,
            "personal_data": bool(personal_data),
            "filters": filters.describe(),
            **extra,
        },
    )


def may_have(user, export):
    """Whether `user` may still see `export`: the permissions it needs now, not when asked."""
    return user.has_perm(EXPORT_PERMISSION) and (
        not export.personal_data or user.has_perm(PERSONAL_DATA_PERMISSION)
    )


def exports_folder():
    return Path(settings.PRIVATE_EXPORTS_ROOT)


def export_path(export):
    return exports_folder() / f"response-export-{export.pk}.{export.file_format}"


def is_downloadable(export, now=None):
    """Made, less than a day ago, and its file still there."""
    return (
        export.status == ExportStatus.READY
        and export.finished_at is not None
        and export.finished_at > (now or timezone.now()) - KEEP_FOR
        and export_path(export).is_file()
    )


def delete_old_exports(now=None):
    """Delete export files (and half-made ones) older than a day. Returns how many went."""
    folder = exports_folder()
    if not folder.is_dir():
        return 0
    cutoff = ((now or timezone.now()) - KEEP_FOR).timestamp()
    deleted = 0
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted


@task()
def make_response_export(export_id):
    """Make the file for one ResponseExport, then clear out old ones. Safe to run twice."""
    delete_old_exports()
    export = ResponseExport.objects.select_related("consultation", "requested_by").get(pk=export_id)
    if export.status != ExportStatus.QUEUED:
        return str(export.status)
    if not may_have(export.requested_by, export):
        logger.warning("Export %s refused: its officer lost the permission to have it", export.pk)
        return _finish(export, ExportStatus.FAILED)
    ResponseExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING)

    filters = ExportFilters.from_description(export.filters)
    responses = ResponsesExport(export.consultation, filters, personal_data=export.personal_data)
    folder = exports_folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        rows = responses.count()
        # Written under a temporary name (mode 0600) and renamed, so no one downloads half a file.
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as target:
            try:
                responses.write(export.file_format, target)
            except BaseException:
                Path(target.name).unlink(missing_ok=True)
                raise
        os.replace(target.name, export_path(export))
    except Exception:
        _finish(export, ExportStatus.FAILED)
        raise
    export.rows = rows
    export.file_name = responses.file_name(export.file_format)
    log_export(
        export.consultation,
        export.requested_by,
        export.file_format,
        rows,
        export.personal_data,
        filters,
    )
    return _finish(export, ExportStatus.READY)


def _finish(export, status):
    export.status = status
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "rows", "file_name", "finished_at"])
    return str(status)
