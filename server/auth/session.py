"""Who is signed in. The Flask side of auth: the session cookie holds only a random session
id (and Flask-WTF's CSRF token); the session itself lives server-side (sessions.py), so
signing out, removing a passkey or switching an account off really ends it.
Every view asks `current_user()` or uses the decorators below.
"""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from functools import wraps
from urllib.parse import unquote, urlsplit

from flask import Flask, current_app, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import generate_csrf
from sqlmodel import Session

from server.auth.sessions import SessionPolicy, SessionStore, make_store
from server.db import get_session
from server.errors import Forbidden, NotSignedIn
from server.models import User, utcnow

SESSION_ID = "sid"


def session_store() -> SessionStore:
    """The app's session store (database, or Redis when configured), made on first use."""
    store = current_app.extensions.get("chalkmark_sessions")
    if store is None:
        store = current_app.extensions["chalkmark_sessions"] = build_store(current_app)
    return store


def build_store(app: Flask) -> SessionStore:
    settings = app.config["SETTINGS"]
    policy = SessionPolicy(
        idle=timedelta(days=settings.session_idle_days),
        absolute=timedelta(days=settings.session_max_days),
    )
    return make_store(redis_url=settings.redis_url, policy=policy)


def load_current_user() -> None:
    g.user = None
    session_id = session.get(SESSION_ID)
    if session_id is None or request.endpoint == "static":
        return  # CSS, JS and icons are the same for everyone: no query for them
    user = None
    if isinstance(session_id, str):
        user = session_store().user_for(session=get_session(), session_id=session_id)
    if user is None:
        session.clear()  # ended, expired or unknown: this browser is signed out
        return
    g.user = user


def current_session_id() -> str | None:
    return session.get(SESSION_ID) if current_user() is not None else None


def current_user() -> User | None:
    return g.get("user")


def require_user() -> User:
    user = current_user()
    if user is None:
        raise NotSignedIn("Please sign in to continue.")
    return user


def login_user(user: User, *, passkey_id: int | None = None) -> None:
    """Starts a server-side session (refused for a switched-off account)."""
    # A fresh session on sign-in: nothing from before survives (no session fixation).
    end_current_session()
    session.permanent = True
    db = get_session()
    session[SESSION_ID] = session_store().start(
        session=db, user=user, passkey_id=passkey_id, user_agent=request.headers.get("User-Agent")
    )
    # Mint the CSRF token now: two pages loading at once right after sign-in would
    # otherwise each mint one, and the cookie written last would orphan the other.
    _fresh_csrf_token()
    g.user = user
    user.last_active_at = utcnow()
    db.add(user)
    db.commit()


def start_session_for(app: Flask, user_id: int, user_agent: str = "") -> str:
    """A session for `user_id` outside any request: how tests and benches become someone
    without a passkey ceremony. Returns the session id."""
    with app.app_context(), Session(app.extensions["db_engine"]) as db:
        return session_store().start(
            session=db, user=db.get_one(User, user_id), passkey_id=None, user_agent=user_agent
        )


def session_cookie_for(app: Flask, user_id: int) -> str:
    """The signed cookie value a browser holds after signing in as `user_id`."""
    interface = app.session_interface
    assert isinstance(interface, SecureCookieSessionInterface), "Flask's signed cookie"
    serializer = interface.get_signing_serializer(app)
    assert serializer is not None, "the app has a secret key"
    return serializer.dumps({SESSION_ID: start_session_for(app, user_id), "_permanent": True})


def end_current_session() -> None:
    session_id = session.get(SESSION_ID)
    if isinstance(session_id, str):
        session_store().end(session=get_session(), session_id=session_id)
    session.clear()


def logout_user() -> None:
    end_current_session()
    g.user = None
    _fresh_csrf_token()


def reveal_once(kind: str, value, *, ttl_seconds: int = 600) -> None:
    """Keep `value` server-side for the next page of this session only (see take_revealed)."""
    session_store().put_reveal(
        session=get_session(),
        session_id=session[SESSION_ID],
        kind=kind,
        value=value,
        ttl_seconds=ttl_seconds,
    )


def take_revealed(kind: str):
    """The value kept by reveal_once, once: a second look (or a replayed cookie) gets None."""
    session_id = current_session_id()
    if session_id is None:
        return None
    return session_store().take_reveal(session=get_session(), session_id=session_id, kind=kind)


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
    """Only a path on this site: never an open redirect. Browsers drop tabs and newlines
    ("/<tab>/evil" becomes "//evil") and read a backslash as a slash, so the check runs on
    the value as a browser would read it, with every control and space character removed,
    and again on it percent-decoded."""
    path = _browser_view(value)
    if path and _same_origin_path(path) and _same_origin_path(_browser_view(unquote(path))):
        return path
    return url_for("catalog.home")


MAX_NEXT = 2000
INVISIBLE = {"Cc", "Cf", "Zs", "Zl", "Zp"}  # control, format and every kind of space


def _browser_view(value) -> str:
    if not isinstance(value, str) or len(value) > MAX_NEXT:
        return ""
    return "".join(
        ch for ch in value if not ch.isspace() and unicodedata.category(ch) not in INVISIBLE
    )


def _same_origin_path(path: str) -> bool:
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return False
    parts = urlsplit(path)
    return not parts.scheme and not parts.netloc
