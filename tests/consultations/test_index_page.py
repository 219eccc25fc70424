import pytest

pytestmark = pytest.mark.django_db


def test_consultation_index_is_served_at_consultations(client, demo_site):
    response = client.get("/consultations/")
    assert response.status_code == 200
    assert "<title>Consultations – Kingsmere Borough Council</title>" in response.content.decode()


def test_consultations_navigation_marks_the_current_page(client, demo_site):
    html = client.get("/consultations/").content.decode()
    assert 'href="/consultations/" aria-current="page"' in html
