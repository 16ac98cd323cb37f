"""Submissions routes: start a credential, the attempt page (edit a draft or read it),
submit, try again after "not yet", and the person's own list of attempts."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, request, url_for

from server.auth.session import login_required, require_user
from server.badges.profile import my_profile_link
from server.db import get_session
from server.errors import InvalidInput
from server.htmx import render
from server.submissions import bp, pages, queries, service

CONSENT_VALUES = {"on", "yes", "true", "1"}


@bp.post("/credentials/<slug>/start")
@login_required
def start(slug: str):
    db = get_session()
    result = service.start(session=db, user=require_user(), credential_slug=slug)
    db.commit()
    if result.notice:
        flash(result.notice, "info")
    return redirect(url_for(".show", id=result.submission.id), 303)


@bp.get("/submissions/<int:id>")
@login_required
def show(id: int):
    return render_attempt_page(id)


def render_attempt_page(
    id: int,
    *,
    status: int = 200,
    submit_error: InvalidInput | None = None,
    part_errors: dict[int | None, str] | None = None,
    **context: Any,
):
    """The attempt page; with a refused form, again at 4xx with the message in place."""
    db = get_session()
    user = require_user()
    submission = service.get_visible(session=db, submission_id=id, user=user)
    page = pages.submission_page(
        session=db, submission=submission, viewer=user, blind_key=current_app.config["SECRET_KEY"]
    )
    return render(
        "submissions/show.html",
        status=status,
        view=page,
        submission=submission,
        submit_error=submit_error,
        part_errors=part_errors or {},
        **context,
    )


@bp.post("/submissions/<int:id>/submit")
@login_required
def submit(id: int):
    db = get_session()
    consent = request.form.get("consent", "").lower() in CONSENT_VALUES
    try:
        service.submit(session=db, submission_id=id, user=require_user(), consent=consent)
    except InvalidInput as err:
        db.rollback()
        return render_attempt_page(id, status=422, submit_error=err)
    db.commit()
    flash("Submitted. An assessor will review it, and we'll let you know the outcome.", "success")
    return redirect(url_for(".show", id=id), 303)


@bp.post("/submissions/<int:id>/retry")
@login_required
def retry(id: int):
    db = get_session()
    attempt = service.retry(session=db, submission_id=id, user=require_user())
    db.commit()
    flash(
        f"Attempt {attempt.attempt} started from your last one. The assessor's feedback "
        "is beside the rubric.",
        "info",
    )
    return redirect(url_for(".show", id=attempt.id), 303)


@bp.get("/me/credentials")
@login_required
def mine():
    db, user = get_session(), require_user()
    groups = queries.my_credentials(session=db, user_id=user.id)
    return render(
        "submissions/mine.html", groups=groups, profile_url=my_profile_link(session=db, user=user)
    )
