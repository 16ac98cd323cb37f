"""Server-side sessions through the real endpoints: a cookie copied before sign-out (or before
its passkey was removed, or the account switched off) signs nobody in; the account page lists
signed-in devices and signs out one or all; one query per request finds who is signed in.
The database store, and the Redis one (the real Redis, db 15)."""

from __future__ import annotations

import pytest
from flask import session as flask_session
from sqlalchemy import event
from sqlmodel import Session, select

from server import create_app
from server.auth import recovery
from server.auth.session import SESSION_ID, load_current_user
from server.auth.sessions import session_hash
from server.models import User, UserSession
from tests.support.ceremonies import client_ceremony, client_sign_in, client_sign_up
from tests.support.factories import make_user
from tests.support.fake_authenticator import FakeAuthenticator
from tests.support.web import (
    cookie_session_id,
    json_error,
    post_form,
    sign_in_as,
    signed_in_user_id,
)

# Fixtures: `demo_app` (the app in demo mode), `redis_url` (the real Redis, db 15, emptied).
pytest_plugins = ["tests.support.demo_mode", "tests.support.redis_queue"]

COOKIE = "chalkmark_session"


@pytest.fixture(params=["database", "redis"])
def any_store_app(request, settings):
    """The app with sessions in the database, or in Redis."""
    if request.param == "redis":
        settings.redis_url = request.getfixturevalue("redis_url")
    app = create_app(settings)
    yield app
    app.extensions["db_engine"].dispose()


def replay(app, cookie: str):
    """Another browser presenting a copy of an earlier cookie."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, cookie)
    return thief


def is_signed_in(client) -> bool:
    return client.get("/auth/account").status_code == 200


def test_a_cookie_copied_before_sign_out_signs_nobody_in(any_store_app):
    client = any_store_app.test_client()
    client_sign_up(client, FakeAuthenticator())
    copied = client.get_cookie(COOKIE).value
    assert is_signed_in(replay(any_store_app, copied))
    assert post_form(client, "/auth/sign-out").status_code == 303
    assert not is_signed_in(client)
    assert not is_signed_in(replay(any_store_app, copied))


def test_removing_a_passkey_signs_out_the_browsers_it_signed_in(app, session):
    laptop, phone = app.test_client(), app.test_client()
    first, second = FakeAuthenticator(), FakeAuthenticator()
    client_sign_up(laptop, first)  # the laptop's session was made with the first passkey
    client_ceremony(
        laptop,
        second,
        options_url="/auth/passkeys/options",
        verify_url="/auth/passkeys/verify",
        page="/auth/account",
    )
    client_sign_in(phone, second)
    rows = session.exec(select(UserSession).order_by(UserSession.id)).all()
    first_id, second_id = rows[0].passkey_id, rows[1].passkey_id
    assert first_id != second_id and None not in (first_id, second_id)
    removed = post_form(phone, f"/auth/passkeys/{first_id}/remove")
    assert removed.status_code == 303
    assert not is_signed_in(laptop)
    assert is_signed_in(phone)


def test_a_deactivated_person_is_signed_out_and_cannot_sign_in_again(app, runner, session):
    client = app.test_client()
    authenticator = FakeAuthenticator()
    client_sign_up(client, authenticator, name="Ada Lovelace")
    copied = client.get_cookie(COOKIE).value
    result = runner.invoke(args=["deactivate-user", "ada-lovelace"])
    assert result.exit_code == 0, result.output
    assert not is_signed_in(client) and not is_signed_in(replay(app, copied))
    refused = client_sign_in(client, authenticator)
    assert refused.status_code == 403 and "switched off" in json_error(refused)["message"]
    assert signed_in_user_id(client) is None
    user = session.exec(select(User).where(User.handle == "ada-lovelace")).one()
    code = recovery.replace_codes(session=session, user=user)[0]
    by_code = post_form(client, "/auth/recovery", {"code": code})
    assert by_code.status_code == 403 and signed_in_user_id(client) is None
    assert recovery.unused_count(session=session, user=user) == 10  # the code isn't spent
    assert runner.invoke(args=["deactivate-user", "nobody"]).exit_code != 0


def test_the_account_page_lists_devices_and_signs_out_one(any_store_app):
    with Session(any_store_app.extensions["db_engine"], expire_on_commit=False) as session:
        user = make_user(session)
    laptop, phone = any_store_app.test_client(), any_store_app.test_client()
    sign_in_as(laptop, user)
    sign_in_as(phone, user)
    page = laptop.get("/auth/account").get_data(as_text=True)
    assert page.count("Sign out<span") == 2 and "This device" in page
    phone_key = session_hash(cookie_session_id(phone))
    assert f"/auth/account/devices/{phone_key}/sign-out" in page
    response = post_form(laptop, f"/auth/account/devices/{phone_key}/sign-out")
    assert response.status_code == 303 and is_signed_in(laptop) and not is_signed_in(phone)
    again = post_form(laptop, f"/auth/account/devices/{phone_key}/sign-out")
    assert again.status_code == 404


def test_sign_out_everywhere_ends_every_session_this_one_too(any_store_app):
    with Session(any_store_app.extensions["db_engine"], expire_on_commit=False) as session:
        user, other = make_user(session), make_user(session)
    laptop, phone, theirs = (any_store_app.test_client() for _ in range(3))
    for client, person in ((laptop, user), (phone, user), (theirs, other)):
        sign_in_as(client, person)
    response = post_form(laptop, "/auth/account/devices/sign-out-everywhere")
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert not is_signed_in(laptop) and not is_signed_in(phone)
    assert is_signed_in(theirs)


def test_nobody_signs_out_someone_elses_device(app, session):
    me, victim = app.test_client(), app.test_client()
    sign_in_as(me, make_user(session))
    sign_in_as(victim, make_user(session))
    key = session_hash(cookie_session_id(victim))
    assert post_form(me, f"/auth/account/devices/{key}/sign-out").status_code == 404
    assert post_form(me, "/auth/account/devices/not-a-key/sign-out").status_code == 404
    assert is_signed_in(victim)


def test_demo_sign_in_makes_the_same_server_side_session(demo_app, session):
    app = demo_app
    maya = make_user(session, handle="maya")
    client = app.test_client()
    assert post_form(client, "/auth/demo/teacher").status_code == 303
    row = session.exec(select(UserSession)).one()
    assert row.user_id == maya.id and row.id_hash == session_hash(cookie_session_id(client))
    copied = client.get_cookie(COOKIE).value
    post_form(client, "/auth/sign-out")
    assert not is_signed_in(replay(app, copied))


def test_one_query_finds_the_session_and_its_user(app, session):
    user = make_user(session)
    client = app.test_client()
    sign_in_as(client, user)
    session_id = cookie_session_id(client)
    statements = []
    engine = app.extensions["db_engine"]

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        with app.test_request_context("/auth/account"):
            flask_session[SESSION_ID] = session_id
            load_current_user()
            from flask import g

            assert isinstance(g.user, User) and g.user.id == user.id
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1 and "JOIN" in statements[0].upper()


def test_a_plain_page_view_leaves_the_cookie_alone(any_store_app):
    """Only a request that changes the session writes the cookie, so a background request
    cannot answer with a stale copy that erases a flash message set in between."""
    client = any_store_app.test_client()
    client_sign_up(client, FakeAuthenticator())
    client.get("/auth/account")
    response = client.get("/auth/account")
    assert response.status_code == 200
    assert not any(COOKIE in value for value in response.headers.getlist("Set-Cookie"))
