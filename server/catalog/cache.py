"""Public catalog pages (a stack, a credential) rendered once per catalog version.

Anyone not signed in sees the same page, so its HTML is kept per (page, slug) and catalog
version, and carries an ETag: a browser revalidating gets a 304 without a body. The
version lives in the database (table catalog_version, one row), bumped in the same
transaction as any ORM change to stacks, credentials, evidence requirements or rubric
criteria. The process that commits a change drops its pages at once; the others read the
version at most once every VERSION_TTL seconds, so they serve the new catalog within
that. (A bulk SQL UPDATE that bypasses the ORM must bump it too: `bump(session)`.)

A signed-in person's page shows their own status (the start button, the header), so it
is never cached here. The page's CSRF token (base.html's meta tag) is the only per-browser
part of an anonymous page: the kept HTML holds a placeholder, filled in per response.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from flask import Response, current_app, make_response, request, session
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session as OrmSession

from server.auth.session import current_user
from server.models import CatalogVersion, Credential, EvidenceRequirement, RubricCriterion, Stack

CATALOG_MODELS = (Stack, Credential, EvidenceRequirement, RubricCriterion)
TOKEN = "\x00csrf-token\x00"  # a NUL never appears in a rendered page
MAX_ENTRIES = 512
VERSION_TTL = 1.0  # seconds another process may serve a catalog page a change made stale
_local_changes = [0]  # catalog commits made by this process


def current_version(session: OrmSession) -> int:
    version = session.execute(
        select(CatalogVersion.version).where(CatalogVersion.id == 1)
    ).scalar_one_or_none()
    return version or 0


def bump(session: OrmSession) -> None:
    """The catalog changed in this transaction: every cached page is stale once it commits."""
    conn = session.connection()
    changed = conn.execute(
        update(CatalogVersion)
        .where(CatalogVersion.id == 1)
        .values(version=CatalogVersion.version + 1)
    ).rowcount
    if not changed:
        conn.execute(insert(CatalogVersion).values(id=1, version=2))


def set_version(session: OrmSession, version: int) -> None:
    conn = session.connection()
    changed = conn.execute(
        update(CatalogVersion).where(CatalogVersion.id == 1).values(version=version)
    ).rowcount
    if not changed:
        conn.execute(insert(CatalogVersion).values(id=1, version=version))


@event.listens_for(OrmSession, "before_flush")
def _bump_on_catalog_change(session: OrmSession, _context, _instances) -> None:
    touched = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(obj, CATALOG_MODELS) for obj in touched):
        bump(session)
        session.info["catalog_changed"] = True


@event.listens_for(OrmSession, "after_commit")
def _note_local_change(session: OrmSession) -> None:
    if session.info.pop("catalog_changed", False):
        _local_changes[0] += 1


@event.listens_for(OrmSession, "after_rollback")
def _forget_change(session: OrmSession) -> None:
    session.info.pop("catalog_changed", None)


class PageCache:
    """(key, version) -> (HTML with the token placeholder, ETag); oldest dropped first."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._entries: OrderedDict[tuple, tuple[str, str]] = OrderedDict()
        self._lock = threading.Lock()
        self.max_entries = max_entries
        # The catalog version as last read, when, and this process's changes by then.
        self._version = (0, float("-inf"), -1)

    def version(self, engine) -> int:
        """The catalog version, read from the database at most every VERSION_TTL seconds
        (at once after this process committed a catalog change). One small statement on
        a pooled connection, no ORM session: a kept page costs no more than that."""
        version, read_at, changes = self._version
        now = time.monotonic()
        if now - read_at < VERSION_TTL and changes == _local_changes[0]:
            return version
        changes = _local_changes[0]
        with engine.connect() as conn:
            version = conn.execute(
                select(CatalogVersion.version).where(CatalogVersion.id == 1)
            ).scalar_one_or_none()
        self._version = (version or 0, now, changes)
        return version or 0

    def get(self, key: tuple) -> tuple[str, str] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple, html: str) -> tuple[str, str]:
        etag = hashlib.sha256(f"{key}\n{html}".encode()).hexdigest()[:24]
        with self._lock:
            self._entries[key] = (html, etag)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return html, etag

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _pages() -> PageCache:
    cache = current_app.extensions.get("catalog_pages")
    if cache is None:
        cache = current_app.extensions.setdefault("catalog_pages", PageCache())
    return cache


def cached_page(key: tuple, build: Callable[[], Response]) -> Response:
    """`build()`'s response, kept per catalog version for visitors who are not signed in
    (and have no flash message waiting); ETag/If-None-Match answered with 304."""
    if current_user() is not None or session.get("_flashes"):
        return build()
    pages = _pages()
    versioned = (*key, pages.version(current_app.extensions["db_engine"]))
    entry = pages.get(versioned)
    if entry is None:
        response = build()
        if response.status_code != 200 or response.direct_passthrough:
            return response
        token = generate_csrf()
        entry = pages.put(versioned, response.get_data(as_text=True).replace(token, TOKEN))
    html, etag = entry
    if request.if_none_match.contains_weak(etag):
        response = make_response("", 304)
    else:
        response = make_response(html.replace(TOKEN, generate_csrf()))
    response.set_etag(etag, weak=True)  # weak: the same whether compressed or not
    response.vary.add("HX-Request")
    response.vary.add("Cookie")
    # Revalidate every time: the same address shows a signed-in person their own status.
    response.headers["Cache-Control"] = "no-cache"
    return response
