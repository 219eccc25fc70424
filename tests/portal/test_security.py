import pytest

pytestmark = pytest.mark.django_db


def test_public_pages_send_a_strict_content_security_policy(client, demo_site):
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_public_pages_send_the_usual_security_headers(client, demo_site):
    headers = client.get("/").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["Permissions-Policy"]


@pytest.mark.parametrize("path", ["/", "/consultations/", "/privacy/", "/accounts/login/"])
def test_public_pages_have_no_inline_scripts_or_styles(client, demo_site, path):
    html = client.get(path).content.decode()
    assert "<script>" not in html and "<script " not in html.replace(
        '<script type="module" src=', ""
    )
    assert "style=" not in html and "<style" not in html


def test_health_check_reports_database_reachable(client, db):
    response = client.get("/healthz")
    assert response.json() == {"status": "ok"}
