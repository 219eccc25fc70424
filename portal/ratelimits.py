"""How often anyone may do what costs the council something: send a response, save a draft,
recalculate a budget without JavaScript, have an email sent, read the open data API.

Counts live in the shared cache (Redis in production; django-ratelimit's counters) and are kept
per client, as allauth sees the client behind the trusted proxy (`ALLAUTH_TRUSTED_PROXY_COUNT` /
`ALLAUTH_TRUSTED_CLIENT_IP_HEADER`), so one resident's limit is not everyone's. Emails are also
counted per destination address. The limits are `settings.RATE_LIMITS`, one rate per action.
"""

import hashlib

from allauth.account.adapter import get_adapter
from allauth.core.internal.ratelimit import truncate_ip
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.shortcuts import render
from django_ratelimit.core import get_usage

UNIT_SECONDS = {"s": 1, "m": 60, "h": 60 * 60, "d": 24 * 60 * 60}
UNITS = [
    (24 * 60 * 60, ("a day", "days")),
    (60 * 60, ("an hour", "hours")),
    (60, ("a minute", "minutes")),
    (1, ("a second", "seconds")),
]


def client_ip(group, request):
    """The client's address as allauth resolves it, so sign-in limits and ours agree.

    A request whose forwarding header cannot be read (fewer hops than the trusted proxies) counts
    against the address that sent it rather than failing. IPv6 addresses count by network.
    """
    try:
        ip = get_adapter(request).get_client_ip(request)
    except (ImproperlyConfigured, PermissionDenied):
        ip = request.META.get("REMOTE_ADDR") or "unknown"
    # One IPv6 client holds a whole /64 (allauth's own prefix): count the network, not each
    # address in it, or rotating addresses would give a fresh limit every time.
    return truncate_ip(ip)


def _address_key(address):
    """Count an email address without keeping it: only its digest reaches the cache key."""
    digest = hashlib.sha256(address.strip().lower().encode()).hexdigest()
    return lambda group, request: digest


def _usage(request, action, key):
    rate = settings.RATE_LIMITS[action]
    return get_usage(request, group=f"portal:{action}", key=key, rate=rate, increment=True)


def exceeded(request, action, *, address=None):
    """Count one more `action` by this client (or, given `address`, to that address).

    Returns None while within the limit, otherwise the seconds until it resets.
    """
    usage = _usage(request, action, client_ip if address is None else _address_key(address))
    if usage is None or not usage["should_limit"]:
        return None
    return max(usage["time_left"], 1)


def wait_in_words(action):
    """ "an hour" for "3/h", "10 minutes" for "5/10m": how long a resident may have to wait."""
    _count, _slash, period = settings.RATE_LIMITS[action].partition("/")
    seconds = int(period[:-1] or 1) * UNIT_SECONDS[period[-1]]
    for unit, (one, many) in UNITS:
        if seconds % unit == 0:
            return one if seconds == unit else f"{seconds // unit} {many}"
    return f"{seconds} seconds"


def limit_in_words(action):
    """ "3 in an hour" for "3/h": the limit as a form's hint tells residents."""
    count, _slash, _period = settings.RATE_LIMITS[action].partition("/")
    return f"{count} in {wait_in_words(action)}"


def too_many_attempts(request, action, retry_after, *, back_url="", back_text=""):
    """The friendly page (HTTP 429) saying nothing was saved or sent, and when to try again."""
    response = render(
        request,
        "429.html",
        {"wait": wait_in_words(action), "back_url": back_url, "back_text": back_text},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


def refuse_if_exceeded(request, action, **page):
    """The 429 page if this client has done `action` too often; None to carry on."""
    retry_after = exceeded(request, action)
    if retry_after is None:
        return None
    return too_many_attempts(request, action, retry_after, **page)
