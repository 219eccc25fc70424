"""The open results data: consultations and their published results as JSON and CSV, the
OpenAPI document, and a page explaining it all to people.

Every API view answers GET and HEAD only and says what is wrong rather than failing. Programs get
JSON (open to any site, cacheable for five minutes); a browser asking for HTML gets the same JSON
in a page of the site, so people following a link can read it (`?format=json` gives it raw).
"""

import json
import re
from functools import wraps

from django.core.paginator import InvalidPage, Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import content_disposition_header, urlencode

from consultations.api import open_data
from consultations.api.schema import LICENCE_NAME, LICENCE_URL, OPENAPI, PAGE_SIZE
from consultations.api.tidy import results_csv
from consultations.models import Status
from portal import ratelimits

SAFE_METHODS = ("GET", "HEAD")
CACHE_SECONDS = 300
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}\Z")
JSON = "application/json"
OPENAPI_JSON = "application/vnd.oai.openapi+json"
HTML = "text/html"
CSV = "text/csv; charset=utf-8"
NOT_PUBLISHED = (
    "There are no published results for this consultation. Results are published with the "
    "consultation's outcome ('you said, we did')."
)
ERROR_TITLES = {
    400: "Request not understood",
    404: "Not found",
    405: "Method not allowed",
    429: "Too many requests",
}


def wants_html(request):
    """A browser opening the address (it prefers HTML), unless `?format=` says otherwise."""
    requested = request.GET.get("format")
    if requested in ("json", "csv"):
        return False
    if requested == "html":
        return True
    return request.get_preferred_type([JSON, HTML]) == HTML


def _raw_url(request):
    """This address asking for raw JSON."""
    query = request.GET.copy()
    query["format"] = "json"
    return f"{request.path}?{query.urlencode()}"


def answer(request, data, *, title, status=200, content_type=JSON, description="", links=()):
    """`data` as JSON, or for a browser as a readable page of the site showing the same JSON."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if not wants_html(request):
        return HttpResponse(text, content_type=content_type, status=status)
    links = [*links, ("The same, as raw JSON", _raw_url(request))]
    return render(
        request,
        "consultations/api/browsable.html",
        {
            "title": title,
            "description": description,
            "links": links,
            "json": text,
            "error": data.get("error") if status >= 400 else None,
        },
        status=status,
    )


def error(request, status, message):
    """A JSON error anyone can read; not cached, so a fix or a publication shows at once."""
    response = answer(request, {"error": message}, title=ERROR_TITLES[status], status=status)
    patch_cache_control(response, no_cache=True)
    return response


def open_data_view(view):
    """GET and HEAD only; JSON and CSV are public, open to any site and cacheable; each client
    may ask `RATE_LIMITS["open_data_api"]` times (too many answers 429, saying when to retry)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        retry_after = ratelimits.exceeded(request, "open_data_api")
        if retry_after is not None:
            wait = ratelimits.wait_in_words("open_data_api")
            response = error(request, 429, f"Too many requests. Wait {wait} and try again.")
            response["Retry-After"] = str(retry_after)
        elif request.method not in SAFE_METHODS:
            response = error(request, 405, f"Only {' and '.join(SAFE_METHODS)} are allowed.")
            response["Allow"] = ", ".join(SAFE_METHODS)
        else:
            response = view(request, *args, **kwargs)
        patch_vary_headers(response, ["Accept"])
        if not response["Content-Type"].startswith(HTML):
            response["Access-Control-Allow-Origin"] = "*"
            if response.status_code == 200:
                patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        return response

    return wrapper


def _absolute(request, name, *args, query=None):
    url = request.build_absolute_uri(reverse(f"open_data:{name}", args=args))
    return f"{url}?{urlencode(query)}" if query else url


def _entry(request, consultation, outcome, response_count):
    """One consultation as the list shows it."""
    published = outcome is not None
    return {
        "slug": consultation.slug,
        "title": consultation.title,
        "summary": consultation.summary,
        "status": str(consultation.status),
        "opens_at": consultation.opens_at.isoformat(),
        "closes_at": consultation.closes_at.isoformat(),
        "url": request.build_absolute_uri(consultation.get_url(request)),
        "topics": [{"slug": t.slug, "name": t.name} for t in consultation.topics.all()],
        "areas": [{"slug": a.slug, "name": a.name} for a in consultation.areas.all()],
        "outcome_url": (
            request.build_absolute_uri(outcome.get_url(request)) if published else None
        ),
        "results_url": _absolute(request, "results", consultation.slug) if published else None,
        "results_csv_url": (
            _absolute(request, "results_csv", consultation.slug) if published else None
        ),
        "response_count": response_count if published else None,
    }


def _format_refused(request, allowed):
    requested = request.GET.get("format")
    if requested is None or requested in allowed:
        return None
    return error(request, 400, f"format must be one of: {', '.join(allowed)}.")


@open_data_view
def consultation_list(request):
    refused = _format_refused(request, ("json", "html"))
    if refused:
        return refused
    status = request.GET.get("status", "")
    if status and status not in Status.values:
        return error(request, 400, f"status must be one of: {', '.join(Status.values)}.")
    paginator = Paginator(open_data.listed_consultations(status), PAGE_SIZE)
    number = request.GET.get("page", "1")
    try:
        if not PAGE_NUMBER.match(number):
            raise InvalidPage
        page = paginator.page(number)
    except InvalidPage:
        return error(request, 400, f"page must be a whole number from 1 to {paginator.num_pages}.")
    consultations = list(page.object_list)
    outcomes = open_data.published_outcomes(consultations)
    counts = open_data.response_counts(list(outcomes))

    def link(number):
        query = {"status": status} if status else {}
        return _absolute(request, "consultations", query={**query, "page": number})

    data = {
        "count": paginator.count,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "results": [
            _entry(request, c, outcomes.get(c.pk), counts.get(c.pk, 0)) for c in consultations
        ],
    }
    pages = [("Previous page", data["previous"]), ("Next page", data["next"])]
    return answer(
        request,
        data,
        title="Consultations",
        description=f"Every published consultation, most recently closing first, {PAGE_SIZE} a "
        "page. Consultations whose results are published link to them.",
        links=[(text, url) for text, url in pages if url],
    )


def _results(request, slug, as_csv):
    consultation, outcome = open_data.consultation_with_results(slug)
    if consultation is None:
        return error(request, 404, NOT_PUBLISHED)
    outcome_url = request.build_absolute_uri(outcome.get_url(request))
    results = open_data.public_results(consultation, outcome_url)
    if as_csv:
        response = HttpResponse(results_csv(results).encode("utf-8"), content_type=CSV)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{consultation.slug}-results.csv"
        )
        return response
    return answer(
        request,
        results,
        title=f"Results: {consultation.title}",
        description="Counts and percentages only. Counts of residents by area or by an 'about "
        f"you' answer from 1 to {results['smallest_cell'] - 1} are hidden, with any other count "
        "that would let one be worked out.",
        links=[
            ("What we did: the outcome", outcome_url),
            ("The same results as CSV", reverse("open_data:results_csv", args=[slug])),
        ],
    )


@open_data_view
def results(request, slug):
    refused = _format_refused(request, ("json", "csv", "html"))
    if refused:
        return refused
    return _results(request, slug, as_csv=request.GET.get("format") == "csv")


@open_data_view
def results_csv_file(request, slug):
    return _results(request, slug, as_csv=True)


@open_data_view
def schema(request):
    refused = _format_refused(request, ("json", "html"))
    if refused:
        return refused
    return answer(
        request,
        OPENAPI,
        title="Description of the open data API",
        content_type=OPENAPI_JSON,
        description="The OpenAPI 3.1 document describing every address and every field of the "
        "open results data.",
    )


@open_data_view
def not_found(request):
    return error(
        request, 404, "There is nothing at this address. The API is described at /api/v1/schema/."
    )


def open_data_page(request):
    """For people: what the open data is, its licence and rules, and the results published."""
    from consultations.analysis.results import SMALLEST_CELL

    published = [
        {
            "consultation": consultation,
            "outcome": outcome,
            "json_url": reverse("open_data:results", args=[consultation.slug]),
            "csv_url": reverse("open_data:results_csv", args=[consultation.slug]),
        }
        for consultation, outcome in open_data.consultations_with_results()
    ]
    return render(
        request,
        "consultations/api/open_data.html",
        {
            "published": published,
            "licence_name": LICENCE_NAME,
            "licence_url": LICENCE_URL,
            "smallest_cell": SMALLEST_CELL,
            "page_size": PAGE_SIZE,
        },
    )
