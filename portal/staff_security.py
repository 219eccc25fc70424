"""What every account that can reach the admin must have: two-step sign-in and short sessions.

Officers hold residents' responses and, some of them, personal data: once an officer has set up
two-step sign-in, a stolen password alone does not open the admin, and a session left open on a
shared council PC does not stay usable. (Until they set it up, the password is the only step:
setting up sends the officer an email, so a stranger doing it first does not go unnoticed.)
"""

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from portal import permissions

ENROL_MESSAGE = (
    "Set up two-step sign-in before you use the council's admin: scan the code with an "
    "authenticator app and enter the 6-digit code it shows."
)


def has_admin_access(user):
    """Whether this account can open Wagtail's admin (superusers and every officer group)."""
    return permissions.may_use_admin(user)


class StaffSecurityMiddleware:
    """Officers' sessions expire after STAFF_SESSION_IDLE_MINUTES without a request, and an
    officer without an authenticator is sent to set one up before any admin page opens."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a session cookie nobody is signed in: reading request.user would load the
        # session and mark every anonymous response "Vary: Cookie", defeating public caching.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and has_admin_access(user):
            # A relative expiry is saved with the session on every request, so the database
            # row expires (and the session is refused) once the officer has been idle that long.
            request.session.set_expiry(settings.STAFF_SESSION_IDLE_MINUTES * 60)
            path = request.path_info
            if (
                path.startswith("/admin/")
                and path != reverse("admin_sign_out")
                and not is_mfa_enabled(user)
            ):
                messages.warning(request, ENROL_MESSAGE)
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
