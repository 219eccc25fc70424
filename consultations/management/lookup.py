"""What the consultation commands share: finding the one consultation a slug names."""

from django.core.management.base import CommandError

from consultations.models import ConsultationPage


def consultation_by_slug(slug):
    """The consultation with this slug, or a CommandError saying why there is not exactly one
    (slugs are unique among siblings only)."""
    found = list(ConsultationPage.objects.filter(slug=slug)[:2])
    if len(found) != 1:
        raise CommandError(
            f"No consultation has the slug ‘{slug}’."
            if not found
            else f"More than one consultation has the slug ‘{slug}’."
        )
    return found[0]
