"""Themes: the analysts' list of topics for a consultation, and published comments tagged with them.

Services (add, rename, delete, tag, untag, and tag or untag many comments at once) each run in
one transaction and write Wagtail's audit log; selectors read. Only published comments
(approved, or approved with redactions) can be tagged, and analysts only ever read a comment's
`public_text`: never a pending or rejected comment, never an original. Results count
only tags on published comments, so a comment rejected after it was tagged drops out of the
counts on its own.

Suggested themes (a later stage) fit the same records: a suggestion is a Theme or a CommentTheme
with source "suggested", made by `add_theme` / `tag_comment` with that source and no user, that
an analyst then keeps (rename or tag) or deletes.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from wagtail.log_actions import log

from consultations.models import PUBLISHABLE, Comment, CommentTheme, Theme, ThemeSource

ADD_THEME = "consultations.theme.add"
RENAME_THEME = "consultations.theme.rename"
DELETE_THEME = "consultations.theme.delete"
TAG_COMMENT = "consultations.comment.tag"
UNTAG_COMMENT = "consultations.comment.untag"
BULK_TAG = "consultations.theme.bulk_tag"
BULK_UNTAG = "consultations.theme.bulk_untag"

# One bulk action changes at most this many comments (a page is 25; "all on this page" and a
# few ticked ones stay far below it), so a forged form cannot post an unbounded list.
MOST_AT_ONCE = 500

NAME_LENGTH = Theme._meta.get_field("name").max_length
DESCRIPTION_LENGTH = Theme._meta.get_field("description").max_length


# Selectors -----------------------------------------------------------------------------------


def themes_with_counts(consultation):
    """The consultation's themes, each with `published`: published comments tagged with it."""
    return Theme.objects.filter(consultation=consultation).annotate(
        published=Count("tags", filter=Q(tags__comment__status__in=PUBLISHABLE))
    )


def published_comments(
    consultation, question_id=None, theme=None, untagged=False, words="", untagged_first=False
):
    """Comments analysts may read and tag: published ones, by date, loading only public fields.

    `words` keeps comments whose published text holds every word, in any capitals (never the
    original); `untagged_first` lists comments with no theme yet before the tagged ones.
    """
    comments = Comment.objects.filter(consultation=consultation, status__in=PUBLISHABLE).only(
        "id", "consultation_id", "question_id", "submitted_at", "status", "public_text"
    )
    if question_id:
        comments = comments.filter(question_id=question_id)
    if theme is not None:
        comments = comments.filter(theme_tags__theme=theme)
    if untagged:
        comments = comments.filter(theme_tags__isnull=True)
    for word in (words or "").replace("\x00", "").split():
        comments = comments.filter(public_text__icontains=word)
    if untagged_first:
        tagged = CommentTheme.objects.filter(comment=OuterRef("pk"))
        return comments.annotate(tagged=Exists(tagged)).order_by("tagged", "submitted_at", "pk")
    return comments.order_by("submitted_at", "pk")


def tags_of(comments):
    """{comment id: set of theme ids} for the given comments, in one query."""
    found = {comment.pk: set() for comment in comments}
    for comment_id, theme_id in CommentTheme.objects.filter(comment__in=list(found)).values_list(
        "comment_id", "theme_id"
    ):
        found[comment_id].add(theme_id)
    return found


# Services ------------------------------------------------------------------------------------


def clean_name(consultation, name, theme=None):
    """A theme's name, spaces tidied; refuses an empty name or one the consultation already has
    (in any mix of capitals)."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError("Enter a name for the theme")
    if len(name) > NAME_LENGTH:
        raise ValidationError(f"The theme’s name must be {NAME_LENGTH} characters or fewer")
    clash = Theme.objects.filter(consultation=consultation, name__iexact=name)
    if theme is not None:
        clash = clash.exclude(pk=theme.pk)
    existing = clash.first()
    if existing is not None:
        raise ValidationError(f"This consultation already has a theme called ‘{existing.name}’")
    return name


def clean_description(description):
    description = " ".join((description or "").split())
    if len(description) > DESCRIPTION_LENGTH:
        raise ValidationError(f"The description must be {DESCRIPTION_LENGTH} characters or fewer")
    return description


def add_theme(consultation, name, user, description="", source=ThemeSource.ANALYST):
    with transaction.atomic():
        theme = Theme.objects.create(
            consultation=consultation,
            name=clean_name(consultation, name),
            description=clean_description(description),
            source=source,
        )
        log(theme, ADD_THEME, user=user, data={"consultation": consultation.pk, "name": theme.name})
    return theme


def rename_theme(theme, name, user, description=None):
    """Rename a theme (and change its description, if given). Its tags stay."""
    with transaction.atomic():
        old_name = theme.name
        theme.name = clean_name(theme.consultation_id, name, theme=theme)
        fields = ["name", "updated_at"]
        if description is not None:
            theme.description = clean_description(description)
            fields.append("description")
        theme.save(update_fields=fields)
        log(theme, RENAME_THEME, user=user, data={"from": old_name, "to": theme.name})
    return theme


def delete_theme(theme, user):
    """Delete a theme and its tags. Returns how many comments were tagged with it."""
    with transaction.atomic():
        tagged = theme.tags.count()
        log(
            theme,
            DELETE_THEME,
            user=user,
            deleted=True,
            data={"consultation": theme.consultation_id, "name": theme.name, "tags": tagged},
        )
        theme.delete()
    return tagged


def _check_taggable(comment, theme):
    if comment.consultation_id != theme.consultation_id:
        raise ValidationError("A comment can only be tagged with its own consultation’s themes")
    if comment.status not in PUBLISHABLE:
        raise ValidationError("Only published comments can be tagged")


def tag_comment(comment, theme, user, source=ThemeSource.ANALYST):
    """Tag a published comment with a theme. Returns True if the tag is new."""
    _check_taggable(comment, theme)
    with transaction.atomic():
        _tag, created = CommentTheme.objects.get_or_create(
            comment=comment, theme=theme, defaults={"tagged_by": user, "source": source}
        )
        if created:
            log(comment, TAG_COMMENT, user=user, data={"theme": theme.pk, "name": theme.name})
    return created


def untag_comment(comment, theme, user):
    """Remove a theme from a comment. Returns True if it was tagged."""
    with transaction.atomic():
        removed, _ = CommentTheme.objects.filter(comment=comment, theme=theme).delete()
        if removed:
            log(comment, UNTAG_COMMENT, user=user, data={"theme": theme.pk, "name": theme.name})
    return bool(removed)


def set_comment_themes(comment, themes, user):
    """Make a published comment's themes exactly `themes`. Returns (added, removed) theme lists."""
    wanted = {theme.pk: theme for theme in themes}
    for theme in wanted.values():
        _check_taggable(comment, theme)
    if comment.status not in PUBLISHABLE:
        raise ValidationError("Only published comments can be tagged")
    with transaction.atomic():
        current = {tag.theme_id: tag.theme for tag in comment.theme_tags.select_related("theme")}
        added = [theme for pk, theme in wanted.items() if pk not in current]
        removed = [theme for pk, theme in current.items() if pk not in wanted]
        for theme in added:
            tag_comment(comment, theme, user)
        for theme in removed:
            untag_comment(comment, theme, user)
    return added, removed


def _comments_to_change(theme, comment_ids):
    """The ids, as a set, once every one is a published comment of the theme's consultation.

    Anything else (another consultation's comment, a pending or rejected one, an id that does
    not exist, or not a number) refuses the whole action, so a tampered form changes nothing.
    """
    try:
        wanted = {int(comment_id) for comment_id in comment_ids}
    except (TypeError, ValueError):
        raise ValidationError(
            "The selection was not understood: reload the page and try again"
        ) from None
    if not wanted:
        raise ValidationError("Select at least one comment")
    if len(wanted) > MOST_AT_ONCE:
        raise ValidationError(f"Select at most {MOST_AT_ONCE} comments at once")
    found = set(
        Comment.objects.select_for_update()
        .filter(pk__in=wanted, consultation_id=theme.consultation_id, status__in=PUBLISHABLE)
        .values_list("pk", flat=True)
    )
    refused = len(wanted - found)
    if refused:
        raise ValidationError(
            f"{refused} of the selected comments {'is' if refused == 1 else 'are'} not a "
            "published comment of this consultation (it may have been moderated again since "
            "the page loaded): reload the page and try again"
        )
    return wanted


def tag_comments(theme, comment_ids, user, source=ThemeSource.ANALYST):
    """Tag many published comments with one theme at once. Returns (added, already tagged).

    All or nothing: refuses the lot if any id is not a published comment of the theme's
    consultation. Tagging again adds nothing; the audit log gets one entry with counts only.
    """
    with transaction.atomic():
        wanted = _comments_to_change(theme, comment_ids)
        already = set(
            CommentTheme.objects.filter(theme=theme, comment_id__in=wanted).values_list(
                "comment_id", flat=True
            )
        )
        new = sorted(wanted - already)
        CommentTheme.objects.bulk_create(
            [CommentTheme(comment_id=pk, theme=theme, tagged_by=user, source=source) for pk in new],
            ignore_conflicts=True,
        )
        if new:
            log(theme, BULK_TAG, user=user, data=_counts(theme, len(wanted), added=len(new)))
    return len(new), len(already)


def untag_comments(theme, comment_ids, user):
    """Remove one theme from many published comments at once. Returns how many had it.

    All or nothing, as `tag_comments`; one audit log entry with counts only.
    """
    with transaction.atomic():
        wanted = _comments_to_change(theme, comment_ids)
        removed, _ = CommentTheme.objects.filter(theme=theme, comment_id__in=wanted).delete()
        if removed:
            log(theme, BULK_UNTAG, user=user, data=_counts(theme, len(wanted), removed=removed))
    return removed


def _counts(theme, selected, **changed):
    """An audit log entry's data: the theme and counts, never a comment's words."""
    return {
        "consultation": theme.consultation_id,
        "theme": theme.pk,
        "name": theme.name,
        "selected": selected,
        **changed,
    }
