"""Security headers on every response: the Content-Security-Policy and its companions.

Scripts and styles come only from our own origin (no inline code), and pages for a
signed-in person are never kept by a shared cache.
"""

from __future__ import annotations

from flask import Flask, g, request

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

# An evidence file (server/evidence/routes.py) is someone's upload shown on our origin:
# sandboxed, nothing loads from it, whatever it holds.
EVIDENCE_FILE_CSP = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox"


def init_app(app: Flask) -> None:
    app.after_request(security_headers)


# Every response's headers, unless a view set its own (one pass over the few it has).
HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(self), microphone=(self), geolocation=()"),
)
_BY_KEY = tuple((name.lower(), name, value) for name, value in HEADERS)


def security_headers(response):
    headers = response.headers
    present = {name.lower() for name in headers.keys()}
    for key, name, value in _BY_KEY:
        if key not in present:
            headers.add(name, value)
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if g.get("user") is not None and "Cache-Control" not in headers:
        # Pages for a signed-in person are theirs alone: never kept by a shared cache.
        headers["Cache-Control"] = "private, no-store"
    return response
