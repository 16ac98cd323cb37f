"""Roster import pages: upload a CSV, preview what each row does (the dry run), import.

The parsed file waits server-side (roster.store_upload) under a random token in the URL;
the sign-up links of an import are kept for this session and downloaded once as CSV.
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for

from server.admin import bp, roster, roster_apply, roster_csv
from server.admin.guards import admin_district
from server.auth.session import require_user, reveal_once, take_revealed
from server.auth.sessions import ROSTER_LINKS
from server.auth.view_helpers import link_url
from server.csvout import csv_download
from server.db import get_session
from server.errors import ChalkmarkError, Expired, InvalidInput, TooLarge
from server.htmx import render

PREVIEW_ROWS = 500  # rows shown on the page (errors first); every row is imported
LINKS_HEADER = ("name", "email", "school", "sign-up link", "valid until")
LINKS_GONE = (
    "The sign-up links of an import can be downloaded once, and these were downloaded "
    "already or have expired. Make a new link for one person from the People page."
)
# A multipart body carries the file plus a little (boundary, CSRF token).
REQUEST_SLACK = 64 * 1024


def _admin():
    admin = require_user()
    return admin_district(session=get_session(), user=admin), admin


def _form(org, error: ChalkmarkError | None = None):
    status = error.status_code if error else 200
    max_mb = roster_csv.MAX_BYTES // (1024 * 1024)
    return render("admin/roster.html", org=org, error=error, status=status, max_mb=max_mb)


@bp.get("/roster")
def roster_form():
    org, _ = _admin()
    return _form(org)


@bp.post("/roster")
def roster_upload():
    org, admin = _admin()
    if (request.content_length or 0) > roster_csv.MAX_BYTES + REQUEST_SLACK:
        return _form(org, TooLarge(roster_csv.TOO_LARGE, field="file"))
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _form(org, InvalidInput("Choose a CSV file to upload.", field="file"))
    try:
        token, _ = roster.store_upload(
            session=get_session(),
            org=org,
            admin=admin,
            filename=upload.filename,
            data=upload.stream.read(roster_csv.MAX_BYTES + 1),
        )
    except (InvalidInput, TooLarge) as error:
        return _form(org, error)
    return redirect(url_for("admin.roster_preview", token=token), 303)


@bp.get("/roster/<token>")
def roster_preview(token: str):
    org, admin = _admin()
    db = get_session()
    upload = roster.load_upload(session=db, org=org, admin=admin, token=token)
    if upload.applied_at is not None:
        return render("admin/roster_done.html", org=org, counts=roster.result_of(upload))
    plan = roster.plan(session=db, org=org, rows=roster.rows_of(upload))
    shown = sorted(plan.rows, key=lambda p: (p.outcome != roster.ERROR, p.row.line))
    return render(
        "admin/roster_preview.html",
        org=org,
        token=token,
        upload=upload,
        counts=plan.counts(),
        new_cohorts=plan.new_cohorts,
        shown=shown[:PREVIEW_ROWS],
        total=len(plan.rows),
    )


@bp.post("/roster/<token>/import")
def roster_import(token: str):
    org, admin = _admin()
    db = get_session()
    upload = roster.load_upload(session=db, org=org, admin=admin, token=token)
    imported = roster_apply.apply(session=db, org=org, admin=admin, upload=upload)
    if imported.links:
        valid_until = imported.links_expire.date().isoformat()
        rows = [
            [link.name, link.email, link.school, link_url(link.token), valid_until]
            for link in imported.links
        ]
        reveal_once(ROSTER_LINKS, rows, ttl_seconds=3600)
    flash("The roster is imported.", "success")
    return redirect(url_for("admin.roster_preview", token=token), 303)


@bp.get("/roster/links.csv")
def roster_links():
    _admin()
    rows = take_revealed(ROSTER_LINKS)
    if not rows:
        raise Expired(LINKS_GONE)
    return csv_download("sign-up-links.csv", LINKS_HEADER, rows)
