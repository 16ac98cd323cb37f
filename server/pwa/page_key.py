"""The page key: each HTML page carries a digest of the session's CSRF secret, and a cookie
the service worker can read holds the current one (pwa/sw.js serves a cached page only
while the two match). Registered app-wide in create_app, beside the security headers.
"""

from __future__ import annotations

import hashlib

from flask import Flask, current_app, request, session

PAGE_KEY_HEADER = "X-Chalkmark-Page-Key"  # the same names in pwa/sw.js
PAGE_KEY_COOKIE = "chalkmark_page"


def init_app(app: Flask) -> None:
    app.after_request(page_key)


def page_key(response):
    """Tag each HTML page with a digest of the session's CSRF secret, and keep the current
    digest in a cookie the service worker can read. The worker serves catalog pages from
    its cache only while the two match: a page cached before signing in or out carries
    forms with a stale token, so then it fetches a fresh one instead."""
    raw = session.get("csrf_token")
    key = hashlib.sha256(str(raw).encode()).hexdigest()[:16] if raw else ""
    if key and response.mimetype == "text/html":
        response.headers[PAGE_KEY_HEADER] = key
    if request.cookies.get(PAGE_KEY_COOKIE, "") != key:
        settings = current_app.config["SETTINGS"]
        if key:
            response.set_cookie(
                PAGE_KEY_COOKIE,
                key,
                samesite="Lax",
                httponly=False,
                secure=settings.secure_cookies,
                max_age=60 * 60 * 24 * 30,
            )
        else:
            response.delete_cookie(PAGE_KEY_COOKIE, samesite="Lax")
    return response
