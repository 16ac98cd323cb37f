"""Cohort members: invite by search or a pasted list, remove, the invite link teachers
use to join, and each person's own "My cohorts" page (accept, decline, leave).
Registered on the coach blueprint by coach/routes.py."""

from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for

from server.auth.session import login_required, require_user
from server.coach import bp, invitations, service
from server.coach.routes import coach_only
from server.db import get_session
from server.errors import InvalidInput
from server.htmx import render, wants_fragment
from server.ids import arg_id

ADDED_SENTENCE = {
    service.INVITED: "{name} is invited: they join once they accept.",
    service.ACTIVE: "{name} is already a member.",
    service.LEFT: "{name} declined or left this cohort; they can still join with the link.",
}


def _invite_url(cohort) -> str:
    settings = current_app.config["SETTINGS"]
    return settings.public_url.rstrip("/") + url_for("coach.join", code=cohort.invite_code)


def _member_lists(cohort) -> dict:
    db = get_session()
    return {
        "members": service.members(session=db, cohort=cohort),
        "invited": service.members(session=db, cohort=cohort, status=service.INVITED),
    }


def _members_page(cohort, status: int = 200, **extra):
    db = get_session()
    query = request.args.get("q", "")
    return render(
        "coach/members.html",
        status=status,
        cohort=cohort,
        query=query,
        results=service.search_people(session=db, cohort=cohort, by=require_user(), query=query),
        invite_url=_invite_url(cohort),
        **_member_lists(cohort),
        **extra,
    )


@bp.get("/cohorts/<int:cohort_id>/members")
@coach_only
def members(cohort_id: int):
    db = get_session()
    cohort = service.cohort_for(session=db, user=require_user(), cohort_id=cohort_id)
    if wants_fragment():  # the search box asks as you type
        query = request.args.get("q", "")
        return render(
            "coach/_search_results.html",
            cohort=cohort,
            query=query,
            results=service.search_people(
                session=db, cohort=cohort, by=require_user(), query=query
            ),
        )
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
        report = service.invite_from_list(
            session=db, cohort=cohort, by=require_user(), text=request.form.get("people", "")
        )
    except InvalidInput as err:
        if wants_fragment():
            return render("coach/_add_report.html", status=422, error=err.message)
        return _members_page(
            cohort, status=422, people_error=err.message, people=request.form.get("people", "")
        )
    db.commit()
    if wants_fragment():
        return render(
            "coach/_add_report.html", report=report, cohort=cohort, **_member_lists(cohort)
        )
    flash(
        f"Invitation sent to each of these who has an account in your district: "
        f"{', '.join(report.invited) or 'nobody'}. Already members: "
        f"{len(report.already)}.",
        "success",
    )
    return redirect(url_for("coach.members", cohort_id=cohort.id), 303)


def _add_one(cohort, user_id: int):
    db = get_session()
    person, status = service.invite_member(
        session=db, cohort=cohort, by=require_user(), user_id=user_id
    )
    db.commit()
    if wants_fragment():
        return render(
            "coach/_search_added.html",
            person=person,
            cohort=cohort,
            added_as=status,
            **_member_lists(cohort),
        )
    flash(ADDED_SENTENCE[status].format(name=person.display_name), "success")
    return redirect(url_for("coach.members", cohort_id=cohort.id), 303)


@bp.post("/cohorts/<int:cohort_id>/members/<int:user_id>/remove")
@coach_only
def remove_member(cohort_id: int, user_id: int):
    db = get_session()
    cohort = service.cohort_for(session=db, user=require_user(), cohort_id=cohort_id)
    service.remove_member(session=db, cohort=cohort, user_id=user_id)
    db.commit()
    if wants_fragment():
        return render(
            "coach/_member_list.html",
            cohort=cohort,
            announce="Member removed.",
            **_member_lists(cohort),
        )
    flash("Member removed from the cohort.", "success")
    return redirect(url_for("coach.members", cohort_id=cohort.id), 303)


@bp.get("/join/<code>")
@login_required
def join(code: str):
    db = get_session()
    cohort = service.cohort_by_invite(session=db, code=code)
    return render(
        "coach/join.html", cohort=cohort, coach=service.coach_name(session=db, cohort=cohort)
    )


@bp.post("/join/<code>")
@login_required
def join_confirm(code: str):
    db = get_session()
    cohort = service.cohort_by_invite(session=db, code=code)
    joined = service.join(session=db, cohort=cohort, user=require_user())
    db.commit()
    flash(
        f"You joined {cohort.name}." if joined else f"You're already in {cohort.name}.", "success"
    )
    return redirect(url_for("catalog.home"), 303)


@bp.get("/my-cohorts")
@login_required
def my_cohorts():
    return render(
        "coach/my_cohorts.html",
        mine=invitations.my_cohorts(session=get_session(), user=require_user()),
    )


ANSWERS = {  # how a person answers for themselves; "leave" also declines an invitation
    "accept": (invitations.accept, "You joined {name}."),
    "leave": (invitations.leave, "You're no longer in {name}; its coach no longer sees your work."),
}


@bp.post("/my-cohorts/<int:cohort_id>/<any(accept, leave):answer>")
@login_required
def answer_cohort(cohort_id: int, answer: str):
    db = get_session()
    act, sentence = ANSWERS[answer]
    cohort = act(session=db, user=require_user(), cohort_id=cohort_id)
    db.commit()
    flash(sentence.format(name=cohort.name), "success")
    return redirect(url_for("coach.my_cohorts"), 303)
