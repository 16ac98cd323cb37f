"""JSON endpoints (passkey ceremonies, uploads, push, the capture page's data): the one
place a JSON body is read and checked, and the one error shape.

Every refusal is `{"error": {"message": ..., "field": ...}}` (plus extra keys an error
carries, e.g. `offset`) with its 4xx status, never an HTML page or a redirect.

A body is read before it is parsed: at most MAX_BODY_BYTES, and nested at most
MAX_DEPTH deep (Python's json parser recurses, so a body nested 50,000 deep would be a
RecursionError, a 500). It must be an object, and each endpoint declares the keys it
reads in a `Schema`:

    START = Schema(client_uuid=Text(64, required=True), requirement_id=Id(), size=Int(low=0))
    data = read_json(START)   # {"client_uuid": "...", "requirement_id": 7 or None, ...}
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import wraps

from flask import jsonify, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from server.db import get_session
from server.errors import ChalkmarkError, InvalidInput, TooLarge
from server.extensions import csrf
from server.ids import MAX_ID, parse_id

# The one CSRF refusal, for pages and scripts alike (web.py, json_api, evidence uploads).
CSRF_MESSAGE = (
    "This page was out of date or came from somewhere else, so nothing was "
    "saved. Reload it and try again."
)
JSON_TYPE = "application/json"
MAX_BODY_BYTES = 64 * 1024
MAX_DEPTH = 32
_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.S)
_BRACKETS = re.compile(r"[\[\]{}]")


class BadJson(ChalkmarkError):
    """The body isn't a JSON object we can read (a 400: no field to point at)."""

    title = "Please check this"


# --- the error shape -----------------------------------------------------------------


def error_json(message: str, status: int, *, field: str | None = None, **extra):
    return jsonify({"error": {"message": message, "field": field}, **extra}), status


def error_from(err: ChalkmarkError):
    return error_json(err.message, err.status_code, field=err.field, **getattr(err, "extra", {}))


def error_for(err: Exception):
    """Any refusal a JSON caller can meet, in the one shape: a typed error, a stale CSRF
    token (`csrf: true`, so a script knows to fetch a fresh token) or an HTTP error."""
    if isinstance(err, ChalkmarkError):
        return error_from(err)
    if isinstance(err, CSRFError):
        return error_json(CSRF_MESSAGE, 400, csrf=True)
    if isinstance(err, HTTPException):
        return error_json(err.description or err.name, err.code or 400)
    raise err


def wants_json() -> bool:
    """A script's request: a JSON body, or an Accept header preferring JSON to HTML."""
    if request.is_json:
        return True
    accept = request.accept_mimetypes
    return (
        accept.best_match(["text/html", JSON_TYPE]) == JSON_TYPE
        and accept[JSON_TYPE] > accept["text/html"]
    )


def json_api(view):
    """Turn typed errors (and CSRF / HTTP refusals) into the JSON error shape."""
    return _json_refusals(view, when=lambda: True)


def json_when_wanted(view):
    """For a route that serves pages and scripts: a script asking for JSON gets the JSON
    error shape, never a page; anyone else's refusal goes on to the page handlers."""
    return _json_refusals(view, when=wants_json)


def _json_refusals(view, *, when: Callable[[], bool]):
    @wraps(view)
    def wrapped(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except (ChalkmarkError, CSRFError, HTTPException) as err:
            if not when():
                raise
            get_session().rollback()
            return error_for(err)

    return wrapped


def protect() -> None:
    """CSRF for a view exempted from the global check so the refusal can be JSON."""
    csrf.protect()


def no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


# --- reading a body ------------------------------------------------------------------


def read_json(schema: Schema, *, form_too: bool = False) -> dict:
    """The body, checked against `schema`. A body that isn't JSON counts as `{}` (so
    required keys are reported by name), or as the form's fields when `form_too`."""
    return schema.check(_body_object(form_too=form_too))


def _body_object(*, form_too: bool) -> dict:
    if not request.is_json:
        return request.form.to_dict() if form_too else {}
    text = _body_text()
    if not text.strip():
        return {}
    if _too_deep(text):
        raise BadJson(f"The JSON is nested too deeply (at most {MAX_DEPTH} levels).")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise BadJson("The body isn't valid JSON.") from None
    if not isinstance(data, dict):
        raise BadJson("The body must be a JSON object.")
    return data


def _body_text() -> str:
    too_large = TooLarge(f"The body is larger than {MAX_BODY_BYTES // 1024} KB.")
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise too_large
    request.max_content_length = MAX_BODY_BYTES  # a chunked body stops at the same limit
    try:
        return request.get_data(cache=True).decode("utf-8")
    except RequestEntityTooLarge:
        raise too_large from None
    except UnicodeDecodeError:
        raise BadJson("The body must be UTF-8 JSON.") from None


def _too_deep(text: str) -> bool:
    """Count brackets outside strings, without parsing (so without recursing)."""
    depth = 0
    for bracket in _BRACKETS.findall(_STRING.sub('""', text)):
        depth += 1 if bracket in "[{" else -1
        if depth > MAX_DEPTH:
            return True
    return False


# --- schemas -------------------------------------------------------------------------


class Field:
    """One key of a body. A missing key and `null` are the same: None, or an error
    when the key is required."""

    expected = "a value"

    def __init__(self, *, required: bool = False) -> None:
        self.required = required

    def read(self, name: str, value):
        if value is None:
            if self.required:
                raise InvalidInput(f"{name} is required.", field=name)
            return None
        checked = self.convert(value)
        if checked is None:
            raise InvalidInput(f"{name} must be {self.expected}.", field=name)
        return checked

    def convert(self, value):
        """The value when acceptable, else None."""
        raise NotImplementedError


class Text(Field):
    def __init__(self, max_length: int, *, required: bool = False) -> None:
        super().__init__(required=required)
        self.max_length = max_length
        self.expected = f"text of at most {max_length:,} characters"

    def convert(self, value):
        return value if isinstance(value, str) and len(value) <= self.max_length else None


class Id(Field):
    """A row id: a JSON number or a string of ASCII digits, 1..2^63-1."""

    expected = "an id (a whole number)"

    def convert(self, value):
        if isinstance(value, str):
            return parse_id(value)
        return value if _is_int(value) and 1 <= value <= MAX_ID else None


class Int(Field):
    def __init__(self, *, low: int = -MAX_ID, high: int = MAX_ID, required: bool = False) -> None:
        super().__init__(required=required)
        self.low, self.high = low, high
        self.expected = f"a whole number from {low:,} to {high:,}"

    def convert(self, value):
        return value if _is_int(value) and self.low <= value <= self.high else None


class Object(Field):
    """A nested object passed on whole (e.g. a WebAuthn credential, checked by its
    library); the body's size and depth limits already bound it."""

    expected = "a JSON object"

    def convert(self, value):
        return value if isinstance(value, dict) else None


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class Schema:
    """The keys an endpoint reads; other keys are ignored."""

    def __init__(self, **fields: Field) -> None:
        self.fields = fields

    def check(self, data: dict) -> dict:
        return {name: field.read(name, data.get(name)) for name, field in self.fields.items()}
