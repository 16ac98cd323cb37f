"""JSON endpoints used by scripts (the capture page, the offline queue, the service
worker): every refusal is {"error": message} with its status, never an HTML page or a
redirect to sign in."""

from __future__ import annotations

from functools import wraps

from flask import jsonify
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from server.db import get_session
from server.errors import ChalkmarkError
from server.extensions import csrf

CSRF_MESSAGE = "This page was out of date, so nothing was saved. Reload it and try again."


def json_api(view):
    """Turn typed errors into JSON; extra fields on an error (e.g. `offset`) are kept."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        try:
            response = view(*args, **kwargs)
        except ChalkmarkError as err:
            get_session().rollback()
            return jsonify(error=err.message, **getattr(err, "extra", {})), err.status_code
        except CSRFError:
            get_session().rollback()
            return jsonify(error=CSRF_MESSAGE, csrf=True), 400
        except HTTPException as err:
            get_session().rollback()
            return jsonify(error=err.description or err.name), err.code or 400
        return response
    return wrapped


def protect() -> None:
    """CSRF for a view exempted from the global check so the refusal can be JSON."""
    csrf.protect()


def no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response
