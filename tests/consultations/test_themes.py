"""Themes: analysts keep a list per consultation and tag published comments, nobody else can,
and nothing but a published comment's public text is ever shown to them."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from consultations.analysis import themes
from consultations.models import Comment, CommentTheme, ModerationStatus, Theme, ThemeSource
from portal.roles import ANALYSTS, CONSULTATION_EDITORS, MODERATORS, ensure_officer_groups
from tests.builders import UserFactory
from tests.consultations.test_results import (
    make_index,
    new_consultation,
    store,
    survey_questions,
)

APPROVED_TEXT = "Please open the library on Sundays"
REDACTED_ORIGINAL = "My name is Jo Bloggs, call 07700 900123"
REDACTED_PUBLIC = "My name is [name removed], call [number removed]"
PENDING_TEXT = "Pending words nobody has read"
REJECTED_TEXT = "Rejected words that stay hidden"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def index(db):
    return make_index()


@pytest.fixture
def survey(index):
    return new_consultation(index, "survey", survey_questions())


@pytest.fixture
def comments(survey):
    """An approved, a redacted, a pending and a rejected comment, in that order."""
    for words in [APPROVED_TEXT, REDACTED_ORIGINAL, PENDING_TEXT, REJECTED_TEXT]:
        store(survey, comments={"text": words})
    approved, redacted, pending, rejected = Comment.objects.order_by("pk")
    for comment, status, public in [
        (approved, ModerationStatus.APPROVED, APPROVED_TEXT),
        (redacted, ModerationStatus.REDACTED, REDACTED_PUBLIC),
        (rejected, ModerationStatus.REJECTED, ""),
    ]:
        comment.status, comment.public_text = status, public
        comment.save()
    return approved, redacted, pending, rejected


def officer(role, **fields):
    user = UserFactory(**fields)
    user.groups.add(ensure_officer_groups()[role])
    return user


@pytest.fixture
def analyst(db):
    return officer(ANALYSTS)


# Services ------------------------------------------------------------------------------------


def test_adding_a_theme_tidies_its_name_and_records_who_added_it(survey, analyst):
    theme = themes.add_theme(survey, "  Opening   hours ", analyst, description="When to open")

    assert (theme.name, theme.description, theme.source) == (
        "Opening hours",
        "When to open",
        ThemeSource.ANALYST,
    )
    entry = ModelLogEntry.objects.get(action=themes.ADD_THEME)
    assert (entry.user, entry.object_id, entry.data["name"]) == (
        analyst,
        str(theme.pk),
        "Opening hours",
    )


@pytest.mark.parametrize("name", ["", "   ", "x" * 81])
def test_a_theme_needs_a_name_of_at_most_80_characters(survey, analyst, name):
    with pytest.raises(ValidationError):
        themes.add_theme(survey, name, analyst)
    assert not Theme.objects.exists()


def test_a_consultation_cannot_have_two_themes_of_the_same_name_in_any_capitals(survey, analyst):
    themes.add_theme(survey, "Parking", analyst)

    with pytest.raises(ValidationError, match="already has a theme called ‘Parking’"):
        themes.add_theme(survey, "PARKING", analyst)


def test_another_consultation_may_use_the_same_theme_name(index, survey, analyst):
    other = new_consultation(index, "other", survey_questions())
    themes.add_theme(survey, "Parking", analyst)

    assert themes.add_theme(other, "Parking", analyst).consultation == other


def test_renaming_keeps_the_tags_and_logs_both_names(survey, analyst, comments):
    theme = themes.add_theme(survey, "Hours", analyst)
    themes.tag_comment(comments[0], theme, analyst)

    themes.rename_theme(theme, "Opening hours", analyst)

    assert Theme.objects.get().name == "Opening hours"
    assert CommentTheme.objects.get().theme == theme
    entry = ModelLogEntry.objects.get(action=themes.RENAME_THEME)
    assert entry.data == {"from": "Hours", "to": "Opening hours"}


def test_a_theme_can_be_renamed_to_its_own_name_in_new_capitals(survey, analyst):
    theme = themes.add_theme(survey, "opening hours", analyst)

    themes.rename_theme(theme, "Opening hours", analyst)

    assert Theme.objects.get().name == "Opening hours"


def test_renaming_to_another_themes_name_is_refused(survey, analyst):
    themes.add_theme(survey, "Parking", analyst)
    theme = themes.add_theme(survey, "Hours", analyst)

    with pytest.raises(ValidationError):
        themes.rename_theme(theme, "parking", analyst)
    assert Theme.objects.get(pk=theme.pk).name == "Hours"


def test_deleting_a_theme_removes_its_tags_and_says_how_many(survey, analyst, comments):
    theme = themes.add_theme(survey, "Hours", analyst)
    themes.tag_comment(comments[0], theme, analyst)
    themes.tag_comment(comments[1], theme, analyst)

    assert themes.delete_theme(theme, analyst) == 2

    assert not Theme.objects.exists() and not CommentTheme.objects.exists()
    entry = ModelLogEntry.objects.get(action=themes.DELETE_THEME)
    assert entry.deleted and entry.data["tags"] == 2


def test_tagging_records_the_analyst_and_writes_no_comment_text_to_the_log(
    survey, analyst, comments
):
    theme = themes.add_theme(survey, "Hours", analyst)

    assert themes.tag_comment(comments[1], theme, analyst) is True

    tag = CommentTheme.objects.get()
    assert (tag.comment, tag.tagged_by, tag.source) == (comments[1], analyst, ThemeSource.ANALYST)
    entry = ModelLogEntry.objects.get(action=themes.TAG_COMMENT)
    assert entry.object_id == str(comments[1].pk)
    logged = str(entry.data) + entry.label
    assert REDACTED_PUBLIC not in logged and REDACTED_ORIGINAL not in logged


def test_tagging_twice_makes_one_tag(survey, analyst, comments):
    theme = themes.add_theme(survey, "Hours", analyst)
    themes.tag_comment(comments[0], theme, analyst)

    assert themes.tag_comment(comments[0], theme, analyst) is False
    assert CommentTheme.objects.count() == 1


@pytest.mark.parametrize("which", [2, 3], ids=["pending", "rejected"])
def test_only_published_comments_can_be_tagged(survey, analyst, comments, which):
    theme = themes.add_theme(survey, "Hours", analyst)

    with pytest.raises(ValidationError, match="published"):
        themes.tag_comment(comments[which], theme, analyst)
    assert not CommentTheme.objects.exists()


def test_a_comment_cannot_be_tagged_with_another_consultations_theme(
    index, survey, analyst, comments
):
    other = new_consultation(index, "other", survey_questions())
    theme = themes.add_theme(other, "Hours", analyst)

    with pytest.raises(ValidationError):
        themes.tag_comment(comments[0], theme, analyst)


def test_removing_a_tag_is_logged(survey, analyst, comments):
    theme = themes.add_theme(survey, "Hours", analyst)
    themes.tag_comment(comments[0], theme, analyst)

    assert themes.untag_comment(comments[0], theme, analyst) is True
    assert not CommentTheme.objects.exists()
    assert ModelLogEntry.objects.filter(action=themes.UNTAG_COMMENT).count() == 1
    assert themes.untag_comment(comments[0], theme, analyst) is False


def test_setting_a_comments_themes_adds_and_removes_only_the_difference(survey, analyst, comments):
    hours, parking, toilets = (
        themes.add_theme(survey, name, analyst) for name in ("Hours", "Parking", "Toilets")
    )
    themes.tag_comment(comments[0], hours, analyst)
    themes.tag_comment(comments[0], parking, analyst)

    added, removed = themes.set_comment_themes(comments[0], [parking, toilets], analyst)

    assert (added, removed) == ([toilets], [hours])
    assert set(CommentTheme.objects.values_list("theme__name", flat=True)) == {"Parking", "Toilets"}


def test_theme_counts_are_of_published_comments_only(survey, analyst, comments):
    approved, redacted, _pending, rejected = comments
    theme = themes.add_theme(survey, "Hours", analyst)
    themes.tag_comment(approved, theme, analyst)
    themes.tag_comment(redacted, theme, analyst)
    redacted.status = ModerationStatus.REJECTED
    redacted.save()

    [counted] = themes.themes_with_counts(survey)

    assert counted.published == 1


def test_analysts_read_published_comments_only(survey, comments):
    approved, redacted, _pending, _rejected = comments

    assert list(themes.published_comments(survey)) == [approved, redacted]


def test_theme_actions_read_as_sentences_in_the_audit_log(survey, analyst, comments):
    theme = themes.add_theme(survey, "Hours", analyst)
    themes.tag_comment(comments[0], theme, analyst)
    themes.rename_theme(theme, "Opening hours", analyst)

    messages = {
        entry.action: log_registry.get_formatter(entry).format_message(entry)
        for entry in ModelLogEntry.objects.all()
    }

    assert messages[themes.ADD_THEME] == "Added the theme ‘Hours’"
    assert messages[themes.TAG_COMMENT] == "Tagged with the theme ‘Hours’"
    assert messages[themes.RENAME_THEME] == "Renamed the theme ‘Hours’ to ‘Opening hours’"


# The admin pages -------------------------------------------------------------------------------


def themes_url(page):
    return reverse("consultation_results:themes", args=[page.pk])


def comments_url(page):
    return reverse("consultation_results:comments", args=[page.pk])


def tag_url(page, comment):
    return reverse("consultation_results:comment_themes", args=[page.pk, comment.pk])


def test_analysts_add_a_theme_in_the_admin(client, survey, analyst):
    client.force_login(analyst)

    response = client.post(themes_url(survey), {"name": "Parking", "description": ""})

    assert response.status_code == 302
    assert Theme.objects.get().name == "Parking"
    assert "Parking" in client.get(themes_url(survey)).content.decode()


def test_a_duplicate_name_is_shown_as_an_error_on_the_form(client, survey, analyst):
    themes.add_theme(survey, "Parking", analyst)
    client.force_login(analyst)

    response = client.post(themes_url(survey), {"name": "parking"})

    assert response.status_code == 200
    assert "already has a theme called" in response.content.decode()
    assert Theme.objects.count() == 1


def test_analysts_rename_and_delete_a_theme_in_the_admin(client, survey, analyst):
    theme = themes.add_theme(survey, "Hours", analyst)
    client.force_login(analyst)

    client.post(
        reverse("consultation_results:edit_theme", args=[survey.pk, theme.pk]),
        {"name": "Opening hours"},
    )
    assert Theme.objects.get().name == "Opening hours"

    client.post(reverse("consultation_results:delete_theme", args=[survey.pk, theme.pk]))
    assert not Theme.objects.exists()


def test_analysts_tag_a_comment_by_ticking_its_themes(client, survey, analyst, comments):
    hours = themes.add_theme(survey, "Hours", analyst)
    client.force_login(analyst)

    response = client.post(
        tag_url(survey, comments[0]), {"themes": [str(hours.pk)], "next": comments_url(survey)}
    )

    assert response.status_code == 302
    assert response.headers["Location"].startswith(comments_url(survey))
    assert CommentTheme.objects.get().tagged_by == analyst


def test_tagging_ignores_a_next_address_on_another_site(client, survey, analyst, comments):
    client.force_login(analyst)

    response = client.post(tag_url(survey, comments[0]), {"next": "https://evil.example/"})

    assert response.headers["Location"].startswith(comments_url(survey))


def test_the_tagging_page_shows_public_text_and_never_pending_rejected_or_original_words(
    client, survey, analyst, comments
):
    themes.add_theme(survey, "Hours", analyst)
    client.force_login(analyst)

    html = client.get(comments_url(survey)).content.decode()

    assert APPROVED_TEXT in html
    assert "[name removed]" in html
    for hidden in [PENDING_TEXT, REJECTED_TEXT, "Jo Bloggs", "07700 900123"]:
        assert hidden not in html


def test_a_pending_comment_cannot_be_tagged_through_the_admin(client, survey, analyst, comments):
    hours = themes.add_theme(survey, "Hours", analyst)
    client.force_login(analyst)

    response = client.post(tag_url(survey, comments[2]), {"themes": [str(hours.pk)]})

    assert response.status_code == 404
    assert not CommentTheme.objects.exists()


def test_a_theme_of_another_consultation_is_not_found_here(client, index, survey, analyst):
    other = new_consultation(index, "other", survey_questions())
    theme = themes.add_theme(other, "Hours", analyst)
    client.force_login(analyst)

    url = reverse("consultation_results:edit_theme", args=[survey.pk, theme.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", [MODERATORS, CONSULTATION_EDITORS])
def test_moderators_and_editors_cannot_see_or_change_themes(client, survey, comments, role):
    analyst = officer(ANALYSTS)
    theme = themes.add_theme(survey, "Hours", analyst)
    client.force_login(officer(role))

    assert client.get(themes_url(survey)).status_code == 403
    assert client.get(comments_url(survey)).status_code == 403
    assert client.post(themes_url(survey), {"name": "Mine"}).status_code == 403
    assert client.post(tag_url(survey, comments[0]), {"themes": [theme.pk]}).status_code == 403
    edit = reverse("consultation_results:edit_theme", args=[survey.pk, theme.pk])
    assert client.post(edit, {"name": "Renamed"}).status_code == 403
    delete = reverse("consultation_results:delete_theme", args=[survey.pk, theme.pk])
    assert client.post(delete).status_code == 403
    assert list(Theme.objects.values_list("name", flat=True)) == ["Hours"]
    assert not CommentTheme.objects.exists()


def test_an_analyst_without_theme_permissions_cannot_change_them(client, survey, analyst):
    from django.contrib.auth.models import Permission

    reader = UserFactory()
    reader.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_results"),
        Permission.objects.get(codename="view_theme"),
    )
    client.force_login(reader)

    assert client.get(themes_url(survey)).status_code == 200
    assert client.post(themes_url(survey), {"name": "Parking"}).status_code == 403
    assert not Theme.objects.exists()


def test_the_themes_page_links_each_count_to_its_comments(client, survey, analyst, comments):
    theme = themes.add_theme(survey, "Hours", analyst)
    themes.tag_comment(comments[0], theme, analyst)
    client.force_login(analyst)

    html = client.get(themes_url(survey)).content.decode()

    assert f"{comments_url(survey)}?theme={theme.pk}" in html
    filtered = client.get(comments_url(survey), {"theme": theme.pk}).content.decode()
    assert APPROVED_TEXT in filtered and "[name removed]" not in filtered
    untagged = client.get(comments_url(survey), {"theme": "none"}).content.decode()
    assert APPROVED_TEXT not in untagged and "[name removed]" in untagged


# Many comments at once ---------------------------------------------------------------------------


def bulk_url(page):
    return reverse("consultation_results:bulk_themes", args=[page.pk])


def test_tagging_many_comments_at_once_logs_one_entry_with_counts_and_no_words(
    survey, analyst, comments
):
    approved, redacted, _pending, _rejected = comments
    theme = themes.add_theme(survey, "Hours", analyst)

    assert themes.tag_comments(theme, [approved.pk, str(redacted.pk)], analyst) == (2, 0)

    assert set(CommentTheme.objects.values_list("comment", "tagged_by")) == {
        (approved.pk, analyst.pk),
        (redacted.pk, analyst.pk),
    }
    entry = ModelLogEntry.objects.get(action=themes.BULK_TAG)
    assert (entry.object_id, entry.user) == (str(theme.pk), analyst)
    assert entry.data == {
        "consultation": survey.pk,
        "theme": theme.pk,
        "name": "Hours",
        "selected": 2,
        "added": 2,
    }


def test_tagging_many_comments_again_adds_nothing_and_logs_nothing(survey, analyst, comments):
    approved, redacted, _pending, _rejected = comments
    theme = themes.add_theme(survey, "Hours", analyst)
    themes.tag_comment(approved, theme, analyst)
    themes.tag_comments(theme, [approved.pk, redacted.pk], analyst)

    assert themes.tag_comments(theme, [approved.pk, redacted.pk], analyst) == (0, 2)

    assert CommentTheme.objects.count() == 2
    assert ModelLogEntry.objects.filter(action=themes.BULK_TAG).count() == 1


def test_removing_a_theme_from_many_comments_keeps_their_other_themes(survey, analyst, comments):
    approved, redacted, _pending, _rejected = comments
    hours, parking = (themes.add_theme(survey, name, analyst) for name in ("Hours", "Parking"))
    themes.tag_comments(hours, [approved.pk, redacted.pk], analyst)
    themes.tag_comments(parking, [approved.pk], analyst)

    assert themes.untag_comments(hours, [approved.pk, redacted.pk], analyst) == 2

    assert list(CommentTheme.objects.values_list("comment", "theme")) == [(approved.pk, parking.pk)]
    assert ModelLogEntry.objects.get(action=themes.BULK_UNTAG).data["removed"] == 2


@pytest.mark.parametrize(
    "intruder",
    ["pending", "rejected", "another consultation's", "nonexistent", "not a number", "none"],
)
def test_a_selection_with_any_comment_that_cannot_be_tagged_changes_nothing(
    index, survey, analyst, comments, intruder
):
    approved, _redacted, pending, rejected = comments
    other = new_consultation(index, "other", survey_questions())
    store(other, comments={"text": "Elsewhere"})
    elsewhere = Comment.objects.get(consultation=other)
    elsewhere.status, elsewhere.public_text = ModerationStatus.APPROVED, "Elsewhere"
    elsewhere.save()
    extra = {
        "pending": [pending.pk],
        "rejected": [rejected.pk],
        "another consultation's": [elsewhere.pk],
        "nonexistent": [Comment.objects.order_by("pk").last().pk + 1],
        "not a number": ["1 OR 1=1"],
        "none": None,
    }[intruder]
    theme = themes.add_theme(survey, "Hours", analyst)

    with pytest.raises(ValidationError):
        if extra is None:
            themes.tag_comments(theme, [], analyst)
        else:
            themes.tag_comments(theme, [approved.pk, *extra], analyst)

    assert not CommentTheme.objects.exists()
    assert not ModelLogEntry.objects.filter(action=themes.BULK_TAG).exists()


def test_removing_from_a_selection_with_a_rejected_comment_changes_nothing(
    survey, analyst, comments
):
    approved, _redacted, _pending, rejected = comments
    theme = themes.add_theme(survey, "Hours", analyst)
    themes.tag_comment(approved, theme, analyst)

    with pytest.raises(ValidationError, match="1 of the selected comments is not"):
        themes.untag_comments(theme, [approved.pk, rejected.pk], analyst)

    assert CommentTheme.objects.count() == 1


def test_words_find_published_text_in_any_capitals_and_never_the_original(survey, comments):
    approved, redacted, _pending, _rejected = comments

    assert list(themes.published_comments(survey, words="SUNDAYS library")) == [approved]
    assert list(themes.published_comments(survey, words="removed")) == [redacted]
    assert list(themes.published_comments(survey, words="Bloggs")) == []
    assert list(themes.published_comments(survey, words="Pending")) == []


def test_comments_with_no_theme_yet_can_come_first(survey, analyst, comments):
    approved, redacted, _pending, _rejected = comments
    themes.tag_comment(approved, themes.add_theme(survey, "Hours", analyst), analyst)

    assert list(themes.published_comments(survey, untagged_first=True)) == [redacted, approved]
    assert list(themes.published_comments(survey)) == [approved, redacted]


def test_tagging_and_untagging_many_comments_give_fresh_results(survey, analyst, comments):
    from consultations.analysis.results import consultation_results

    approved, redacted, _pending, _rejected = comments
    hours, parking = (themes.add_theme(survey, name, analyst) for name in ("Hours", "Parking"))

    def counted():
        [comments_question] = [
            q for q in consultation_results(survey)["questions"] if q.get("comments")
        ]
        return comments_question["themes"]

    assert counted() == []
    themes.tag_comments(hours, [approved.pk, redacted.pk], analyst)
    assert counted() == [{"name": "Hours", "count": 2}]
    themes.untag_comments(hours, [approved.pk, redacted.pk], analyst)
    themes.tag_comments(parking, [approved.pk, redacted.pk], analyst)
    assert counted() == [{"name": "Parking", "count": 2}]
    themes.untag_comments(parking, [redacted.pk], analyst)
    assert counted() == [{"name": "Parking", "count": 1}]


def test_bulk_theme_actions_read_as_sentences_in_the_audit_log(survey, analyst, comments):
    theme = themes.add_theme(survey, "Hours", analyst)
    themes.tag_comments(theme, [comments[0].pk, comments[1].pk], analyst)
    themes.untag_comments(theme, [comments[1].pk], analyst)

    messages = {
        entry.action: log_registry.get_formatter(entry).format_message(entry)
        for entry in ModelLogEntry.objects.all()
    }

    assert messages[themes.BULK_TAG] == "Added the theme ‘Hours’ to 2 comments"
    assert messages[themes.BULK_UNTAG] == "Removed the theme ‘Hours’ from 1 comment"


def test_analysts_add_a_theme_to_the_ticked_comments_in_one_post(client, survey, analyst, comments):
    approved, redacted, _pending, _rejected = comments
    theme = themes.add_theme(survey, "Hours", analyst)
    client.force_login(analyst)
    back = f"{comments_url(survey)}?words=library"

    response = client.post(
        bulk_url(survey),
        {
            "theme": theme.pk,
            "action": "add",
            "comments": [approved.pk, redacted.pk],
            "on_page": [approved.pk, redacted.pk],
            "next": back,
        },
        follow=True,
    )

    assert response.redirect_chain == [(back, 302)]
    assert "Theme ‘Hours’ added to 2 comments." in response.content.decode()
    assert CommentTheme.objects.filter(theme=theme).count() == 2


def test_select_all_on_this_page_tags_every_comment_listed_there(client, survey, analyst, comments):
    approved, redacted, _pending, _rejected = comments
    theme = themes.add_theme(survey, "Hours", analyst)
    client.force_login(analyst)

    client.post(
        bulk_url(survey),
        {
            "theme": theme.pk,
            "action": "add",
            "all_on_page": "on",
            "on_page": [approved.pk, redacted.pk],
        },
    )

    assert set(CommentTheme.objects.values_list("comment", flat=True)) == {
        approved.pk,
        redacted.pk,
    }


def test_analysts_remove_a_theme_from_the_ticked_comments(client, survey, analyst, comments):
    theme = themes.add_theme(survey, "Hours", analyst)
    themes.tag_comments(theme, [comments[0].pk, comments[1].pk], analyst)
    client.force_login(analyst)

    response = client.post(
        bulk_url(survey),
        {"theme": theme.pk, "action": "remove", "comments": [comments[0].pk]},
        follow=True,
    )

    assert "Theme ‘Hours’ removed from 1 comment." in response.content.decode()
    assert list(CommentTheme.objects.values_list("comment", flat=True)) == [comments[1].pk]


def test_a_tampered_selection_is_refused_with_a_clear_message(client, survey, analyst, comments):
    approved, _redacted, pending, _rejected = comments
    theme = themes.add_theme(survey, "Hours", analyst)
    client.force_login(analyst)

    response = client.post(
        bulk_url(survey),
        {"theme": theme.pk, "action": "add", "comments": [approved.pk, pending.pk]},
        follow=True,
    )

    html = response.content.decode()
    assert "Nothing was changed: 1 of the selected comments is not a published comment" in html
    assert PENDING_TEXT not in html
    assert not CommentTheme.objects.exists()


def test_a_theme_of_another_consultation_cannot_be_added_here(
    client, index, survey, analyst, comments
):
    other = new_consultation(index, "other", survey_questions())
    theme = themes.add_theme(other, "Hours", analyst)
    client.force_login(analyst)

    response = client.post(
        bulk_url(survey),
        {"theme": theme.pk, "action": "add", "comments": [comments[0].pk]},
        follow=True,
    )

    assert "Nothing was changed" in response.content.decode()
    assert not CommentTheme.objects.exists()


@pytest.mark.parametrize("role", [MODERATORS, CONSULTATION_EDITORS])
def test_moderators_and_editors_cannot_tag_many_comments(client, survey, comments, role):
    theme = themes.add_theme(survey, "Hours", officer(ANALYSTS))
    client.force_login(officer(role))

    response = client.post(
        bulk_url(survey), {"theme": theme.pk, "action": "add", "comments": [comments[0].pk]}
    )

    assert response.status_code == 403
    assert not CommentTheme.objects.exists()


def test_the_tagging_page_filters_by_words_and_offers_the_bulk_form(
    client, survey, analyst, comments
):
    themes.add_theme(survey, "Hours", analyst)
    client.force_login(analyst)

    html = client.get(comments_url(survey), {"words": "LIBRARY"}).content.decode()

    assert APPROVED_TEXT in html and "[name removed]" not in html
    assert f'action="{bulk_url(survey)}"' in html
    assert f'name="comments" value="{comments[0].pk}"' in html
    assert "Select all 1 comment on this page" in html


def test_the_tagging_page_lists_comments_with_no_theme_yet_first(client, survey, analyst, comments):
    approved, redacted, _pending, _rejected = comments
    themes.tag_comment(approved, themes.add_theme(survey, "Hours", analyst), analyst)
    client.force_login(analyst)

    html = client.get(comments_url(survey)).content.decode()

    assert html.index(f'id="comment-{redacted.pk}"') < html.index(f'id="comment-{approved.pk}"')


def test_the_next_page_keeps_the_filters(client, survey, analyst):
    for n in range(29):
        store(survey, comments={"text": f"Comment {n}"})
    for n, comment in enumerate(Comment.objects.order_by("pk")):
        comment.status = ModerationStatus.APPROVED
        comment.public_text = "Library hours" if n < 26 else "Parking"
        comment.save()
    client.force_login(analyst)

    first = client.get(comments_url(survey), {"words": "library", "order": "oldest"})
    assert "?words=library&amp;order=oldest&amp;p=2" in first.content.decode()
    second = client.get(comments_url(survey), {"words": "library", "order": "oldest", "p": 2})
    html = second.content.decode()
    assert "26 comments." in html and "Page 2 of 2" in html
    assert html.count('<section class="w-mt-8" id="comment-') == 1
