import pytest
from django.contrib.auth import get_user_model

from demo.council import current_sign_in_code

pytestmark = pytest.mark.django_db


def test_wagtail_admin_sends_officers_to_the_one_sign_in_page(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/")


def test_demo_editor_can_open_the_admin_and_edit_the_home_page(client, demo_site):
    editor = get_user_model().objects.get(email="editor@kingsmere.example")
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    assert client.get(f"/admin/pages/{demo_site.pk}/edit/").status_code == 200


def test_demo_editor_signs_in_with_email_password_and_a_code(client, demo_site):
    editor = get_user_model().objects.get(email="editor@kingsmere.example")
    response = client.post(
        "/accounts/login/?next=/admin/",
        {"login": "editor@kingsmere.example", "password": "kingsmere-demo-2026", "next": "/admin/"},
    )
    assert response.headers["Location"] == "/accounts/2fa/authenticate/"
    response = client.post("/accounts/2fa/authenticate/", {"code": current_sign_in_code(editor)})
    assert response.headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_sign_in_with_wrong_password_redisplays_with_error_summary(client, demo_site):
    response = client.post(
        "/accounts/login/", {"login": "editor@kingsmere.example", "password": "wrong"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'class="govuk-error-summary"' in html


def test_admin_pages_load_the_contrast_fixes(client, demo_site):
    client.force_login(get_user_model().objects.get(email="editor@kingsmere.example"))
    assert "portal/css/admin.css" in client.get("/admin/").content.decode()


def test_an_editor_ticks_topics_and_areas_rather_than_ctrl_clicking(client, demo_site):
    from consultations.models import ConsultationPage

    editor = get_user_model().objects.get(email="editor@kingsmere.example")
    client.force_login(editor)
    page = ConsultationPage.objects.get(slug="budget-2027-28")
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert 'type="checkbox" name="topics"' in html
    assert 'type="checkbox" name="areas"' in html
    assert '<select name="topics"' not in html and '<select name="areas"' not in html
