"""What officers and approvers see in Wagtail's preview of a consultation.

Residents meet a consultation as a landing page and then one page per section, so a preview of
the landing page alone hides every question. The preview offers each of those pages, and (the
default, which Wagtail's sign-off workflow shows approvers) all of them at once. The questions are
drawn by the same templates and form code as the resident's journey, with nothing answered; the
forms cannot be sent and nothing is read from or written to a resident's session.

Wagtail serves previews inside its admin, in a frame of the editor; the page's own policy forbids
framing everywhere else, so previews (only) may be framed by the site's own origin.
"""

from csp.constants import SELF
from csp.decorators import csp_replace
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.datastructures import MultiValueDict

from consultations.journey import sections_of
from consultations.journey_views import question_forms, scripts_for

WHOLE = ""
LANDING = "landing"
SECTION = "section-"


def preview_modes(page):
    sections = sections_of(page)
    return [
        (WHOLE, "Every page: the consultation page and all its sections"),
        (LANDING, "The consultation page"),
        *[
            (f"{SECTION}{section.number}", f"Section {section.number}: {section.title}")
            for section in sections
        ],
    ]


def _nothing_answered(section):
    return question_forms(section, MultiValueDict(), {})


@csp_replace({"frame-ancestors": [SELF]})
def _render(request, page, mode):
    sections = sections_of(page)
    if mode == LANDING:
        context = page.get_context(request)
        context["preview_heading"] = "The consultation page, as residents see it."
        return TemplateResponse(request, "consultations/preview/landing.html", context)
    if mode.startswith(SECTION):
        number = mode.removeprefix(SECTION)
        if not number.isdigit() or not 1 <= int(number) <= len(sections):
            raise Http404("No such section")
        section = sections[int(number) - 1]
        return TemplateResponse(
            request,
            "consultations/preview/section.html",
            {
                "page": page,
                "section": section,
                "section_count": len(sections),
                "questions": _nothing_answered(section),
                "error_items": [],
                "back_url": page.url or "#",
                "preview": True,
                "preview_heading": f"Section {section.number} of {len(sections)}, as residents "
                "see it.",
                "scripts": scripts_for([section]),
            },
        )
    context = page.get_context(request)
    context.update(
        preview_heading="The consultation page and every section of questions. Residents see "
        "each section on a page of its own.",
        sections=[
            {"section": section, "questions": _nothing_answered(section)} for section in sections
        ],
        scripts=scripts_for(sections),
    )
    return TemplateResponse(request, "consultations/preview/whole.html", context)


def serve(request, page, mode):
    response = _render(request, page, mode)
    response.render()
    return response
