"""Reassigning a claim from the admin home: a confirm page with the district's assessors
(who may take it, and why the others may not), then the move (server/admin/reassign.py)."""

from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for

from server.admin import bp, reassign
from server.admin.guards import admin_district
from server.auth.session import require_user
from server.db import get_session
from server.errors import InvalidInput, NotFound
from server.htmx import render
from server.ids import parse_id
from server.models import utcnow
from server.review.guards import display_name


def _page(db, org, claimed, *, error: str | None = None, chosen: str = "", status: int = 200):
    return render(
        "admin/reassign.html",
        status=status,
        org=org,
        claimed=claimed,
        candidates=reassign.candidates(session=db, org=org, claimed=claimed),
        error=error,
        chosen=chosen,
        lease_live=claimed.review.claimed_until > utcnow(),
    )


def _review_id(raw: str | None) -> int | None:
    """The claim chosen on the home (a pair has two); none given: the latest one."""
    if not raw:
        return None
    review_id = parse_id(raw)
    if review_id is None:
        raise NotFound(reassign.NO_CLAIM)
    return review_id


@bp.get("/submissions/<int:submission_id>/reassign")
def reassign_form(submission_id: int):
    db = get_session()
    org = admin_district(session=db, user=require_user())
    review_id = _review_id(request.args.get("review"))
    claimed = reassign.load(session=db, org=org, submission_id=submission_id, review_id=review_id)
    return _page(db, org, claimed)


@bp.post("/submissions/<int:submission_id>/reassign")
def reassign_claim(submission_id: int):
    db, admin = get_session(), require_user()
    org = admin_district(session=db, user=admin)
    chosen = request.form.get("assessor", "").strip()
    review_id = _review_id(request.form.get("review"))
    try:
        review = reassign.reassign(
            session=db,
            org=org,
            actor=admin,
            submission_id=submission_id,
            assessor_raw=chosen,
            lease_hours=current_app.config["SETTINGS"].review_lease_hours,
            review_id=review_id,
        )
    except InvalidInput as refused:
        db.rollback()
        claimed = reassign.load(
            session=db, org=org, submission_id=submission_id, review_id=review_id
        )
        return _page(db, org, claimed, error=refused.message, chosen=chosen, status=422)
    name = display_name(db, review.assessor_id)
    db.commit()
    flash(f"Reassigned: {name} holds the claim now, with a fresh lease.", "success")
    return redirect(url_for("admin.home"), 303)
