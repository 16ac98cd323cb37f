"""The admin home: the district's recent admin actions and the way to each admin tool."""

from __future__ import annotations

from server.admin import audit, bp
from server.admin.guards import admin_district
from server.auth.session import require_user
from server.db import get_session
from server.htmx import render


@bp.get("")
def home():
    db = get_session()
    org = admin_district(session=db, user=require_user())
    return render("admin/home.html", org=org, entries=audit.recent(session=db, org=org))
