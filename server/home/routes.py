"""/home: what is next for the signed-in person. `/` shows the same page to anyone signed
in (catalog.home calls home_page); the installed app and sign-in land on /home."""

from __future__ import annotations

from server.auth.session import login_required, require_user
from server.db import get_session
from server.home import bp, service
from server.htmx import render


def home_page():
    user = require_user()
    return render(
        "home/home.html",
        home=service.build(session=get_session(), user=user),
        max_names=service.MAX_STALLED_NAMES,
    )


@bp.get("/home")
@login_required
def home():
    return home_page()
