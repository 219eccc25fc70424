"""Wagtail admin hooks for the moderation stage (imported by consultations/wagtail_hooks.py):
the queue's URLs, its menu item with the count waiting, audit log actions, and links from the
audit log to each comment's page."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.admin_url_finder import register_admin_url_finder
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.log_actions import LogFormatter

from consultations.models import Comment
from consultations.moderation import log_actions, selectors, services, views  # noqa: F401 (log actions)
from portal import permissions


@hooks.register("register_admin_urls")
def register_moderation_admin_urls():
    return [path("moderation/", include((views.urlpatterns, "moderation"), namespace="moderation"))]


class ModerationMenuItem(MenuItem):
    """'Moderation (12)': shown only to moderators, with how many comments are waiting."""

    def is_shown(self, request):
        return permissions.may_moderate_comments(request.user)

    def render_component(self, request):
        label = f"{self.label} ({selectors.waiting_count()})"
        return LinkMenuItem(self.name, label, self.url, icon_name=self.icon_name, attrs=self.attrs)


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item():
    return ModerationMenuItem(
        views.TITLE, reverse("moderation:queue"), name="moderation", icon_name=views.ICON, order=240
    )


class CommentAdminURLFinder:
    """Links a comment's entries in the audit log ("Site history") to its page, for moderators."""

    def __init__(self, user=None):
        self.user = user

    def get_edit_url(self, instance):
        if self.user is not None and permissions.may_moderate_comments(self.user):
            return reverse("moderation:comment", args=[instance.pk])
        return None


register_admin_url_finder(Comment, CommentAdminURLFinder)


@hooks.register("register_log_actions")
def register_refused_redaction_log_action(actions):
    @actions.register_action(services.REDACT_REFUSED)
    class RedactRefused(LogFormatter):
        """A moderator without personal data access tried to redact a comment whose original is
        hidden from them and was refused: why, never what they typed."""

        label = "Redaction refused"

        def format_message(self, log_entry):
            why = services.REFUSALS.get((log_entry.data or {}).get("refused"), "it was not valid")
            return (
                "A redaction by a moderator without personal data access was refused, as the "
                f"original is hidden from them: {why}"
            )
