"""What moderators read: the queue's counts, question names, and which text each officer may see.

A comment's original is what the resident wrote. Moderators read it while it waits and once it
is approved (it is then public anyway); once redacted or rejected it may hold personal data the
public version left out, so only holders of `consultations.view_personal_data` see it again.
"""

from django.db.models import Count, Q

from consultations.journey import questions_of
from consultations.models import Comment, ConsultationPage, ModerationStatus
from consultations.moderation.comments import takes_comments
from consultations.moderation.pii import Flag, find_flags, highlight
from portal import permissions

FLAG_LABELS = {
    "email": "Email address",
    "phone": "Phone number",
    "nhs_number": "NHS number",
    "ni_number": "National Insurance number",
    "postcode": "Postcode",
    "address": "Street address",
    "name": "Name",
    "health": "Health condition",
    "abuse": "Abusive language",
}
# Statuses whose original only personal-data holders may read again.
ORIGINAL_RESTRICTED = (ModerationStatus.REDACTED, ModerationStatus.REJECTED)


def original_visible_to(user, comment):
    """Whether `user` (a moderator) may read what the resident wrote."""
    return comment.status not in ORIGINAL_RESTRICTED or permissions.may_see_personal_data(user)


def readable_text(user, comment):
    """The text `user` may read in a listing: the original where allowed, else the public
    version (redacted comments), else None ("Original hidden")."""
    if original_visible_to(user, comment):
        return comment.answer.text
    return comment.public_text or None


def waiting_count():
    return Comment.objects.filter(status=ModerationStatus.PENDING).count()


def waiting_by_consultation():
    """Per consultation with comments waiting: how many wait, and how many of those are flagged."""
    pending = Q(comments__status=ModerationStatus.PENDING)
    flagged = pending & (Q(comments__flagged_personal_data=True) | Q(comments__flagged_abuse=True))
    return (
        ConsultationPage.objects.annotate(
            waiting=Count("comments", filter=pending),
            flagged=Count("comments", filter=flagged),
        )
        .filter(waiting__gt=0)
        .order_by("-waiting", "title")
    )


def consultations_with_comments():
    return ConsultationPage.objects.filter(
        pk__in=Comment.objects.values("consultation_id")
    ).order_by("title")


def question_labels(consultations):
    """{question id: the question as residents saw it} for the free-text questions asked."""
    labels = {}
    for consultation in consultations:
        for question in questions_of(consultation).values():
            if takes_comments(question):
                labels[question.id] = question.block.comment_label(question.value)
    return labels


def question_choices():
    """Choices for the question filter: "Consultation: question", in the consultations' order."""
    choices = []
    for consultation in consultations_with_comments():
        for question_id, label in question_labels([consultation]).items():
            choices.append((question_id, f"{consultation.title}: {label}"))
    return choices


def highlighted(text, flags=None):
    """`text` as (segment, kind, label) for a template, with flags as stored on a comment or,
    when `flags` is None, as the flagger finds them now (for a moderator's edit)."""
    if flags is None:
        found = find_flags(text)
    else:
        found = [
            Flag(flag["kind"], flag["start"], flag["end"], text[flag["start"] : flag["end"]])
            for flag in flags
            if flag.get("kind") in FLAG_LABELS
        ]
    return [(segment, kind, FLAG_LABELS.get(kind, "")) for segment, kind in highlight(text, found)]


def flag_labels(comment):
    """The kinds flagged in a comment's original, as labels, in a stable order."""
    kinds = {flag.get("kind") for flag in comment.flags}
    return [label for kind, label in FLAG_LABELS.items() if kind in kinds]
