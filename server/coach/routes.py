"""Coach pages: my cohorts, a cohort's progress dashboard, nudges. Members and invite
links are in member_views.py, on the same blueprint."""

from __future__ import annotations

import logging

from flask import flash, redirect, request, url_for

from server.auth.session import require_user, roles_required
from server.coach import bp, nudges, progress, service
from server.coach.progress_filters import FILTERS
from server.coach.progress_grid import Dashboard, MemberRow
from server.db import get_session
from server.errors import InvalidInput
from server.htmx import render, wants_fragment
from server.ids import parse_ids, parse_int
from server.models import User

log = logging.getLogger(__name__)

coach_only = roles_required("coach")  # admins always pass
TEMPLATE_FOR_FILTER = {"not_yet_idle": "not_yet", "draft_idle": "draft"}  # else: fitted


@bp.get("/cohorts")
@coach_only
def cohorts():
    user = require_user()
    return render(
        "coach/cohorts.html", cohorts=service.cohorts_for(session=get_session(), user=user)
    )


@bp.post("/cohorts")
@coach_only
def create_cohort():
    db = get_session()
    user = require_user()
    try:
        cohort = service.create_cohort(session=db, coach=user, name=request.form.get("name", ""))
    except InvalidInput as err:
        return render(
            "coach/cohorts.html",
            status=422,
            name_error=err.message,
            name=request.form.get("name", ""),
            cohorts=service.cohorts_for(session=db, user=user),
        )
    db.commit()
    flash(f"Cohort “{cohort.name}” created. Add its members next.", "success")
    return redirect(url_for("coach.members", cohort_id=cohort.id), 303)


@bp.get("/cohorts/<int:cohort_id>")
@coach_only
def cohort(cohort_id: int):
    db = get_session()
    the_cohort = service.cohort_for(session=db, user=require_user(), cohort_id=cohort_id)
    board = _board(the_cohort)
    template = TEMPLATE_FOR_FILTER.get(board.active_filter, nudges.FIT)
    return render(
        "coach/cohort.html",
        "coach/_progress.html",
        cohort=the_cohort,
        board=board,
        filters=FILTERS,
        **_message_field(board.rows, template),
    )


def _board(cohort) -> Dashboard:
    """The page of the grid the query string asks for (?filter=, ?page=)."""
    page = parse_int(request.args.get("page", "1"), low=1, high=progress.MAX_PAGES)
    if page is None:
        raise InvalidInput("That page of the cohort doesn't exist: choose page 1 or a later one.")
    board = progress.dashboard(
        session=get_session(),
        cohort=cohort,
        filter_name=request.args.get("filter", "all"),
        page=page,
        per_page=progress.PAGE_SIZE,
    )
    if page > 1 and not board.rows:
        last = max(1, -(-board.counts[board.active_filter] // progress.PAGE_SIZE))
        raise InvalidInput(
            f"That page of the cohort doesn't exist: this list has {last} "
            f"page{'s' if last != 1 else ''}."
        )
    return board


def _message_field(rows: list[MemberRow], template: str) -> dict:
    """What the nudge form's message part shows for the chosen template: with the fitted
    one, who on this page gets which message; else the template's text to edit."""
    fits: dict[str, list[str]] = {}
    if template == nudges.FIT:
        for row in rows:
            fits.setdefault(row.nudge_template, []).append(row.user.display_name)
    return {
        "templates": nudges.TEMPLATES,
        "fit_label": nudges.FIT_LABEL,
        "chosen_template": template,
        "fits": fits,
        "message": nudges.template_text(template),
    }


@bp.get("/cohorts/<int:cohort_id>/nudge-message")
@coach_only
def nudge_message(cohort_id: int):
    the_cohort = service.cohort_for(session=get_session(), user=require_user(), cohort_id=cohort_id)
    template = request.args.get("template", nudges.FIT)
    rows = _board(the_cohort).rows if template == nudges.FIT else []
    return render("coach/_nudge_message.html", **_message_field(rows, template))


@bp.get("/cohorts/<int:cohort_id>/members/<int:user_id>/nudges")
@coach_only
def nudge_history(cohort_id: int, user_id: int):
    db = get_session()
    the_cohort = service.cohort_for(session=db, user=require_user(), cohort_id=cohort_id)
    sent = nudges.history(session=db, cohort=the_cohort, member_id=user_id)
    member = db.get(User, user_id)
    return render("coach/member_nudges.html", cohort=the_cohort, member=member, nudges=sent)


@bp.post("/cohorts/<int:cohort_id>/nudges")
@coach_only
def nudge(cohort_id: int):
    db = get_session()
    user = require_user()
    the_cohort = service.cohort_for(session=db, user=user, cohort_id=cohort_id)
    page = parse_int(request.form.get("page", "1"), low=2, high=progress.MAX_PAGES)
    back = url_for(
        "coach.cohort", cohort_id=cohort_id, filter=request.form.get("filter") or None, page=page
    )
    try:
        member_ids = parse_ids(request.form.getlist("member_ids"))
        fitted = None
        if request.form.get("template") == nudges.FIT:
            fitted = nudges.fitted_messages(
                progress.fitting_templates(session=db, cohort=the_cohort, member_ids=member_ids)
            )
        report = nudges.nudge_members(
            session=db,
            coach=user,
            cohort=the_cohort,
            member_ids=member_ids,
            message=request.form.get("message", ""),
            messages=fitted,
        )
    except InvalidInput as err:
        if wants_fragment():
            return render("coach/_nudge_report.html", status=422, error=err.message)
        flash(err.message, "error")
        return redirect(back, 303)
    db.commit()
    if wants_fragment():
        return render("coach/_nudge_report.html", report=report)
    flash(_report_sentence(report), "success")
    return redirect(back, 303)


def _report_sentence(report: nudges.NudgeReport) -> str:
    parts = []
    if report.sent:
        parts.append(f"Nudged {', '.join(report.sent)}.")
    if report.delayed:
        parts.append(
            "In quiet hours, arriving in their morning: "
            + ", ".join(f"{name} ({when})" for name, when in report.delayed)
            + "."
        )
    if report.already:
        parts.append(f"Already nudged today, not sent: {', '.join(report.already)}.")
    return " ".join(parts)
