"""The installable, offline-capable side: manifest and service worker at the site root
(scope `/`), the offline page, the capture page shell and the JSON it works from."""

from __future__ import annotations

import json
from pathlib import Path

from flask import (
    Response,
    current_app,
    jsonify,
    request,
    send_from_directory,
    url_for,
)
from flask_wtf.csrf import generate_csrf

from server.auth.session import login_required, require_user
from server.db import get_session
from server.htmx import render
from server.ids import arg_id
from server.jsonapi import json_api, no_store
from server.models import utcnow
from server.pwa import bp, service

ROOT = Path(__file__).resolve().parents[2]
PWA_DIR = ROOT / "pwa"
# Everything the cached shell is made of; its digest is the service worker's VERSION.
SHELL_SOURCES = [
    ROOT / "static",
    PWA_DIR,
    ROOT / "templates" / "base.html",
    ROOT / "templates" / "pwa",
    ROOT / "templates" / "partials",
]
# Static files are small today; a big one (a video, a font family) is fetched on use instead.
PRECACHE_MAX_BYTES = 512 * 1024


@bp.get("/manifest.webmanifest")
def manifest():
    return send_from_directory(
        PWA_DIR, "manifest.webmanifest", mimetype="application/manifest+json", max_age=3600
    )


@bp.get("/sw.js")
def service_worker():
    version, precache = _shell()
    source = (PWA_DIR / "sw.js").read_text(encoding="utf-8")
    body = source.replace("__SHELL_VERSION__", version).replace(
        "/* __PRECACHE__ */", "".join(f"{json.dumps(url)}, " for url in precache)
    )
    response = Response(body, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


def _shell() -> tuple[str, list[str]]:
    """(version, static URLs to precache), worked out once per process."""
    extensions = current_app.extensions
    if "pwa_shell" not in extensions:
        static = Path(current_app.static_folder or "static")
        urls = [
            url_for("static", filename=path.relative_to(static).as_posix())
            for path in sorted(static.rglob("*"))
            if path.is_file() and path.stat().st_size <= PRECACHE_MAX_BYTES
        ]
        extensions["pwa_shell"] = (service.shell_version(SHELL_SOURCES), urls)
    return extensions["pwa_shell"]


@bp.get("/sw-push.js")
def service_worker_push():
    # Web Push handlers (notify area), pulled into sw.js with importScripts: never stale.
    response = send_from_directory(PWA_DIR, "sw-push.js", mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline")
def offline():
    return send_from_directory(PWA_DIR, "offline.html", max_age=3600)


@bp.get("/capture")
@login_required
def capture():
    """The capture page. The same HTML for everyone (the service worker keeps one copy);
    the draft it captures for comes from ?submission= and capture.json."""
    submission_id = arg_id(request.args, "submission")
    if submission_id is not None:
        service.owned_submission(
            session=get_session(), user=require_user(), submission_id=submission_id
        )
    return render("pwa/capture.html")


@bp.get("/submissions/<int:id>/capture.json")
@json_api
def capture_json(id: int):
    snapshot = service.draft_snapshot(session=get_session(), user=require_user(), submission_id=id)
    return no_store(jsonify(_snapshot_json(snapshot)))


@bp.get("/capture/drafts.json")
@json_api
def drafts_json():
    snapshots = service.draft_snapshots(session=get_session(), user=require_user())
    return no_store(jsonify(drafts=[_snapshot_json(s) for s in snapshots]))


@bp.get("/capture/token")
@json_api
def capture_token():
    """A fresh CSRF token for the upload queue (the page's own may be from a cached copy,
    and the service worker has no page at all)."""
    user = require_user()
    return no_store(jsonify(csrf_token=generate_csrf(), user_id=user.id))


def _snapshot_json(snapshot: service.DraftSnapshot) -> dict:
    submission = snapshot.submission
    return {
        "id": submission.id,
        "attempt": submission.attempt,
        "status": submission.status,
        "is_draft": snapshot.is_draft,
        "user_id": submission.user_id,
        "url": url_for("submissions.show", id=submission.id),
        "capture_url": url_for("pwa.capture", submission=submission.id),
        "upload_url": url_for("evidence.upload", id=submission.id),
        "resumable_url": url_for("evidence.resumable_start", id=submission.id),
        "credential": {"title": snapshot.credential.title, "slug": snapshot.credential.slug},
        "requirements": [_requirement_json(req) for req in snapshot.requirements],
        "fetched_at": utcnow().isoformat(),
    }


def _requirement_json(requirement: service.RequirementSnapshot) -> dict:
    """A part with what is saved in it (a reflection's text too: the page shows it)."""
    return {
        **{key: value for key, value in vars(requirement).items() if key != "items"},
        "items": [
            {
                "id": item.id,
                "kind": item.kind,
                "label": item.label,
                "text": item.text,
                "thumb_url": url_for("evidence.thumb", item_id=item.id) if item.has_thumb else None,
            }
            for item in requirement.items
        ],
    }
