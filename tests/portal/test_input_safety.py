"""NUL characters never reach a view, a query or the database (PostgreSQL refuses them in text).

The middleware is tested on its own (no database), then through the whole site: what a resident
types or a client sends arrives without NUL, and an address with one in it is not found.
"""

import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory

from consultations.models import ConsultationPage, ResponseDraft
from portal.input_safety import RefuseNulMiddleware
from tests.builders import UserFactory

RECORDED = {}


def record(request):
    """A view that remembers what it was given."""
    RECORDED.update(
        path=request.path_info,
        get=request.GET,
        post=request.POST,
        cookies=request.COOKIES,
        files=request.FILES,
    )
    return HttpResponse("served")


safely = RefuseNulMiddleware(record)
factory = RequestFactory()


def test_a_nul_character_in_an_address_is_replaced_so_no_page_matches_it():
    safely(factory.get("/consultations/budget\x00/"))
    assert RECORDED["path"] == "/consultations/budget\ufffd/"


def test_nul_characters_are_removed_from_query_string_values_and_names():
    safely(factory.get("/consultations/?q=lib%00raries&to%00pic=parks&q=%00"))
    assert RECORDED["get"].getlist("q") == ["libraries", ""]
    assert RECORDED["get"]["topic"] == "parks"


def test_the_cleaned_query_string_cannot_be_changed_by_a_view_any_more_than_djangos():
    safely(factory.get("/consultations/?q=%00"))
    with pytest.raises(AttributeError):
        RECORDED["get"]["q"] = "changed"


def test_nul_characters_are_removed_from_posted_form_values():
    safely(factory.post("/respond/", {"q-comments": "Keep\x00 the library", "action": "save"}))
    assert RECORDED["post"]["q-comments"] == "Keep the library"
    assert RECORDED["post"]["action"] == "save"


def test_nul_characters_are_removed_from_posted_urlencoded_bodies():
    request = factory.post(
        "/respond/",
        "q-comments=Keep%00+it&q-comments=%00",
        content_type="application/x-www-form-urlencoded",
    )
    safely(request)
    assert RECORDED["post"].getlist("q-comments") == ["Keep it", ""]


def test_a_cookie_holding_a_nul_character_is_ignored():
    request = factory.get("/")
    request.COOKIES = {settings.SESSION_COOKIE_NAME: "abcdefgh\x00ijkl", "other": "kept"}
    safely(request)
    assert RECORDED["cookies"] == {"other": "kept"}


def test_nul_characters_are_removed_from_uploaded_file_names():
    upload = SimpleUploadedFile("responses\x00.csv", b"reference\n", content_type="text/csv")
    safely(factory.post("/admin/responses/import/", {"file": upload}))
    assert RECORDED["files"]["file"].name == "responses.csv"


def test_a_json_body_is_passed_on_unread():
    body = json.dumps({"text": "keep\x00"})
    request = factory.post("/api/", body, content_type="application/json")
    safely(request)
    assert json.loads(request.body) == {"text": "keep\x00"}


def test_the_nul_guard_runs_before_the_session_reads_its_cookie():
    order = settings.MIDDLEWARE
    assert order.index("portal.input_safety.RefuseNulMiddleware") < order.index(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )


# Through the whole site, on the demo council.


@pytest.mark.django_db
def test_a_search_with_a_nul_character_finds_what_the_words_find(client, demo_site):
    response = client.get("/consultations/?q=Bud%00get")
    assert response.status_code == 200
    assert response.context["filters"]["q"] == "Budget"
    titles = [page.title for page in response.context["consultations"]]
    assert "Budget 2027/28: your priorities" in titles


@pytest.mark.django_db
def test_an_api_address_with_a_nul_character_is_not_found(client, demo_site):
    assert client.get("/api/v1/consultations/%00/results/").status_code == 404


@pytest.mark.django_db
def test_a_session_cookie_holding_a_nul_character_starts_a_new_session(client, demo_site):
    client.cookies[settings.SESSION_COOKIE_NAME] = "abcdefgh\x00ijklmnop"
    response = client.get("/consultations/budget-2027-28/respond/")
    assert response.status_code == 302
    assert "\x00" not in response.cookies[settings.SESSION_COOKIE_NAME].value


def budget_consultation():
    return ConsultationPage.objects.get(slug="budget-2027-28")


def comments_field(page):
    from consultations.journey import sections_of
    from consultations.question_types.base import field_name

    views = sections_of(page)[2]
    comments = next(q for q in views.questions if q.type == "free_text")
    agreement = next(q for q in views.questions if q.type == "agreement_scale")
    return field_name(comments.id), field_name(agreement.id)


@pytest.mark.django_db
def test_a_draft_with_a_nul_character_is_saved_without_it(client, demo_site):
    resident = UserFactory()
    client.force_login(resident)
    page = budget_consultation()
    comments, agreement = comments_field(page)
    client.get(page.url + "respond/")
    saved = client.post(
        page.url + "respond/section/3/",
        {comments: "Keep\x00 the mobile library", agreement: "agree", "action": "save"},
    )
    assert saved.status_code == 200
    draft = ResponseDraft.objects.get(consultation=page, user=resident)
    assert draft.answers[comments] == ["Keep the mobile library"]


@pytest.mark.django_db
def test_a_comment_in_progress_with_a_nul_character_is_kept_without_it(client, demo_site):
    page = budget_consultation()
    comments, agreement = comments_field(page)
    client.get(page.url + "respond/")
    client.post(
        page.url + "respond/section/3/",
        {comments: "Keep\x00 the mobile library", agreement: "agree"},
    )
    check = client.get(page.url + "respond/section/3/")
    assert check.context["questions"][-1]["context"]["current"] == "Keep the mobile library"
