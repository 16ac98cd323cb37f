"""Cohort members: search and add, paste a list, remove, and the invite link teachers
use to join. Registered on the coach blueprint by coach/routes.py."""

from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for

from server.auth.session import login_required, require_user
from server.coach import service
from server.coach.routes import bp, coach_only
from server.db import get_session
from server.errors import InvalidInput
from server.htmx import render, wants_fragment
from server.ids import arg_id


def _invite_url(cohort) -> str:
    settings = current_app.config["SETTINGS"]
    return settings.public_url.rstrip("/") + url_for("coach.join", code=cohort.invite_code)


def _members_page(cohort, status: int = 200, **extra):
    db = get_session()
    query = request.args.get("q", "")
    return render("coach/members.html", status=status, cohort=cohort, query=query,
                  members=service.members(session=db, cohort=cohort),
                  results=service.search_people(session=db, cohort=cohort, query=query),
                  invite_url=_invite_url(cohort), **extra)


@bp.get("/cohorts/<int:cohort_id>/members")
@coach_only
def members(cohort_id: int):
    db = get_session()
    cohort = service.cohort_for(session=db, user=require_user(), cohort_id=cohort_id)
    if wants_fragment():  # the search box asks as you type
        query = request.args.get("q", "")
        return render("coach/_search_results.html", cohort=cohort, query=query,
                      results=service.search_people(session=db, cohort=cohort, query=query))
    return _members_page(cohort)


@bp.post("/cohorts/<int:cohort_id>/members")
@coach_only
def add_members(cohort_id: int):
    db = get_session()
    cohort = service.cohort_for(session=db, user=require_user(), cohort_id=cohort_id)
    user_id = arg_id(request.form, "user_id")
    if user_id is not None:
        return _add_one(cohort, user_id)
    try:
        report = service.add_from_list(session=db, cohort=cohort,
                                       text=request.form.get("people", ""))
    except InvalidInput as err:
        if wants_fragment():
            return render("coach/_add_report.html", status=422, error=err.message)
        return _members_page(cohort, status=422, people_error=err.message,
                             people=request.form.get("people", ""))
    db.commit()
    if wants_fragment():
        return render("coach/_add_report.html", report=report, cohort=cohort,
                      members=service.members(session=db, cohort=cohort))
    flash(f"Added {len(report.added)}; already members {len(report.already)}; "
          f"not found {len(report.not_found)}"
          + (f": {', '.join(report.not_found)}." if report.not_found else "."), "success")
    return redirect(url_for("coach.members", cohort_id=cohort.id), 303)


def _add_one(cohort, user_id: int):
    db = get_session()
    person = service.add_member(session=db, cohort=cohort, user_id=user_id)
    db.commit()
    if wants_fragment():
        return render("coach/_search_added.html", person=person, cohort=cohort,
                      members=service.members(session=db, cohort=cohort))
    flash(f"{person.display_name} joined {cohort.name}.", "success")
    return redirect(url_for("coach.members", cohort_id=cohort.id), 303)


@bp.post("/cohorts/<int:cohort_id>/members/<int:user_id>/remove")
@coach_only
def remove_member(cohort_id: int, user_id: int):
    db = get_session()
    cohort = service.cohort_for(session=db, user=require_user(), cohort_id=cohort_id)
    service.remove_member(session=db, cohort=cohort, user_id=user_id)
    db.commit()
    if wants_fragment():
        return render("coach/_member_list.html", cohort=cohort, announce="Member removed.",
                      members=service.members(session=db, cohort=cohort))
    flash("Member removed from the cohort.", "success")
    return redirect(url_for("coach.members", cohort_id=cohort.id), 303)


@bp.get("/join/<code>")
@login_required
def join(code: str):
    db = get_session()
    cohort = service.cohort_by_invite(session=db, code=code)
    return render("coach/join.html", cohort=cohort,
                  coach=service.coach_name(session=db, cohort=cohort))


@bp.post("/join/<code>")
@login_required
def join_confirm(code: str):
    db = get_session()
    cohort = service.cohort_by_invite(session=db, code=code)
    joined = service.join(session=db, cohort=cohort, user=require_user())
    db.commit()
    flash(f"You joined {cohort.name}." if joined else f"You're already in {cohort.name}.",
          "success")
    return redirect(url_for("catalog.home"), 303)
