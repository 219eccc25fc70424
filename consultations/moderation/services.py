"""Moderation decisions: approve, reject (with a reason) or redact a comment, one or many at once.

Each decision checks the moderator's permission, validates what they chose, changes only the
Comment (the resident's Answer is never touched) in one transaction, and goes into Wagtail's
audit log with who and what, never the resident's words. A decision can be changed later
(approved, then rejected); deciding the same thing twice changes and logs nothing.

What a moderator may not read, no answer may reveal: a redaction by a moderator from whom the
original is hidden is checked against the published version only, so whatever they type gets
the same answer whether or not it matches the original, and each refused try is in the audit log.
"""

import logging
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from wagtail.log_actions import log

from consultations.models import Comment, ModerationStatus, RejectionReason
from consultations.moderation import log_actions
from consultations.moderation.pii import PERSONAL_DATA_KINDS, find_flags
from consultations.moderation.selectors import FLAG_LABELS, original_visible_to
from portal import permissions

REMOVED = "[removed]"
# An audit-log action (registered in wagtail_hooks.py): a redaction refused to a moderator from
# whom the original is hidden.
REDACT_REFUSED = "consultations.comment.redact_refused"
REFUSALS = {
    "permission": "only officers with personal data access may redact a rejected comment",
    "empty": "it was empty",
    "unchanged": "it was the version already published",
    "flagged": "it still looked like it had personal data",
}
logger = logging.getLogger(__name__)


def suggested_redaction(text):
    """`text` with everything flagged as likely personal data replaced by "[removed]"."""
    parts, position = [], 0
    for flag in find_flags(text):
        if flag.kind in PERSONAL_DATA_KINDS:
            parts += [text[position : flag.start], REMOVED]
            position = flag.end
    return "".join([*parts, text[position:]])


def approve(comment, user):
    """Publish the comment as the resident wrote it. Returns the comment as now stored."""
    _check_moderator(user)
    with transaction.atomic():
        comment = _locked([comment.pk])[0]
        _approve(comment, user)
        return comment


def reject(comment, user, reason):
    """Keep the comment off every public page, for one of the reasons in RejectionReason."""
    _check_moderator(user)
    reason = _clean_reason(reason)
    with transaction.atomic():
        comment = _locked([comment.pk])[0]
        _reject(comment, user, reason)
        return comment


def redact(comment, user, public_text, *, despite_flags=False):
    """Publish the moderator's edit instead of the original, which stays on the Answer.

    Refuses an edit that is empty, unchanged, or still flagged as likely personal data, unless
    the moderator confirms (`despite_flags`) that what is flagged is not personal data.
    """
    _check_moderator(user)
    original_hidden = False
    try:
        with transaction.atomic():
            comment = _locked([comment.pk])[0]
            # Permission first: nothing below may compare what they typed with what is hidden.
            original_hidden = not original_visible_to(user, comment)
            if original_hidden and comment.status != ModerationStatus.REDACTED:
                raise PermissionDenied(
                    "Only officers with personal data access can redact a rejected comment: "
                    "its original is hidden from you."
                )
            public_text = _clean_redaction(comment, public_text, despite_flags, original_hidden)
            if original_hidden and public_text == comment.answer.text.strip():
                # Not refused (that would confirm the guess), but worth a data protection
                # officer's look: the server log, which no moderator reads, says so.
                logger.warning(
                    "Comment %s: a moderator without personal data access (user %s) published "
                    "a redaction identical to the hidden original.",
                    comment.pk,
                    user.pk,
                )
            kept = sorted({flag.kind for flag in find_flags(public_text)} & PERSONAL_DATA_KINDS)
            _decide(
                comment,
                user,
                log_actions.REDACT,
                status=ModerationStatus.REDACTED,
                public_text=public_text,
                data={"flags_kept": kept} if kept else {},
            )
            return comment
    except (PermissionDenied, ValidationError) as error:
        if original_hidden:
            _log_refused_redaction(comment, user, error)
        raise


def approve_many(comments, user):
    """Approve every comment in `comments` (a queryset, comments or ids), all or none.

    Returns how many changed."""
    _check_moderator(user)
    ids = _ids(comments)
    with transaction.atomic():
        batch = uuid.uuid4()
        return sum(_approve(comment, user, bulk=batch) for comment in _locked(ids))


def reject_many(comments, user, reason):
    """Reject every comment in `comments` for `reason`, all or none. Returns how many changed."""
    _check_moderator(user)
    reason = _clean_reason(reason)
    ids = _ids(comments)
    with transaction.atomic():
        batch = uuid.uuid4()
        return sum(_reject(comment, user, reason, bulk=batch) for comment in _locked(ids))


# How a decision is made ---------------------------------------------------------------------


def _approve(comment, user, bulk=None):
    if not original_visible_to(user, comment):
        raise PermissionDenied(
            f"Only officers with personal data access can approve comment {comment.pk} as "
            "written: its original is hidden from you."
        )
    return _decide(
        comment,
        user,
        log_actions.APPROVE,
        status=ModerationStatus.APPROVED,
        public_text=comment.answer.text,
        bulk=bulk,
    )


def _reject(comment, user, reason, bulk=None):
    return _decide(
        comment,
        user,
        log_actions.REJECT,
        status=ModerationStatus.REJECTED,
        rejection_reason=reason,
        data={"reason": reason},
        bulk=bulk,
    )


def _decide(
    comment, user, action, *, status, public_text="", rejection_reason="", data=None, bulk=None
):
    """Set the decision and log it. False (nothing written) if it is already the decision."""
    decision = {"status": status, "public_text": public_text, "rejection_reason": rejection_reason}
    if all(getattr(comment, field) == value for field, value in decision.items()):
        return False
    previous = comment.status
    for field, value in decision.items():
        setattr(comment, field, value)
    comment.moderated_by = user
    comment.moderated_at = timezone.now()
    comment.save(update_fields=[*decision, "moderated_by", "moderated_at", "updated_at"])
    log(
        instance=comment,
        action=action,
        user=user,
        uuid=bulk,
        title=f"Comment {comment.pk} on ‘{comment.consultation.title}’",
        data={
            "consultation": comment.consultation_id,
            "question": comment.question_id,
            "status": status,
            "previous_status": previous,
            "bulk": bulk is not None,
            **(data or {}),
        },
    )
    return True


def _check_moderator(user):
    if not permissions.may_moderate_comments(user):
        raise PermissionDenied("You do not have permission to moderate comments.")


def _locked(ids):
    """The comments with these ids, locked for this transaction. Every id must exist, so a
    stale or tampered list changes nothing."""
    if not ids:
        raise ValidationError("Choose at least one comment.", code="required")
    comments = list(
        Comment.objects.select_for_update(of=("self",))
        .select_related("answer", "consultation")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    missing = set(ids) - {comment.pk for comment in comments}
    if missing:
        listed = ", ".join(str(pk) for pk in sorted(missing))
        raise ValidationError(
            f"No comment has the number {listed}: nothing was changed.", code="missing"
        )
    return comments


def _ids(comments):
    if isinstance(comments, QuerySet):
        return list(comments.values_list("pk", flat=True))
    ids = []
    for comment in comments:
        pk = comment.pk if isinstance(comment, Comment) else comment
        try:
            ids.append(int(pk))
        except (TypeError, ValueError):
            raise ValidationError(f"‘{pk}’ is not a comment number.", code="invalid") from None
    return ids


def _clean_reason(reason):
    if reason not in RejectionReason.values:
        raise ValidationError("Choose a reason for rejecting from the list.", code="reason")
    return RejectionReason(reason)


def _log_refused_redaction(comment, user, error):
    """Each refused redaction of a comment whose original is hidden from the moderator goes in
    the audit log (why it was refused, never the words), so repeated guessing shows."""
    refused = "permission" if isinstance(error, PermissionDenied) else error.code
    log(
        instance=comment,
        action=REDACT_REFUSED,
        user=user,
        title=f"Comment {comment.pk} on ‘{comment.consultation.title}’",
        data={
            "consultation": comment.consultation_id,
            "question": comment.question_id,
            "refused": refused if refused in REFUSALS else "invalid",
            "original_hidden": True,
        },
    )


def _clean_redaction(comment, public_text, despite_flags, original_hidden=False):
    public_text = (public_text or "").strip()
    if not public_text:
        raise ValidationError(
            "Enter the version residents may read. To publish nothing, reject the comment.",
            code="empty",
        )
    if original_hidden:
        # Compared with what the moderator can read, never with the hidden original.
        if public_text == comment.public_text.strip():
            raise ValidationError(
                "This is the version already published: change it to publish a new version, "
                "or leave the comment as it is.",
                code="unchanged",
            )
    elif public_text == comment.answer.text.strip():
        raise ValidationError(
            "This is the comment as the resident wrote it: remove what should not be published, "
            "or approve it as written.",
            code="unchanged",
        )
    flagged = [flag for flag in find_flags(public_text) if flag.kind in PERSONAL_DATA_KINDS]
    if flagged and not despite_flags:
        found = "; ".join(f"‘{flag.text}’ ({FLAG_LABELS[flag.kind].lower()})" for flag in flagged)
        raise ValidationError(
            f"The redacted version still looks like it has personal data: {found}. Replace it "
            f"with {REMOVED}, or confirm that it is not personal data.",
            code="flagged",
        )
    return public_text
