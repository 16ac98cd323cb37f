"""Request lifecycle shared by every blueprint: who is signed in, security headers,
and one place that turns errors into a clear page or fragment (never a 500 for bad input).
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, g, render_template, request
from flask_wtf.csrf import CSRFError, generate_csrf
from werkzeug.exceptions import HTTPException

from server import nav
from server.auth.session import load_current_user
from server.db import rollback_request_session
from server.errors import ChalkmarkError
from server.htmx import wants_fragment
from server.jsonapi import CSRF_MESSAGE, error_for, wants_json

log = logging.getLogger(__name__)

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def init_app(app: Flask) -> None:
    app.before_request(load_current_user)
    app.after_request(_security_headers)
    app.context_processor(_template_globals)
    app.register_error_handler(ChalkmarkError, _chalkmark_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def _security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(self), microphone=(self), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if g.get("user") is not None and "Cache-Control" not in headers:
        # Pages for a signed-in person are theirs alone: never kept by a shared cache.
        headers["Cache-Control"] = "private, no-store"
    return response


def _template_globals():
    settings = current_app.config["SETTINGS"]
    return {
        "current_user": g.get("user"),
        "demo_mode": settings.demo,
        "csrf_token_value": generate_csrf,
        "nav_links": nav.links_for,
    }


def error_response(status: int, title: str, message: str):
    template = "errors/_message.html" if wants_fragment() else "errors/page.html"
    response = render_template(template, status=status, title=title, message=message)
    return response, status, {"Vary": "HX-Request"}


def _chalkmark_error(err: ChalkmarkError):
    if wants_json():  # a script's request gets the JSON shape (server/jsonapi.py), never a page
        return error_for(err)
    if err.status_code == 401:
        from server.auth.session import redirect_to_sign_in

        return redirect_to_sign_in()
    return error_response(err.status_code, err.title, err.message)


def _csrf_error(err: CSRFError):
    if wants_json():
        return error_for(err)
    return error_response(400, "Please try again", CSRF_MESSAGE)


HTTP_MESSAGES = {
    404: ("Page not found", "We couldn't find that page. It may have moved or never existed."),
    405: ("Not allowed here", "That action isn't available at this address."),
    413: ("File too large", "That upload is larger than Chalkmark accepts."),
    429: ("Too many tries", "Please wait a minute before trying again."),
}


def _http_error(err: HTTPException):
    if wants_json():
        return error_for(err)
    title, message = HTTP_MESSAGES.get(
        err.code or 500, (err.name, err.description or "Something went wrong.")
    )
    return error_response(err.code or 500, title, message)


def _unexpected_error(err: Exception):
    log.exception("unexpected error on %s %s", request.method, request.path)
    rollback_request_session()
    return error_response(
        500, "Something went wrong", "Sorry, that didn't work. Nothing you saved was lost."
    )
