"""Site-wide behaviour: security headers, clear error pages, htmx page/fragment choice."""

from server import nav
from tests.support.web import htmx_headers


def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_unknown_url_gets_a_friendly_404_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Page not found" in html and "<html" in html


def test_unknown_url_for_htmx_gets_just_the_message(client):
    response = client.get("/no/such/page", headers=htmx_headers())
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Page not found" not in html  # the title lives on the full page only
    assert 'role="alert"' in html and "<html" not in html


def test_state_changing_post_without_csrf_is_refused_clearly(client):
    response = client.post("/auth/sign-out")
    assert response.status_code == 400
    assert "nothing was saved" in response.get_data(as_text=True)


def test_session_cookie_is_httponly_and_lax(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_secure_cookie_when_public_url_is_https(settings):
    from server import create_app

    settings.public_url = "https://chalkmark.example.org"
    app = create_app(settings)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert settings.rp_id == "chalkmark.example.org"


def test_the_error_page_still_renders_after_a_failed_database_write(app, client, session):
    """A write that breaks a constraint leaves the request's session refusing every query;
    the error page (whose header counts unread notices) used to fail on it as well."""
    from server.db import get_session
    from server.models import User
    from tests.support.factories import make_user
    from tests.support.web import sign_in_as

    teacher = make_user(session, "teacher")

    def clashing_write():
        request_session = get_session()
        request_session.add(User(handle=teacher.handle, display_name="Twin"))
        request_session.flush()  # the handle is unique: IntegrityError

    app.add_url_rule("/test-clash", "test_clash", clashing_write)
    sign_in_as(client, teacher)
    response = client.get("/test-clash")
    assert response.status_code == 500
    assert "Nothing you saved was lost" in response.get_data(as_text=True)


def test_every_nav_entry_points_at_a_registered_page(app):
    # The header builds each entry with url_for on every page: no entry without its page.
    for entry in nav.ENTRIES:
        assert entry.endpoint in app.view_functions, entry.label
