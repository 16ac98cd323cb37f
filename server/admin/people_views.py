"""The district's people: list and search, switch an account off (after a confirmation)
or on, and a one-time device link for someone who lost every passkey (shown once)."""

from __future__ import annotations

from datetime import timedelta

from flask import flash, redirect, request, url_for

from server.admin import bp, people
from server.admin.guards import admin_district
from server.auth.session import require_user, reveal_once, session_store, take_revealed
from server.auth.sessions import ADMIN_LINK
from server.auth.view_helpers import link_url
from server.db import get_session
from server.htmx import render
from server.ids import parse_int
from server.models import utcnow
from server.qr import qr_svg


def _person(user_id: int):
    admin = require_user()
    db = get_session()
    org = admin_district(session=db, user=admin)
    return db, org, admin, people.person_of(session=db, org=org, user_id=user_id)


@bp.get("/people")
def people_list():
    admin = require_user()
    db = get_session()
    org = admin_district(session=db, user=admin)
    page = people.people_page(
        session=db,
        org=org,
        query=request.args.get("q", ""),
        page=parse_int(request.args.get("page"), low=1, high=100_000) or 1,
    )
    return render("admin/people.html", org=org, admin=admin, listing=page)


@bp.get("/people/<int:user_id>/deactivate")
def confirm_deactivate(user_id: int):
    _, org, admin, person = _person(user_id)
    return render("admin/person_deactivate.html", org=org, admin=admin, person=person)


@bp.post("/people/<int:user_id>/deactivate")
def deactivate(user_id: int):
    db, org, admin, person = _person(user_id)
    people.deactivate(session=db, org=org, admin=admin, person=person, sessions=session_store())
    flash(f"{person.display_name} is switched off and signed out everywhere.", "success")
    return redirect(url_for("admin.people_list"), 303)


@bp.post("/people/<int:user_id>/reactivate")
def reactivate(user_id: int):
    db, org, admin, person = _person(user_id)
    people.reactivate(session=db, org=org, admin=admin, person=person)
    flash(f"{person.display_name} can sign in again.", "success")
    return redirect(url_for("admin.people_list"), 303)


@bp.post("/people/<int:user_id>/device-link")
def make_device_link(user_id: int):
    db, org, admin, person = _person(user_id)
    token = people.new_device_link(session=db, org=org, admin=admin, person=person)
    expires = utcnow() + timedelta(hours=people.DEVICE_LINK_HOURS)
    kept = {"token": token, "name": person.display_name, "expires": expires.isoformat()}
    reveal_once(ADMIN_LINK, kept, ttl_seconds=900)
    return redirect(url_for("admin.show_device_link"), 303)


@bp.get("/people/device-link")
def show_device_link():
    org = admin_district(session=get_session(), user=require_user())
    kept = take_revealed(ADMIN_LINK)
    if not isinstance(kept, dict):
        flash("A link is shown only once, and that one was shown already.", "warning")
        return redirect(url_for("admin.people_list"), 303)
    url = link_url(kept["token"])
    return render(
        "admin/person_link.html",
        org=org,
        name=kept["name"],
        url=url,
        qr=qr_svg(url),
        hours=people.DEVICE_LINK_HOURS,
    )
