"""Submissions routes: start a credential, the attempt page (edit a draft or read it),
submit, try again after "not yet", and the person's own list of attempts."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Blueprint, current_app, flash, redirect, request, url_for

from server.auth.session import current_user, login_required, require_user
from server.db import get_session
from server.errors import InvalidInput
from server.htmx import render
from server.models import new_uuid
from server.submissions import pages, queries, service

bp = Blueprint("submissions", __name__)
CONSENT_VALUES = {"on", "yes", "true", "1"}


@bp.app_context_processor
def _template_helpers():
    return {"latest_attempt_for": _latest_attempt_for, "new_client_uuid": new_uuid,
            "status_label": queries.status_label, "kind_noun": queries.kind_noun}


def _latest_attempt_for(credential):
    """For the credential page's start button: this person's newest attempt, if any."""
    user = current_user()
    if user is None or credential is None:
        return None
    return queries.latest_attempt(session=get_session(), user_id=user.id,
                                  credential_id=credential.id)


@bp.app_template_filter("attempt_date")
def local_date(value: datetime | None) -> str:
    return _local(value).strftime("%-d %b %Y") if value else ""


@bp.app_template_filter("saved_time")
def local_time(value: datetime | None) -> str:
    return _local(value).strftime("%H:%M") if value else ""


def _local(value: datetime) -> datetime:
    user = current_user()
    try:
        zone = ZoneInfo(user.timezone if user else "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return value.astimezone(zone)


@bp.post("/credentials/<slug>/start")
@login_required
def start(slug: str):
    session = get_session()
    result = service.start(session=session, user=require_user(), credential_slug=slug)
    session.commit()
    if result.notice:
        flash(result.notice, "info")
    return redirect(url_for(".show", id=result.submission.id), 303)


@bp.get("/submissions/<int:id>")
@login_required
def show(id: int):
    return render_attempt_page(id)


def render_attempt_page(id: int, *, status: int = 200, submit_error: InvalidInput | None = None,
                        part_errors: dict[int | None, str] | None = None):
    """The attempt page; with a refused form, again at 4xx with the message in place."""
    session = get_session()
    user = require_user()
    submission = service.get_visible(session=session, submission_id=id, user=user)
    page = pages.submission_page(session=session, submission=submission, viewer=user,
                                 blind_key=current_app.config["SECRET_KEY"])
    return render("submissions/show.html", status=status, view=page, submission=submission,
                  submit_error=submit_error, part_errors=part_errors or {})


@bp.post("/submissions/<int:id>/submit")
@login_required
def submit(id: int):
    session = get_session()
    consent = request.form.get("consent", "").lower() in CONSENT_VALUES
    try:
        service.submit(session=session, submission_id=id, user=require_user(),
                       consent=consent)
    except InvalidInput as err:
        session.rollback()
        return render_attempt_page(id, status=422, submit_error=err)
    session.commit()
    flash("Submitted. An assessor will review it, and we'll let you know the outcome.",
          "success")
    return redirect(url_for(".show", id=id), 303)


@bp.post("/submissions/<int:id>/retry")
@login_required
def retry(id: int):
    session = get_session()
    attempt = service.retry(session=session, submission_id=id, user=require_user())
    session.commit()
    flash(f"Attempt {attempt.attempt} started from your last one. The assessor's feedback "
          "is beside the rubric.", "info")
    return redirect(url_for(".show", id=attempt.id), 303)


@bp.get("/me/credentials")
@login_required
def mine():
    groups = queries.my_credentials(session=get_session(), user_id=require_user().id)
    return render("submissions/mine.html", groups=groups)
