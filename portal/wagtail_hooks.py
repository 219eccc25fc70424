"""Site-wide Wagtail admin hooks: the officers' admin meets the same contrast rules as the site."""

from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_global_admin_css")
def accessible_admin_colours():
    return format_html('<link rel="stylesheet" href="{}">', static("portal/css/admin.css"))


@hooks.register("register_account_menu_item")
def two_step_sign_in_settings(request):
    """Officers change their password and authenticator on allauth's pages (Wagtail's own
    password change is off: one place to manage how an officer signs in)."""
    return {
        "url": reverse("mfa_index"),
        "label": "Two-step sign-in",
        "help_text": "Your authenticator app and recovery codes.",
    }


@hooks.register("register_account_menu_item")
def change_password(request):
    return {
        "url": reverse("account_change_password"),
        "label": "Change password",
        "help_text": "At least 12 characters.",
    }
