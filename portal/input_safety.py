"""Hostile input stopped at the door: no NUL character reaches a view, a query or the database.

PostgreSQL refuses NUL (U+0000) in text and in JSON, so one `%00` in a search box, a comment or a
cookie would end in a server error (and a lost response). No resident types one, so it carries no
meaning: in an address it becomes U+FFFD (which no page or slug contains, so the address is not
found, answered as its part of the site answers: a page, or the open data API's JSON), and it is
removed from every query string value, posted value, field name, cookie and uploaded file name
before any view (or the session) runs.
"""

from django.http import QueryDict

NUL = "\x00"
# What a decoder puts in place of what it cannot read: valid text for the database, in no URL.
REPLACEMENT = "\ufffd"


def has_nul(query):
    return any(NUL in key or any(NUL in value for value in values) for key, values in query.lists())


def without_nul(query):
    """The same query with NUL removed from keys and values (a copy, as immutable as Django's)."""
    cleaned = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        cleaned.setlist(
            key.replace(NUL, ""),
            cleaned.getlist(key.replace(NUL, "")) + [value.replace(NUL, "") for value in values],
        )
    cleaned._mutable = False
    return cleaned


class RefuseNulMiddleware:
    """An address with NUL in it is not found, and NUL is stripped from everything else a client
    sends that a view reads. Sits before the session middleware, which reads the cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path or NUL in request.path_info:
            request.path = request.path.replace(NUL, REPLACEMENT)
            request.path_info = request.path_info.replace(NUL, REPLACEMENT)
        if has_nul(request.GET):
            request.GET = without_nul(request.GET)
        request.COOKIES = {
            name: value
            for name, value in request.COOKIES.items()
            if NUL not in name and NUL not in value
        }
        if request.method == "POST" and request.content_type in {
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        }:
            if has_nul(request.POST):
                request.POST = without_nul(request.POST)
            for _field, uploads in request.FILES.lists():
                for upload in uploads:
                    if NUL in (upload.name or ""):
                        upload.name = upload.name.replace(NUL, "")
        return self.get_response(request)
