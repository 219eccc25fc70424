"""Uploaded response spreadsheets waiting to be confirmed move to portal.PendingUpload, which
keeps every import flow's files (portal/uploads.py); an officer mid-import keeps their file."""

from django.db import migrations


def move_pending_uploads(apps, schema_editor):
    ResponseUpload = apps.get_model("consultations", "ResponseUpload")
    PendingUpload = apps.get_model("portal", "PendingUpload")
    PendingUpload.objects.bulk_create(
        PendingUpload(
            flow="consultations.responses",
            subject=str(upload.consultation_id),
            uploaded_by_id=upload.uploaded_by_id,
            token=upload.token,
            file_name=upload.file_name,
            file_format=upload.file_format,
            choices={"channel": upload.channel},
            content=upload.content,
            uploaded_at=upload.uploaded_at,
        )
        for upload in ResponseUpload.objects.all()
    )


def move_them_back(apps, schema_editor):
    ResponseUpload = apps.get_model("consultations", "ResponseUpload")
    PendingUpload = apps.get_model("portal", "PendingUpload")
    ConsultationPage = apps.get_model("consultations", "ConsultationPage")
    existing = set(ConsultationPage.objects.values_list("pk", flat=True))
    ResponseUpload.objects.bulk_create(
        ResponseUpload(
            consultation_id=int(upload.subject),
            uploaded_by_id=upload.uploaded_by_id,
            token=upload.token,
            file_name=upload.file_name,
            file_format=upload.file_format,
            channel=upload.choices.get("channel", "paper"),
            content=upload.content,
            uploaded_at=upload.uploaded_at,
        )
        for upload in PendingUpload.objects.filter(flow="consultations.responses")
        if int(upload.subject) in existing
    )


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0015_about_you_areas_are_the_councils_areas"),
        ("portal", "0001_pending_uploads"),
    ]

    operations = [
        migrations.RunPython(move_pending_uploads, move_them_back),
        migrations.DeleteModel(name="ResponseUpload"),
    ]
