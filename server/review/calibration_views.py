"""/review/calibrate/<credential>: practice items (anchors) scored against true scores
until the assessor qualifies for the credential's live queue (review/calibration.py)."""

from __future__ import annotations

from flask import flash, request, url_for

from server.auth.session import require_user, roles_required
from server.db import get_session
from server.errors import Conflict
from server.htmx import render
from server.models import AssessorQualification, CalibrationAnchor
from server.review import bp, calibration
from server.review.calibration_page import calibration_page
from server.review.outcome import MET_CHOICES
from server.review.routes import _see_other


def _page(credential_id: int, *, errors=None, chosen=None, status: int = 200):
    page = calibration_page(
        session=get_session(), assessor=require_user(), credential_id=credential_id
    )
    return render(
        "review/calibrate.html", cal=page, errors=errors or {}, chosen=chosen or {}, status=status
    )


@bp.get("/calibrate/<int:credential_id>")
@roles_required("assessor")
def calibrate(credential_id: int):
    return _page(credential_id)


@bp.post("/calibrate/<int:credential_id>/start")
@roles_required("assessor")
def calibrate_start(credential_id: int):
    db = get_session()
    calibration.start(session=db, assessor=require_user(), credential_id=credential_id)
    db.commit()
    return _see_other(url_for("review.calibrate", credential_id=credential_id) + "#practice")


@bp.post("/calibrate/<int:credential_id>/score")
@roles_required("assessor")
def calibrate_score(credential_id: int):
    db, user = get_session(), require_user()
    calibration.credential_for(session=db, assessor=user, credential_id=credential_id)
    attempt = calibration.open_try(session=db, assessor=user, credential_id=credential_id)
    if attempt is None or str(attempt.id) != request.form.get("attempt", ""):
        raise Conflict("This practice item was already scored: reload the page.")
    anchor = db.get_one(CalibrationAnchor, attempt.anchor_id)
    chosen = {
        criterion.id: request.form.get(f"met_{criterion.id}", "")
        for criterion in calibration.anchor_criteria(db, anchor)
    }
    met = {cid: MET_CHOICES.get(value) for cid, value in chosen.items()}
    already = db.get(AssessorQualification, (user.id, credential_id)) is not None
    errors = calibration.record_scores(session=db, attempt=attempt, met=met)
    if errors:
        db.rollback()
        return _page(credential_id, errors=errors, chosen=chosen, status=422)
    standing = calibration.qualify_if_reached(
        session=db, assessor=user, credential_id=credential_id
    )
    db.commit()
    if standing.qualified and not already:
        flash(
            f"You're calibrated: {standing.percent}% agreement with the true scores. "
            "This credential's live items are yours to claim.",
            "success",
        )
    return _see_other(url_for("review.calibrate", credential_id=credential_id) + "#result")
