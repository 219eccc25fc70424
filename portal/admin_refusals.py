"""Refusals in the officers' admin: a real 403 page inside Wagtail that says why and whom to ask.

Wagtail itself would redirect an officer without permission to the dashboard with a brief
message; every officer view that checks its own permissions refuses through here instead.
"""

from django.template.response import TemplateResponse


def refused(request, message, title, icon="warning"):
    return TemplateResponse(
        request,
        "portal/admin/forbidden.html",
        {"page_title": title, "header_title": title, "header_icon": icon, "message": message},
        status=403,
    )
