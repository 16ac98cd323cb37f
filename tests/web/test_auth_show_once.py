"""Values shown once (recovery codes, a device link) stay on the server: the cookie never
carries them, and a copy of the cookie taken before they were shown can't show them again."""

from __future__ import annotations

import re

from server.auth.session import SESSION_ID
from tests.support.ceremonies import client_sign_up
from tests.support.fake_authenticator import FakeAuthenticator
from tests.support.web import post_form

COOKIE = "chalkmark_session"
CODE = re.compile(r"<code>([a-z0-9-]+)</code>")
LINK = re.compile(r'value="(http://localhost/auth/link/[^"]+)"')


def cookie_contents(app, client) -> dict:
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.loads(client.get_cookie(COOKIE).value)


def replay(app, cookie: str):
    thief = app.test_client()
    thief.set_cookie(COOKIE, cookie)
    return thief


def test_sign_up_codes_are_not_in_the_cookie_and_a_copy_cannot_show_them(app):
    client = app.test_client()
    client_sign_up(client, FakeAuthenticator())
    copied = client.get_cookie(COOKIE).value
    assert set(cookie_contents(app, client)) <= {SESSION_ID, "csrf_token", "_permanent"}
    codes = CODE.findall(client.get("/auth/recovery-codes").get_data(as_text=True))
    assert len(codes) == 10
    assert not any(code in copied for code in codes)
    again = replay(app, copied).get("/auth/recovery-codes").get_data(as_text=True)
    assert not CODE.findall(again) and "shown once already" in again


def test_a_copied_cookie_cannot_show_the_codes_first_either(app):
    """Whoever looks first gets the codes; the other look finds nothing."""
    client = app.test_client()
    client_sign_up(client, FakeAuthenticator())
    copied = client.get_cookie(COOKIE).value
    first = replay(app, copied).get("/auth/recovery-codes").get_data(as_text=True)
    second = client.get("/auth/recovery-codes").get_data(as_text=True)
    assert len(CODE.findall(first)) == 10 and not CODE.findall(second)


def test_new_recovery_codes_are_shown_once_to_this_session(app):
    client = app.test_client()
    client_sign_up(client, FakeAuthenticator())
    client.get("/auth/recovery-codes")
    assert post_form(client, "/auth/account/recovery-codes").status_code == 303
    copied = client.get_cookie(COOKIE).value
    page = client.get("/auth/recovery-codes").get_data(as_text=True)
    assert len(CODE.findall(page)) == 10 and "earlier codes no longer work" in page
    assert not CODE.findall(replay(app, copied).get("/auth/recovery-codes").get_data(as_text=True))
    assert not CODE.findall(client.get("/auth/recovery-codes").get_data(as_text=True))


def test_a_device_link_is_not_in_the_cookie_and_shown_once(app):
    client = app.test_client()
    client_sign_up(client, FakeAuthenticator())
    assert post_form(client, "/auth/account/device-link").status_code == 303
    copied = client.get_cookie(COOKIE).value
    assert set(cookie_contents(app, client)) <= {SESSION_ID, "csrf_token", "_permanent"}
    url = LINK.search(client.get("/auth/account/device-link").get_data(as_text=True)).group(1)
    token = url.rsplit("/", 1)[1]
    assert token not in copied
    for browser in (client, replay(app, copied)):
        again = browser.get("/auth/account/device-link", follow_redirects=True)
        html = again.get_data(as_text=True)
        assert token not in html and "shown only once" in html
