from django.conf import settings
from django.db import models
from django.utils import timezone


class PendingUpload(models.Model):
    """A spreadsheet an officer uploaded, kept between checking it and confirming the import.

    Every upload → check → confirm flow keeps its file here (portal/uploads.py), never in a form
    or the session: a file of residents' answers must not outlive its hour in a session that
    lasts weeks. `flow` names the import ("consultations.responses", "budget_simulator.service_
    lines"), `subject` what it imports into (a consultation's or a budget's id).
    """

    flow = models.CharField(max_length=60)
    subject = models.CharField(max_length=40)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # Sent with the confirmation, so a check of one upload never confirms another.
    token = models.CharField(max_length=40)
    file_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=4)
    # What else the officer chose with the file (how paper responses came in, for example).
    choices = models.JSONField(default=dict, blank=True)
    content = models.BinaryField()
    uploaded_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["flow", "subject", "uploaded_by"])]

    def __str__(self):
        return self.file_name
