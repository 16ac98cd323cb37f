"""Deleting one's own evidence: every item of a decided attempt, or everything the
teacher owns (attempts waiting for review excepted). Each asks first on its own page;
registered on the evidence blueprint.

GET/POST /submissions/<id>/evidence/erase   the owner, once the attempt is decided
GET/POST /me/evidence/erase                 any signed-in person, for their own evidence
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from sqlmodel import select

from server.auth.session import login_required, require_user
from server.db import get_session
from server.evidence import blobs, bp, current, erase
from server.htmx import render
from server.models import AWAITING_REVIEW, Submission
from server.submissions import queries

CONFIRM_WORD = "delete"


@bp.get("/submissions/<int:id>/evidence/erase")
@login_required
def erase_attempt_confirm(id: int):
    submission = erase.erasable_attempt(
        session=get_session(), user=require_user(), submission_id=id
    )
    items = queries.items_for(session=get_session(), submission_id=id)
    return render("evidence/erase_attempt.html", submission=submission, item_count=len(items))


@bp.post("/submissions/<int:id>/evidence/erase")
@login_required
def erase_attempt(id: int):
    _commit_then_delete(
        erase.erase_attempt(session=get_session(), user=require_user(), submission_id=id)
    )
    flash("The evidence of this attempt is deleted. Its outcome and feedback stay.", "success")
    return redirect(url_for("submissions.show", id=id), 303)


@bp.get("/me/evidence/erase")
@login_required
def erase_mine_confirm():
    return _confirm_page(status=200, error=None)


@bp.post("/me/evidence/erase")
@login_required
def erase_mine():
    if request.form.get("confirm", "").strip().lower() != CONFIRM_WORD:
        return _confirm_page(status=422, error=f"Type “{CONFIRM_WORD}” to confirm.")
    result = erase.erase_all_of(session=get_session(), user=require_user())
    _commit_then_delete(result.keys)
    waiting = (
        f" {result.waiting} attempt(s) waiting for review kept theirs; delete it "
        "once they are decided."
        if result.waiting
        else ""
    )
    flash(
        f"Your evidence is deleted from {result.attempts} attempt(s). Your credentials, "
        f"points and feedback stay.{waiting}",
        "success",
    )
    return redirect(url_for("submissions.mine"), 303)


def _commit_then_delete(keys: list[str]) -> None:
    # Files only once their rows are gone for good: a failed commit loses nothing.
    get_session().commit()
    blobs.delete_blobs(current.storage(), keys)


def _confirm_page(*, status: int, error: str | None):
    user = require_user()
    statuses = (
        get_session().exec(select(Submission.status).where(Submission.user_id == user.id)).all()
    )
    waiting = sum(1 for status_ in statuses if status_ in AWAITING_REVIEW)
    return render(
        "evidence/erase_mine.html",
        status=status,
        error=error,
        attempts=len(statuses) - waiting,
        waiting=waiting,
        confirm_word=CONFIRM_WORD,
    )
