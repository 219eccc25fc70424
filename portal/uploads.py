"""The file between the steps of every upload → check → confirm flow, and its one lifetime rule.

An officer uploads a spreadsheet, the portal checks it (a dry run listing every problem), and
the officer confirms (the same file imported for real, checked again). Between the steps the file
is a PendingUpload row: one per officer, flow and subject, refused an hour after upload, deleted
once imported, whenever anyone uploads or checks a file after that hour, and by the daily
`apply_retention`.
"""

import secrets
from datetime import timedelta

from django.utils import timezone
from django.utils.crypto import constant_time_compare

from portal.models import PendingUpload

UPLOAD_LIFETIME = timedelta(hours=1)


class PendingUploads:
    """The kept files of one flow (say, paper responses into consultations)."""

    def __init__(self, flow):
        self.flow = flow

    def _mine(self, user, subject):
        return PendingUpload.objects.filter(
            flow=self.flow, subject=str(subject.pk), uploaded_by=user
        )

    def keep(self, user, subject, *, name, file_format, content, **choices):
        """Keep `user`'s file for `subject`, replacing any earlier one of theirs."""
        delete_expired_uploads()
        self._mine(user, subject).delete()
        return PendingUpload.objects.create(
            flow=self.flow,
            subject=str(subject.pk),
            uploaded_by=user,
            token=secrets.token_urlsafe(16),
            file_name=name,
            file_format=file_format,
            choices=choices,
            content=content,
        )

    def kept(self, user, subject):
        """`user`'s file for `subject`, unless there is none or it is an hour old."""
        delete_expired_uploads()
        upload = (
            self._mine(user, subject)
            .filter(uploaded_at__gt=timezone.now() - UPLOAD_LIFETIME)
            .order_by("-uploaded_at")
            .first()
        )
        if upload is not None:
            upload.content = bytes(upload.content)  # memoryview on PostgreSQL
        return upload

    def confirmed(self, user, subject, token):
        """The kept file if `token` is the one its check showed; else (None, why not), where
        why not is "expired" (nothing kept) or "changed" (another file uploaded since)."""
        upload = self.kept(user, subject)
        if upload is None:
            return None, "expired"
        if not constant_time_compare(token or "", upload.token):
            return None, "changed"
        return upload, None

    def forget(self, user, subject):
        self._mine(user, subject).delete()


def delete_expired_uploads(now=None):
    """Delete every flow's uploads older than UPLOAD_LIFETIME, however their officer left.
    Returns how many."""
    cutoff = (now or timezone.now()) - UPLOAD_LIFETIME
    deleted, _by_model = PendingUpload.objects.filter(uploaded_at__lte=cutoff).delete()
    return deleted
