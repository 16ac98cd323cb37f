"""Who is signed in. The Flask side of auth: the session cookie holds a user id and a
per-sign-in nonce; every view asks `current_user()` or uses the decorators below.
"""

from __future__ import annotations

from functools import wraps

from flask import g, redirect, request, session, url_for
from flask_wtf.csrf import generate_csrf

from server.db import get_session
from server.errors import Forbidden, NotSignedIn
from server.models import User, utcnow


def load_current_user() -> None:
    g.user = None
    user_id = session.get("uid")
    if user_id is None or request.endpoint == "static":
        return  # CSS, JS and icons are the same for everyone: no query for them
    user = get_session().get(User, user_id)
    if user is None:
        session.clear()
        return
    g.user = user


def current_user() -> User | None:
    return g.get("user")


def require_user() -> User:
    user = current_user()
    if user is None:
        raise NotSignedIn("Please sign in to continue.")
    return user


def login_user(user: User) -> None:
    # A fresh session on sign-in: nothing from before survives (no session fixation).
    session.clear()
    session.permanent = True
    session["uid"] = user.id
    # Mint the CSRF token now: two pages loading at once right after sign-in would
    # otherwise each mint one, and the cookie written last would orphan the other.
    _fresh_csrf_token()
    g.user = user
    user.last_active_at = utcnow()
    db = get_session()
    db.add(user)
    db.commit()


def logout_user() -> None:
    session.clear()
    g.user = None
    _fresh_csrf_token()


def _fresh_csrf_token() -> None:
    g.pop("csrf_token", None)  # a token minted earlier in this request died with the session
    generate_csrf()


def login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        require_user()
        return view(*args, **kwargs)

    return wrapped


def roles_required(*roles: str):
    """Allow the view to anyone signed in holding one of `roles` (admins always pass)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = require_user()
            if not (user.has_role("admin") or any(user.has_role(r) for r in roles)):
                raise Forbidden("Your account doesn't have access to this page.")
            return view(*args, **kwargs)

        return wrapped

    return decorator


def redirect_to_sign_in():
    target = request.full_path if request.method == "GET" else request.referrer or "/"
    url = url_for("auth.sign_in", next=target.rstrip("?"))
    if request.headers.get("HX-Request"):
        return "", 401, {"HX-Redirect": url}
    return redirect(url, 303)


def safe_next(value: str | None) -> str:
    """Only same-site relative paths: never an open redirect."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return url_for("catalog.home")
