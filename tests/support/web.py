"""Helpers for Flask test-client tests: sign in as a user, read the CSRF token."""

from __future__ import annotations

import re

from server.auth.session import SESSION_ID, session_store, start_session_for
from server.db import get_session
from server.models import User

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def sign_in_as(client, user: User) -> None:
    """A real server-side session for `user`, its id in the client's cookie."""
    session_id = start_session_for(client.application, user.id, "pytest")
    with client.session_transaction() as flask_session:
        flask_session.clear()
        flask_session[SESSION_ID] = session_id


def cookie_session_id(client) -> str | None:
    with client.session_transaction() as flask_session:
        return flask_session.get(SESSION_ID)


def signed_in_user_id(client) -> int | None:
    """Who the app takes the client's cookie to be (asked of the session store)."""
    session_id = cookie_session_id(client)
    if not session_id:
        return None
    with client.application.app_context():
        user = session_store().user_for(session=get_session(), session_id=session_id)
        return user.id if user else None


def csrf_token(client, path: str = "/") -> str:
    """The token a page would carry: fetched the way a browser gets it."""
    html = client.get(path).get_data(as_text=True)
    match = CSRF_META.search(html)
    assert match, f"no csrf meta tag on {path}"
    return match.group(1)


def post_form(client, path: str, data: dict | None = None, **kwargs):
    data = dict(data or {})
    data.setdefault("csrf_token", csrf_token(client))
    return client.post(path, data=data, **kwargs)


def htmx_headers(**extra) -> dict:
    return {"HX-Request": "true", **extra}


def json_error(response) -> dict:
    """The {"message", "field"} of a JSON refusal: the one shape of server/jsonapi.py."""
    assert response.is_json, response.get_data(as_text=True)[:200]
    error = response.get_json()["error"]
    assert set(error) == {"message", "field"}, error
    return error
