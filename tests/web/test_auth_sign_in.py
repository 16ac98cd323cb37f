"""Signing up and in through the real endpoints: pages, JSON ceremonies, clear errors
(never a 500), CSRF on every POST, the sign-in rate limit, demo mode."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from server import create_app
from server.auth import recovery
from server.models import User, WebAuthnChallenge, utcnow
from tests.support.ceremonies import (
    client_sign_in,
    client_sign_up,
    json_headers,
    post_json,
)
from tests.support.factories import make_user
from tests.support.fake_authenticator import FakeAuthenticator
from tests.support.web import (
    csrf_token,
    json_error,
    post_form,
    signed_in_user_id,
)

# The fixture `demo_app`: the app in demo mode.
pytest_plugins = ["tests.support.demo_mode"]

EXPIRED = "This sign-in request expired. Please try again."


def test_sign_in_page_offers_passkey_recovery_and_sign_up(client):
    html = client.get("/auth/sign-in?next=/stacks").get_data(as_text=True)
    assert "Sign in with a passkey" in html
    assert 'data-next="/stacks"' in html
    assert "Use a recovery code" in html and "/auth/sign-up" in html
    assert "js/auth/passkeys.js" in html
    assert "Try Chalkmark as" not in html  # demo mode is off


def test_sign_up_page_renders_the_form(client):
    html = client.get("/auth/sign-up").get_data(as_text=True)
    assert 'name="display_name"' in html and 'name="email"' in html
    assert "Create account with a passkey" in html


def test_options_endpoints_return_json_for_localhost(client):
    login = post_json(client, "/auth/login/options", {})
    assert login.status_code == 200
    assert login.get_json()["publicKey"]["rpId"] == "localhost"
    assert login.get_json()["publicKey"]["allowCredentials"] == []
    register = post_json(client, "/auth/register/options", {"display_name": "Ada"}, "/auth/sign-up")
    public_key = register.get_json()["publicKey"]
    assert public_key["rp"]["id"] == "localhost"
    assert public_key["authenticatorSelection"]["residentKey"] == "required"
    assert register.get_json()["challengeId"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"display_name": ""}, "display_name"),
        ({"display_name": "x" * 81}, "display_name"),
        ({"display_name": "Ada", "email": "nope"}, "email"),
    ],
)
def test_register_options_explain_bad_input(client, body, field):
    response = post_json(client, "/auth/register/options", body, "/auth/sign-up")
    assert response.status_code == 422
    assert json_error(response)["field"] == field and json_error(response)["message"]


def test_register_options_refuse_a_taken_email(client, session):
    make_user(session, email="ada@school.org")
    response = post_json(
        client,
        "/auth/register/options",
        {"display_name": "Ada", "email": "ADA@school.org"},
        "/auth/sign-up",
    )
    assert response.status_code == 422
    assert "already belongs" in json_error(response)["message"]


def test_sign_up_signs_in_and_shows_recovery_codes_once(client, session):
    response = client_sign_up(client, FakeAuthenticator(), name="Ada Lovelace", next="/stacks")
    assert response.status_code == 200
    assert response.get_json() == {"redirect": "/auth/recovery-codes"}
    user = session.exec(select(User)).one()
    assert signed_in_user_id(client) == user.id
    page = client.get("/auth/recovery-codes").get_data(as_text=True)
    codes = re.findall(r"<code>([a-z0-9-]+)</code>", page)
    assert len(codes) == 10 and 'href="/stacks"' in page and "I saved these" in page
    assert recovery.redeem(session=session, code=codes[0]).id == user.id
    again = client.get("/auth/recovery-codes").get_data(as_text=True)
    assert "<code>" not in again and "shown once already" in again
    assert "Ada Lovelace" in client.get("/").get_data(as_text=True)


def test_sign_in_with_passkey_returns_the_safe_next_page(client, app):
    authenticator = FakeAuthenticator()
    client_sign_up(client, authenticator)
    client.post("/auth/sign-out", data={"csrf_token": csrf_token(client)})
    assert signed_in_user_id(client) is None
    response = client_sign_in(client, authenticator, next="/stacks")
    assert response.get_json() == {"redirect": "/stacks"}
    assert signed_in_user_id(client)
    evil = client_sign_in(client, authenticator, next="//evil.example/")
    assert evil.get_json() == {"redirect": "/"}


def test_verify_with_garbage_challenge_is_a_clear_4xx(client):
    for url in ("/auth/login/verify", "/auth/register/verify"):
        response = post_json(client, url, {"challengeId": "nope", "credential": {}})
        assert response.status_code == 410
        assert json_error(response) == {"message": EXPIRED, "field": None}
        # Values of the wrong type are refused at the edge, naming the key.
        for body, field in (
            ({"challengeId": "nope", "credential": "x"}, "credential"),
            ({"challengeId": [1]}, "challengeId"),
        ):
            response = post_json(client, url, body)
            assert response.status_code == 422 and json_error(response)["field"] == field


def test_verify_with_a_non_json_body_is_a_clear_4xx(client):
    response = client.post(
        "/auth/login/verify",
        data="[not json",
        headers={**json_headers(client), "Content-Type": "application/json"},
    )
    assert response.status_code == 400 and "isn't valid JSON" in json_error(response)["message"]


def test_garbage_credential_never_echoes_library_errors(client):
    options = post_json(
        client, "/auth/register/options", {"display_name": "Ada"}, "/auth/sign-up"
    ).get_json()
    response = post_json(
        client,
        "/auth/register/verify",
        {
            "challengeId": options["challengeId"],
            "credential": {
                "id": "abc",
                "rawId": "abc",
                "type": "public-key",
                "response": {"clientDataJSON": "!!", "attestationObject": "??"},
            },
        },
    )
    assert response.status_code == 400
    message = json_error(response)["message"]
    assert "couldn't verify your passkey" in message
    assert "clientDataJSON" not in message and "base64" not in message.lower()


def test_replayed_sign_in_is_refused(client):
    authenticator = FakeAuthenticator()
    client_sign_up(client, authenticator)
    options = post_json(client, "/auth/login/options", {}).get_json()
    body = {
        "challengeId": options["challengeId"],
        "credential": authenticator.get(options["publicKey"]),
    }
    assert post_json(client, "/auth/login/verify", body).status_code == 200
    replay = post_json(client, "/auth/login/verify", body)
    assert replay.status_code == 410 and json_error(replay)["message"] == EXPIRED


def test_expired_challenge_is_refused(client, session):
    authenticator = FakeAuthenticator()
    client_sign_up(client, authenticator)
    options = post_json(client, "/auth/login/options", {}).get_json()
    row = session.get(WebAuthnChallenge, options["challengeId"])
    row.expires_at = utcnow() - timedelta(seconds=5)
    session.add(row)
    session.commit()
    response = post_json(
        client,
        "/auth/login/verify",
        {
            "challengeId": options["challengeId"],
            "credential": authenticator.get(options["publicKey"]),
        },
    )
    assert response.status_code == 410 and json_error(response)["message"] == EXPIRED


def test_unknown_passkey_gets_a_clear_message(client):
    client_sign_up(client, FakeAuthenticator())
    response = client_sign_in(client, FakeAuthenticator())
    assert response.status_code == 400
    assert "don't recognise this passkey" in json_error(response)["message"]


def test_recovery_code_signs_in_and_prompts_for_a_passkey(client, session):
    user = make_user(session, name="Ada")
    codes = recovery.replace_codes(session=session, user=user)
    response = post_form(client, "/auth/recovery", {"code": codes[3]})
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/auth/account")
    assert signed_in_user_id(client) == user.id
    page = client.get("/auth/account").get_data(as_text=True)
    assert "recovery code (9 left)" in page and "Add a passkey" in page
    client.post("/auth/sign-out", data={"csrf_token": csrf_token(client)})
    reused = post_form(client, "/auth/recovery", {"code": codes[3]})
    assert reused.status_code == 422 and "works only once" in reused.get_data(as_text=True)
    assert signed_in_user_id(client) is None


def test_every_auth_post_needs_a_csrf_token(app, client):
    posts = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("auth.") and "POST" in rule.methods
    ]
    assert len(posts) >= 15
    for rule in posts:
        url = rule.build({"passkey_id": 1, "token": "t" * 43, "role": "teacher", "key": "a" * 64})[
            1
        ]
        response = client.post(url, data={"code": "x"})
        assert response.status_code == 400, url


def test_sign_in_posts_are_rate_limited(settings):
    settings.signin_rate_limit = "2 per minute"
    client = create_app(settings).test_client()
    statuses = [post_json(client, "/auth/login/options", {}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    limited = post_json(client, "/auth/login/options", {})
    assert "Too many tries" in json_error(limited)["message"]
    form = [post_form(client, "/auth/recovery", {"code": "nope"}).status_code for _ in range(3)]
    assert form == [422, 422, 429]


# --- demo mode ----------------------------------------------------------------------


def test_demo_routes_are_404_when_demo_is_off(client, session):
    make_user(session, handle="maya")
    assert post_form(client, "/auth/demo/teacher").status_code == 404
    assert signed_in_user_id(client) is None


def test_demo_buttons_sign_in_as_the_demo_people(demo_app):
    client = demo_app.test_client()
    with Session(demo_app.extensions["db_engine"]) as session:
        maya = make_user(session, handle="maya", name="Maya Ortiz")
    html = client.get("/auth/sign-in").get_data(as_text=True)
    assert "Try Chalkmark as" in html and "/auth/demo/assessor" in html
    response = post_form(client, "/auth/demo/teacher")
    assert response.status_code == 303 and signed_in_user_id(client) == maya.id
    assert post_form(client, "/auth/demo/wizard").status_code == 404


def test_demo_without_the_demo_person_explains(demo_app):
    client = demo_app.test_client()
    response = post_form(client, "/auth/demo/coach", follow_redirects=True)
    assert "demo coach isn&#39;t set up yet" in response.get_data(as_text=True)
    assert signed_in_user_id(client) is None
