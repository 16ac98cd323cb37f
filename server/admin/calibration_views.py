"""/admin/calibration: the district's calibration anchors — mark a decided attempt with
true scores, retire an anchor (admin/anchors.py)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for

from server.admin import anchors, bp
from server.admin.forms import FormInvalid
from server.admin.guards import admin_district
from server.auth.session import require_user
from server.db import get_session
from server.htmx import render


@bp.get("/calibration")
def calibration_page():
    db = get_session()
    org = admin_district(session=db, user=require_user())
    return render(
        "admin/calibration.html",
        org=org,
        anchors=anchors.anchors(session=db, org=org),
        candidates=anchors.candidates(session=db, org=org),
    )


def _anchor_form(org, submission_id: int, *, chosen=None, errors=None, status: int = 200):
    db = get_session()
    submission = anchors.decided_attempt(session=db, org=org, submission_id=submission_id)
    return render(
        "admin/calibration_anchor.html",
        org=org,
        submission=submission,
        criteria=anchors.rubric_of(db, submission),
        chosen=chosen if chosen is not None else anchors.decided_scores(db, submission),
        errors=errors or {},
        status=status,
    )


@bp.get("/calibration/submissions/<int:submission_id>/anchor")
def anchor_form(submission_id: int):
    org = admin_district(session=get_session(), user=require_user())
    return _anchor_form(org, submission_id)


@bp.post("/calibration/submissions/<int:submission_id>/anchor")
def mark_anchor(submission_id: int):
    db, admin = get_session(), require_user()
    org = admin_district(session=db, user=admin)
    try:
        anchors.mark(
            session=db, org=org, actor=admin, submission_id=submission_id, form=request.form
        )
    except FormInvalid as err:
        db.rollback()
        chosen = {
            int(key[4:]): value
            for key, value in request.form.items()
            if key.startswith("met_") and key[4:].isascii() and key[4:].isdigit()
        }
        return _anchor_form(org, submission_id, chosen=chosen, errors=err.errors, status=422)
    db.commit()
    flash("Anchor marked: assessors of this credential calibrate against it now.", "success")
    return redirect(url_for("admin.calibration_page"), 303)


@bp.post("/calibration/anchors/<int:anchor_id>/retire")
def retire_anchor(anchor_id: int):
    db, admin = get_session(), require_user()
    org = admin_district(session=db, user=admin)
    anchors.retire(session=db, org=org, actor=admin, anchor_id=anchor_id)
    db.commit()
    flash("Anchor retired: nobody is given it any more; past tries still count.", "success")
    return redirect(url_for("admin.calibration_page"), 303)
