"""`next=` never sends anyone off the site: browsers drop tabs and newlines and read a
backslash as a slash, so `/\\t/evil.example` is `//evil.example` to them. Checked in
safe_next and at each place it is used: demo sign-in, passkey sign-in, the sign-up
"continue" link."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session

from server.auth.session import safe_next
from tests.support.ceremonies import client_sign_in, client_sign_up
from tests.support.factories import make_user
from tests.support.fake_authenticator import FakeAuthenticator
from tests.support.web import csrf_token, post_form

# The fixture `demo_app`: the app in demo mode.
pytest_plugins = ["tests.support.demo_mode"]

HOME = "/"
HOSTILE = [
    "/\t/evil.example/x",
    "/\n/x",
    "/\r\n/evil.example",
    "\\evil.example",
    "\\\\evil.example",
    "/\\evil.example",
    "/%09/evil.example",
    "/%2F/evil.example",
    "/%5Cevil.example",
    "https:evil.example",
    "https://evil.example/",
    "//evil.example",
    "///evil.example",
    "javascript:alert(1)",
    " //evil.example",
    "\t//evil.example",
    "/\u3000/evil.example",
    "/\u200b/evil.example",
    "/\u2028/evil.example",
    "/\x00/evil.example",
    "evil.example",
    "",
    None,
    42,
    "/" + "a" * 3000,
]
FRIENDLY = [
    "/stacks",
    "/stacks?q=fractions&page=2",
    "/submissions/3#part-2",
    "/auth/account",
    "/credentials/working-memory",
]


@pytest.fixture
def request_context(app):
    with app.test_request_context():
        yield


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_next_values_go_home(request_context, value):
    assert safe_next(value) == HOME


@pytest.mark.parametrize("value", FRIENDLY)
def test_paths_on_this_site_are_kept(request_context, value):
    assert safe_next(value) == value


@pytest.mark.parametrize(
    "value",
    ["/\t/evil.example/x", "/\n/x", "/\\evil.example", "https:evil.example", "//evil.example"],
)
def test_demo_sign_in_never_redirects_away_or_fails(demo_app, value):
    with Session(demo_app.extensions["db_engine"]) as session:
        make_user(session, handle="maya")
    client = demo_app.test_client()
    response = post_form(client, "/auth/demo/teacher", {"next": value})
    assert response.status_code == 303 and response.headers["Location"] == HOME


def test_passkey_sign_in_json_redirect_stays_on_the_site(client):
    authenticator = FakeAuthenticator()
    client_sign_up(client, authenticator)
    client.post("/auth/sign-out", data={"csrf_token": csrf_token(client)})
    response = client_sign_in(client, authenticator, next="/\t/evil.example/x")
    assert response.get_json() == {"redirect": HOME}


def test_sign_up_continue_link_stays_on_the_site(client):
    client_sign_up(client, FakeAuthenticator(), next="/\t/evil.example/x")
    page = client.get("/auth/recovery-codes").get_data(as_text=True)
    link = re.search(r'<a class="button" href="([^"]*)">I saved these', page).group(1)
    assert link == HOME
