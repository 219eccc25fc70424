"""Large response exports, made in the background by `manage.py db_worker` (django-tasks-db).

The file goes to a private folder (settings.PRIVATE_EXPORTS_ROOT, never under MEDIA_ROOT, which a
web server may serve) and is deleted after a day. The ResponseExport row stays, for the audit.

The worker beats (`ResponseExport.heartbeat_at`) as it starts and after every batch of
responses. An export whose worker died (no beat for EXPORT_HEARTBEAT_TIMEOUT_SECONDS) or that is
not made EXPORT_MAX_SECONDS after it was asked for has stopped: `fail_if_stopped` marks it
failed, saying so, and deletes its half-made file, so the officer can ask again at once. The
status page and asking again apply that rule as they read; `apply_retention` sweeps the rest.
"""

import logging
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from wagtail.log_actions import log

from consultations.models import ExportStatus, ResponseExport
from consultations.spreadsheets import exports
from consultations.spreadsheets.exports import ExportFilters, ResponsesExport
from consultations.spreadsheets.log_actions import EXPORT_RESPONSES
from portal import permissions

KEEP_FOR = timedelta(days=1)
WAITING = (ExportStatus.QUEUED, ExportStatus.RUNNING)

STOPPED = (
    "The export stopped before it finished (the background worker was interrupted). "
    "Nothing was lost: ask for it again."
)
TOO_LONG = (
    "The export was not made in time, so it was stopped (the background worker may be busy or "
    "not running). Nothing was lost: ask for it again."
)
# A half-made file is named for its export, so the export's own can be found and deleted.
PART_NAME = re.compile(r"^response-export-(?P<pk>\d+)-.*\.part$")

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


def part_files(export):
    """The half-made files of `export` (one, unless its worker died and it was run again)."""
    return list(exports_folder().glob(f"response-export-{export.pk}-*.part"))


def heartbeat_timeout():
    return timedelta(seconds=settings.EXPORT_HEARTBEAT_TIMEOUT_SECONDS)


def longest_export():
    return timedelta(seconds=settings.EXPORT_MAX_SECONDS)


def why_stopped(export, now=None):
    """Why a waiting export will never be made (its worker died, or it is far too late), or
    None while it may still finish. Waiting for a worker counts only towards the maximum."""
    if export.status not in WAITING:
        return None
    now = now or timezone.now()
    if export.requested_at < now - longest_export():
        return TOO_LONG
    last_sign_of_life = export.heartbeat_at or export.requested_at
    if export.status == ExportStatus.RUNNING and last_sign_of_life < now - heartbeat_timeout():
        return STOPPED
    return None


def fail_if_stopped(export, now=None):
    """Mark `export` failed, saying why, and delete its half-made file, if it has stopped.

    Only if it is still as read: a worker that beat in between keeps its export. Returns
    whether it was stopped; `export` is brought up to date either way.
    """
    reason = why_stopped(export, now)
    if reason is None:
        return False
    stopped = ResponseExport.objects.filter(
        pk=export.pk, status=export.status, heartbeat_at=export.heartbeat_at
    ).update(status=ExportStatus.FAILED, failure_message=reason, finished_at=timezone.now())
    export.refresh_from_db()
    if stopped:
        logger.warning("Export %s stopped: %s", export.pk, reason)
        for path in part_files(export):
            path.unlink(missing_ok=True)
    return bool(stopped)


def sweep_stopped_exports(now=None):
    """Fail every export that has stopped, and delete half-made files no waiting export is
    writing. Returns (exports failed, files deleted)."""
    failed = sum(
        fail_if_stopped(export, now)
        for export in ResponseExport.objects.filter(status__in=WAITING).order_by("pk")
    )
    folder = exports_folder()
    if not folder.is_dir():
        return failed, 0
    waiting = set(ResponseExport.objects.filter(status__in=WAITING).values_list("pk", flat=True))
    cutoff = ((now or timezone.now()) - heartbeat_timeout()).timestamp()
    deleted = 0
    for path in folder.glob("*.part"):
        named = PART_NAME.match(path.name)
        if named:
            orphaned = int(named["pk"]) not in waiting
        else:  # not named for an export: left by an older version, once no one writes to it
            orphaned = path.stat().st_mtime < cutoff
        if orphaned and path.is_file():
            path.unlink(missing_ok=True)
            deleted += 1
    return failed, deleted


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


class ExportStopped(Exception):
    """The export was marked stopped while this worker was still making it."""


def beat(export_id):
    """Tell everyone the worker making this export is alive; stop it if it was marked stopped."""
    alive = ResponseExport.objects.filter(pk=export_id, status=ExportStatus.RUNNING).update(
        heartbeat_at=timezone.now()
    )
    if not alive:
        raise ExportStopped(export_id)


@dataclass
class BeatingExport(ResponsesExport):
    """The export, with the worker beating before each batch of responses it reads."""

    export_id: int | None = None

    def records(self):
        for number, record in enumerate(super().records()):
            if number % exports.BATCH == 0:
                beat(self.export_id)
            yield record


@task()
def make_response_export(export_id):
    """Make the file for one ResponseExport, then clear out old ones. Safe to run twice."""
    delete_old_exports()
    export = ResponseExport.objects.select_related("consultation", "requested_by").get(pk=export_id)
    if export.status != ExportStatus.QUEUED or fail_if_stopped(export):
        return str(export.status)
    if not permissions.may_have_export(export.requested_by, export.personal_data):
        logger.warning("Export %s refused: its officer lost the permission to have it", export.pk)
        return _finish(export, ExportStatus.FAILED)
    started = ResponseExport.objects.filter(pk=export.pk, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, heartbeat_at=timezone.now()
    )
    if not started:
        return str(ResponseExport.objects.get(pk=export.pk).status)

    filters = ExportFilters.from_description(export.filters)
    responses = BeatingExport(
        export.consultation, filters, personal_data=export.personal_data, export_id=export.pk
    )
    folder = exports_folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        rows = responses.count()
        # Written under a temporary name (mode 0600) and renamed, so no one downloads half a file.
        with tempfile.NamedTemporaryFile(
            dir=folder, prefix=f"response-export-{export.pk}-", suffix=".part", delete=False
        ) as target:
            try:
                responses.write(export.file_format, target)
            except BaseException:
                Path(target.name).unlink(missing_ok=True)
                raise
        os.replace(target.name, export_path(export))
    except ExportStopped:
        logger.warning("Export %s was stopped while being made: left unfinished", export.pk)
        return str(ExportStatus.FAILED)
    except Exception:
        _finish(export, ExportStatus.FAILED)
        raise
    with transaction.atomic():  # made and in the audit log, or neither
        made = ResponseExport.objects.filter(pk=export.pk, status=ExportStatus.RUNNING).update(
            status=ExportStatus.READY,
            rows=rows,
            file_name=responses.file_name(export.file_format),
            finished_at=timezone.now(),
        )
        if made:
            log_export(
                export.consultation,
                export.requested_by,
                export.file_format,
                rows,
                export.personal_data,
                filters,
            )
    if not made:  # marked stopped just as it finished: the officer was told to ask again
        export_path(export).unlink(missing_ok=True)
        return str(ExportStatus.FAILED)
    return str(ExportStatus.READY)


def _finish(export, status):
    export.status = status
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "rows", "file_name", "finished_at"])
    return str(status)
