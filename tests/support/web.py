"""Helpers for Flask test-client tests: sign in as a user, read the CSRF token."""

from __future__ import annotations

import re

from server.models import User

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def sign_in_as(client, user: User) -> None:
    with client.session_transaction() as flask_session:
        flask_session.clear()
        flask_session["uid"] = user.id


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
