"""The one helper that decides between a full page and an htmx fragment.

An htmx request (HX-Request: true) gets just the fragment; a normal request, or htmx
restoring history after a cache miss, gets the full page. Responses vary on HX-Request so
a cache never hands a fragment to the back button.
"""

from __future__ import annotations

from flask import make_response, render_template, request


def wants_fragment() -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx and not htmx.history_restore_request)


def render(page: str, fragment: str | None = None, *, status: int = 200, **context):
    template = fragment if (fragment and wants_fragment()) else page
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response
