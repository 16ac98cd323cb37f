"""One evidence part of an attempt as the fragment that replaces itself: the draft page's
script asks for it after each upload, and removing an item answers with it, so a part
offers its picker again as soon as it has room (and stops once it is full)."""

from __future__ import annotations

from flask import current_app, redirect, url_for

from server.auth.session import login_required, require_user
from server.db import get_session
from server.errors import NotFound
from server.evidence import bp
from server.htmx import render, wants_fragment
from server.submissions import pages
from server.submissions import service as submissions


@bp.get("/submissions/<int:id>/parts/<int:req_id>")
@login_required
def part(id: int, req_id: int):
    if not wants_fragment():
        # The same check as the fragment's before saying where the page is.
        submissions.get_visible(session=get_session(), submission_id=id, user=require_user())
        return redirect(url_for("submissions.show", id=id, _anchor=f"req-{req_id}"), 303)
    return render_part(id, req_id)


def render_part(submission_id: int, requirement_id: int, *, status: int = 200):
    db, user = get_session(), require_user()
    submission = submissions.get_visible(session=db, submission_id=submission_id, user=user)
    page = pages.submission_page(
        session=db, submission=submission, viewer=user, blind_key=current_app.config["SECRET_KEY"]
    )
    found = next((p for p in page.parts if p.requirement.id == requirement_id), None)
    if found is None:
        raise NotFound("We couldn't find that part of the evidence.")
    return render(
        "evidence/_requirement.html",
        status=status,
        view=page,
        submission=submission,
        part=found,
        part_errors={},
    )
