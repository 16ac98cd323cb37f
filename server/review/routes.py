"""Routes of the review area (thin views over review/service.py)."""

from __future__ import annotations

import re

from flask import current_app, flash, make_response, redirect, request, url_for

from server.auth.session import require_user, roles_required
from server.db import get_session
from server.errors import Conflict
from server.htmx import render, wants_fragment
from server.ids import parse_id
from server.review import bp, calibration, hidden, hidden_rows, queue_cursor, service
from server.review.outcome import MET_CHOICES

HISTORY_ROWS = 200  # as service.history's own limit
SCORE_FIELD = re.compile(r"^(met|comment)_([0-9]+)$")


def _blind_key() -> str:
    return current_app.config["SECRET_KEY"]


@bp.errorhandler(Conflict)
def _conflict(err: Conflict):
    get_session().rollback()
    return render("review/conflict.html", "review/_conflict.html", status=409, message=err.message)


@bp.get("")
@roles_required("assessor")
def queue():
    """Keyset paging: `?after=` names the last live row of the page before
    (queue_cursor.py). The old offset links (`?page=N`) are no longer read: any of them,
    bookmarked or shared, answers the first page, which is where the work to take is."""
    only_mine = request.args.get("show") == "mine"
    after = queue_cursor.parse(request.args.get("after"))
    db, assessor = get_session(), require_user()
    if hidden.ensure(session=db, assessor=assessor):
        db.commit()
    page = service.queue_page(
        session=db, assessor=assessor, only_mine=only_mine, blind_key=_blind_key(), after=after
    )
    return render(
        "review/queue.html",
        "review/_queue_rows.html",
        rows=page.rows,
        only_mine=only_mine,
        after=page.after,
        next_after=page.next_after.token() if page.next_after else None,
        calibrate=dict(calibration.to_calibrate(session=db, assessor=assessor)),
    )


@bp.get("/history")
@roles_required("assessor")
def history():
    db, user = get_session(), require_user()
    rows = service.history(session=db, assessor=user, blind_key=_blind_key())
    rows += hidden_rows.history_rows(session=db, assessor=user, blind_key=_blind_key())
    rows.sort(key=lambda row: row.decided_at, reverse=True)
    return render("review/history.html", rows=rows[:HISTORY_ROWS])


@bp.post("/<int:submission_id>/claim")
@roles_required("assessor")
def claim(submission_id: int):
    db = get_session()
    hours = current_app.config["SETTINGS"].review_lease_hours
    service.claim(
        session=db, assessor=require_user(), submission_id=submission_id, lease_hours=hours
    )
    db.commit()
    flash(f"It's yours to review: held for you for {hours} hours.", "success")
    return _see_other(url_for("review.show", submission_id=submission_id))


@bp.get("/<int:submission_id>")
@roles_required("assessor")
def show(submission_id: int):
    review = service.review_page(
        session=get_session(),
        viewer=require_user(),
        submission_id=submission_id,
        blind_key=_blind_key(),
    )
    return render("review/show.html", review=review, values=None, errors={})


@bp.post("/<int:submission_id>/decide")
@roles_required("assessor")
def decide(submission_id: int):
    db, user = get_session(), require_user()
    values = _form_values(request.form)
    try:
        service.decide(
            session=db,
            assessor=user,
            submission_id=submission_id,
            decision=values["decision"],
            scores=values["scores"],
            feedback=values["feedback"],
        )
    except service.DecisionInvalid as err:
        db.rollback()
        review = service.review_page(
            session=db, viewer=user, submission_id=submission_id, blind_key=_blind_key()
        )
        return render(
            "review/show.html",
            "review/_rubric_form.html",
            status=422,
            review=review,
            values=values,
            errors=err.errors,
        )
    db.commit()
    flash("Decision saved.", "success")
    return _see_other(url_for("review.queue"))


def _form_values(form) -> dict:
    """The rubric form as the service wants it, and as the form re-renders it."""
    met: dict[int, str] = {}
    comments: dict[int, str] = {}
    for key, value in form.items():
        match = SCORE_FIELD.match(key)
        criterion_id = parse_id(match[2]) if match else None
        if match and criterion_id is not None:
            target = met if match[1] == "met" else comments
            target[criterion_id] = value
    scores = {
        cid: (MET_CHOICES.get(met.get(cid, "")), comments.get(cid, ""))
        for cid in met.keys() | comments.keys()
    }
    return {
        "decision": form.get("decision", ""),
        "feedback": form.get("feedback", ""),
        "met": met,
        "comments": comments,
        "scores": scores,
    }


def _see_other(url: str):
    """303 after a POST; an htmx request gets HX-Redirect so the whole page changes."""
    if wants_fragment():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, 303)
