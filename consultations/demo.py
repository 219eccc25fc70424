"""The demo council's consultations."""

from consultations.models import ConsultationIndexPage


def seed(home):
    """Make the consultation index; safe to repeat."""
    index = ConsultationIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(
            instance=ConsultationIndexPage(
                title="Consultations",
                slug="consultations",
                intro="Find a consultation to respond to, or see the results of past ones.",
            )
        )
    return index
