"""What the open data holds: which consultations are listed and whose results are public.

A consultation is listed once it is live and public; its results are public once its
"you said, we did" page is (`ConsultationPage.published_outcome`).
"""

import re

from django.db.models import Count
from django.utils import timezone

from consultations.api.public import documented_only
from consultations.api.schema import LICENCE_NAME, LICENCE_URL
from consultations.models import ConsultationPage, OutcomePage, Response, Status

# Wagtail slugs: letters (any alphabet), digits, hyphens and underscores.
SLUG = re.compile(r"[-\w]{1,255}\Z")


def listed_consultations(status="", now=None):
    """Live, public consultations, most recently closing first; optionally by status now."""
    now = now or timezone.now()
    consultations = ConsultationPage.objects.live().public()
    if status == Status.OPEN:
        consultations = consultations.filter(opens_at__lte=now, closes_at__gt=now)
    elif status == Status.UPCOMING:
        consultations = consultations.filter(opens_at__gt=now)
    elif status == Status.CLOSED:
        consultations = consultations.filter(closes_at__lte=now)
    return consultations.prefetch_related("topics", "areas").order_by("-closes_at", "pk")


def published_outcomes(consultations):
    """{consultation id: its live, public outcome page} for those that have one."""
    by_path = {consultation.path: consultation.pk for consultation in consultations}
    found = {}
    for outcome in OutcomePage.objects.live().public().order_by("path"):
        parent = by_path.get(outcome.path[: -OutcomePage.steplen])
        if parent is not None:
            found.setdefault(parent, outcome)
    return found


def response_counts(consultation_ids):
    """{consultation id: how many responses} for the given consultations."""
    rows = (
        Response.objects.filter(consultation_id__in=consultation_ids)
        .values("consultation_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    return {row["consultation_id"]: row["count"] for row in rows}


def consultations_with_results():
    """Consultations whose results are public, with their outcome pages, most recent first."""
    consultations = list(listed_consultations())
    outcomes = published_outcomes(consultations)
    return [(c, outcomes[c.pk]) for c in consultations if c.pk in outcomes]


def consultation_with_results(slug):
    """(consultation, outcome page) for a live, public consultation with a published outcome,
    or (None, None)."""
    if not isinstance(slug, str) or not SLUG.match(slug):
        return None, None
    for consultation in listed_consultations().filter(slug=slug):
        outcome = consultation.published_outcome
        if outcome is not None:
            return consultation, outcome
    return None, None


def public_results(consultation, outcome_url):
    """The consultation's results dictionary as published: documented fields only, with the
    licence and the outcome page."""
    from consultations.analysis.results import consultation_results

    results = {
        **consultation_results(consultation),
        "licence": {"name": LICENCE_NAME, "url": LICENCE_URL},
        "outcome_url": outcome_url,
    }
    return documented_only(results, "Results")
