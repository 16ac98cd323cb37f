"""/admin/roles (who holds which role, find a person) and /admin/people/<id>/roles (one
person's roles and the stacks they review)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for

from server.admin import bp, roles
from server.admin.forms import FormInvalid
from server.admin.guards import admin_district
from server.auth.session import require_user
from server.db import get_session
from server.htmx import render


@bp.get("/roles")
def roles_page():
    db = get_session()
    org = admin_district(session=db, user=require_user())
    text = request.args.get("q", "")
    return render(
        "admin/roles.html",
        org=org,
        holders=roles.holders(session=db, org=org),
        query=text,
        found=roles.search(session=db, org=org, text=text),
    )


def _person_page(db, org, person, *, choices, errors=None, status: int = 200):
    return render(
        "admin/person_roles.html",
        org=org,
        person=person,
        choices=choices,
        stacks=roles.stacks(session=db),
        cohorts=roles.coached_cohorts(session=db, person=person),
        errors=errors or {},
        status=status,
    )


@bp.get("/people/<int:user_id>/roles")
def person_roles(user_id: int):
    db = get_session()
    org = admin_district(session=db, user=require_user())
    person = roles.person_in_district(session=db, org=org, user_id=user_id)
    return _person_page(db, org, person, choices=roles.current(session=db, person=person))


@bp.post("/people/<int:user_id>/roles")
def save_person_roles(user_id: int):
    db, admin = get_session(), require_user()
    org = admin_district(session=db, user=admin)
    person = roles.person_in_district(session=db, org=org, user_id=user_id)
    ticked = (request.form.getlist("roles"), request.form.getlist("stacks"))
    known = {stack.id for stack in roles.stacks(session=db)}
    leads = request.form.getlist("leads")
    try:
        choices = roles.parse(*ticked, known, leads)
        done = roles.save(session=db, org=org, actor=admin, person=person, choices=choices)
    except FormInvalid as err:
        db.rollback()  # nothing was written; this ends the admin-row lock
        shown = roles.as_ticked(*ticked, known, leads)
        return _person_page(db, org, person, choices=shown, errors=err.errors, status=422)
    db.commit()
    flash(f"Saved {person.display_name}'s roles." if done else "Nothing changed.", "success")
    return redirect(url_for("admin.person_roles", user_id=person.id), 303)
