import pytest

pytestmark = pytest.mark.django_db


def test_home_page_names_the_council_in_header_and_title(client, demo_site):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Have your say – Kingsmere Borough Council</title>" in html
    assert "Kingsmere Borough Council" in html


def test_home_page_has_skip_link_and_landmarks(client, demo_site):
    html = client.get("/").content.decode()
    assert '<a href="#main-content" class="govuk-skip-link"' in html
    assert '<main class="govuk-main-wrapper" id="main-content">' in html
    assert "<header" in html and "<footer" in html and "<nav" in html


def test_home_page_links_to_consultations_without_javascript(client, demo_site):
    html = client.get("/").content.decode()
    assert 'href="/consultations/"' in html
    assert "Find a consultation" in html


def test_footer_links_privacy_notice_and_accessibility_statement(client, demo_site):
    html = client.get("/").content.decode()
    assert 'href="/privacy/"' in html
    assert 'href="/accessibility/"' in html
    assert client.get("/privacy/").status_code == 200
    assert client.get("/accessibility/").status_code == 200


def test_missing_page_shows_the_council_not_found_page(client, demo_site):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
