"""One JSON line per request on the `chalkmark.request` logger (INFO): method, path
(never the query string: it may carry a token), endpoint, status, duration, response size,
user id. `chalkmark serve` and gunicorn.conf.py send it to stderr unless
CHALKMARK_REQUEST_LOG=0; elsewhere (tests, benches) it is silent unless logging is set up."""

from __future__ import annotations

import json
import logging
import sys
import time

from flask import Flask, g, request

log = logging.getLogger("chalkmark.request")


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_log)


def _start() -> None:
    g.request_started = time.perf_counter()


def _log(response):
    if not log.isEnabledFor(logging.INFO):
        return response
    started = g.get("request_started")
    user = g.get("user")
    record = {
        "method": request.method,
        "path": request.path,
        "endpoint": request.endpoint,
        "status": response.status_code,
        "ms": round((time.perf_counter() - started) * 1000, 2) if started else None,
        "bytes": response.calculate_content_length(),
        "user": user.id if user is not None else None,
        "htmx": request.headers.get("HX-Request") == "true",
    }
    log.info(json.dumps(record, separators=(",", ":")))
    return response


def configure(enabled: bool = True) -> None:
    """Send request lines to stderr (one JSON object per line, nothing else added)."""
    if not enabled or any(getattr(h, "_chalkmark", False) for h in log.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler._chalkmark = True  # type: ignore[attr-defined]
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
