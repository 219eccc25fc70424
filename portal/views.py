import logging
from urllib.parse import urlencode

from allauth.account.internal.flows.logout import logout
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


@never_cache
def health(request):
    """For the load balancer: this app server is up and can reach the database. Without the
    database it answers 503 (take this server out of rotation), never a server error."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("Health check: the database cannot be reached")
        return JsonResponse(
            {"status": "unavailable", "database": "unreachable"},
            status=503,
            headers={"Retry-After": "60"},
        )
    return JsonResponse({"status": "ok"})


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


@never_cache
def admin_sign_in(request):
    """Wagtail's own sign-in page skips allauth's limits, lockout and two-step sign-in: every
    officer signs in through allauth instead, and comes back to where they were going."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = ""
    query = f"?{urlencode({'next': target or '/admin/'})}"
    return redirect(reverse("account_login") + query)


@never_cache
def admin_sign_out(request):
    """Signing out of the admin ends the session, whether the officer followed a link (GET) or
    pressed Wagtail's "Log out" button (POST)."""
    logout(request)
    return redirect(reverse("account_login"))
