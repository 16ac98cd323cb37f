"""/admin/settings: the district's settings form, and recomputing its point totals."""

from __future__ import annotations

from flask import flash, redirect, request, url_for

from server.admin import bp, settings
from server.admin.forms import FormInvalid
from server.admin.guards import admin_district
from server.auth.session import require_user
from server.db import get_session
from server.game import levels, rules, values
from server.game.profile import VISIBILITY_CHOICES
from server.htmx import render
from server.review.modes import MODE_LABELS


def _page(org, *, choices, form=None, errors=None, status: int = 200):
    return render(
        "admin/settings.html",
        org=org,
        choices=choices,
        form=form,
        errors=errors or {},
        point_rules=[(rule.name, rules.label_for(rule.name)) for rule in values.DISTRICT_RULES],
        defaults=values.defaults(),
        level_names=levels.NAMES,
        visibility_choices=VISIBILITY_CHOICES,
        scoring_modes=MODE_LABELS,
        status=status,
    )


@bp.get("/settings")
def settings_page():
    db = get_session()
    org = admin_district(session=db, user=require_user())
    return _page(org, choices=settings.current(session=db, org=org))


@bp.post("/settings")
def save_settings():
    db, admin = get_session(), require_user()
    org = admin_district(session=db, user=admin)
    try:
        choices = settings.parse(request.form)
    except FormInvalid as err:
        current = settings.current(session=db, org=org)
        return _page(org, choices=current, form=request.form, errors=err.errors, status=422)
    changed = settings.save(session=db, org=org, actor=admin, choices=choices)
    db.commit()
    flash("Settings saved; they apply now." if changed else "Nothing changed.", "success")
    return redirect(url_for("admin.settings_page"), 303)


@bp.post("/settings/recompute-totals")
def recompute_totals():
    db, admin = get_session(), require_user()
    org = admin_district(session=db, user=admin)
    report = settings.recompute_totals(session=db, org=org, actor=admin)
    db.commit()
    flash(
        f"Recomputed {report.users} people's totals from {report.events} ledger rows; "
        f"{report.corrected_users} corrected.",
        "success",
    )
    return redirect(url_for("admin.settings_page"), 303)
