"""The admin home: what needs attention in the district, the way to each admin tool, and
the district's recent admin actions; releasing a claim whose lease ran out."""

from __future__ import annotations

from flask import flash, redirect, url_for

from server.admin import attention, audit, bp, settings
from server.admin.guards import admin_district
from server.auth.session import require_user
from server.coach.stalled import STALLED_AFTER
from server.db import get_session
from server.htmx import render


@bp.get("")
def home():
    db = get_session()
    org = admin_district(session=db, user=require_user())
    target_days = settings.review_target_days(session=db, org=org)
    waiting, waiting_total = attention.oldest_waiting(session=db, org=org, target_days=target_days)
    stalled, stalled_total = attention.stalled_teachers(session=db, org=org)
    return render(
        "admin/home.html",
        org=org,
        entries=audit.recent(session=db, org=org),
        target_days=target_days,
        waiting=waiting,
        waiting_total=waiting_total,
        lapsed=attention.lapsed_claims(session=db, org=org),
        live_claims=attention.live_claims(session=db, org=org),
        stalled=stalled,
        stalled_total=stalled_total,
        low_first_try=attention.low_first_try(session=db, org=org),
        stalled_days=STALLED_AFTER.days,
        low_percent=round(100 * attention.LOW_FIRST_TRY_RATE),
        min_first_tries=attention.MIN_FIRST_TRIES,
    )


@bp.post("/submissions/<int:submission_id>/release")
def release_claim(submission_id: int):
    db, admin = get_session(), require_user()
    org = admin_district(session=db, user=admin)
    attention.release(session=db, org=org, actor=admin, submission_id=submission_id)
    db.commit()
    flash("Released: the submission is back in the queue for any assessor.", "success")
    return redirect(url_for("admin.home"), 303)
