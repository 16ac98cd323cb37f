"""The public badge profile page: a teacher's public awards, for anyone."""

from __future__ import annotations

from server.badges import bp, issuing, profile
from server.badges.urls import BadgeUrls
from server.db import get_session
from server.htmx import render


@bp.get("/badges/people/<slug>")
def person(slug: str):
    view = profile.public_profile(session=get_session(), slug=slug)
    urls = BadgeUrls(issuing.current().public_url)
    return render("badges/profile.html", view=view, page_url=urls.profile(slug), urls=urls)
