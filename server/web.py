"""Request lifecycle shared by every blueprint: who is signed in, and one place that
turns errors into a clear page or fragment (never a 500 for bad input). Security headers
live in server/security.py; what templates get app-wide in server/presentation.py.
"""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from server.auth.session import load_current_user
from server.db import rollback_request_session
from server.errors import ChalkmarkError, InvalidInput
from server.htmx import wants_fragment
from server.jsonapi import CSRF_MESSAGE, error_for, wants_json

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    app.before_request(_refuse_nul_in_query)
    app.before_request(load_current_user)
    app.register_error_handler(ChalkmarkError, _chalkmark_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def _refuse_nul_in_query() -> None:
    # PostgreSQL refuses NUL inside text: a search for "%00" must be a clear 400, not a 500.
    if any("\x00" in value for values in request.args.listvalues() for value in values):
        raise InvalidInput("A search or link contained a character we can't use (NUL).")


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
