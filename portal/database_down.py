"""When the database cannot be reached, say so plainly: 503, not a server error.

A resident who sends a page while the database is down must learn that nothing was saved and
that trying again later is the fix; the load balancer and the open data API's users get JSON.
The database can fail in a view, while a page renders, or in a middleware that loads the session
(a resident part-way through a response has one), so this sits first in `MIDDLEWARE`: views'
errors reach `process_exception`, and the others are marked by `got_request_exception` and
answered on the way out. The page needs no database: no Wagtail settings, no session, no user.
"""

import logging
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

UNREACHABLE = (OperationalError, InterfaceError)
# Responses for machines: the health check and the open data API.
JSON_PATHS = ("/healthz", "/api/")
RETRY_AFTER_SECONDS = "60"
MARK = "_portal_database_unreachable"


def unavailable_response(request):
    """The 503 answer for `request`: JSON for machines, the GOV.UK page for people."""
    if request.path_info.startswith(JSON_PATHS):
        response = JsonResponse(
            {"status": "unavailable", "reason": "The database cannot be reached."}, status=503
        )
    else:
        page = render_to_string("503.html", {"site_name": settings.WAGTAIL_SITE_NAME})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = RETRY_AFTER_SECONDS
    response["Cache-Control"] = "no-store"
    return response


@receiver(got_request_exception, dispatch_uid="portal-database-unreachable")
def mark_unreachable(sender, request=None, **kwargs):
    if request is not None and isinstance(sys.exc_info()[1], UNREACHABLE):
        setattr(request, MARK, True)


class DatabaseDownMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, MARK, False):
            unavailable = unavailable_response(request)
            # Keep the security headers the inner middleware gave the error page (CSP and all).
            for header, value in response.headers.items():
                if header.lower() not in {"content-type", "content-length", "cache-control"}:
                    unavailable.headers.setdefault(header, value)
            return unavailable
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, UNREACHABLE):
            return None
        logger.error("Database unreachable at %s", request.path, exc_info=exception)
        return unavailable_response(request)
