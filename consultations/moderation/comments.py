"""Every free-text answer becomes a comment waiting for moderation, flagged as it arrives.

Free text is a free-text question's answer and the "Other, please specify" of a single choice:
the words residents chose themselves. Structured answers (a postcode district, a number) never
appear as text in public, so they are not moderated.
"""

from consultations.models import Comment
from consultations.moderation.pii import PERSONAL_DATA_KINDS, find_flags


def new_comment(answer, consultation_id, submitted_at):
    """An unsaved pending Comment for a stored free-text `answer`, with what the flagger found."""
    flags = find_flags(answer.text)
    kinds = {flag.kind for flag in flags}
    return Comment(
        answer=answer,
        consultation_id=consultation_id,
        question_id=answer.question_id,
        submitted_at=submitted_at,
        flags=[{"kind": flag.kind, "start": flag.start, "end": flag.end} for flag in flags],
        flagged_personal_data=bool(kinds & PERSONAL_DATA_KINDS),
        flagged_abuse="abuse" in kinds,
    )


def takes_comments(question):
    """Whether `question` (journey.Question) has answers in residents' own words to moderate."""
    return question.block.takes_comments


def create_comments(response, answers, questions):
    """Queue the free-text `answers` (saved Answer rows) of `response` for moderation.

    `questions` maps question id to journey.Question. Call inside the transaction that stores
    the response, so a response never exists without its comments.
    """
    comments = [
        new_comment(answer, response.consultation_id, response.submitted_at)
        for answer in answers
        if answer.text
        and answer.question_id in questions
        and takes_comments(questions[answer.question_id])
    ]
    return Comment.objects.bulk_create(comments)
