"""Asking for a second opinion after "not yet" (the rules are in server/review/appeals.py)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for

from server.auth.session import login_required, require_user
from server.db import get_session
from server.errors import InvalidInput
from server.review import appeals
from server.submissions import bp, service
from server.submissions.routes import render_attempt_page


@bp.post("/submissions/<int:id>/appeal")
@login_required
def appeal(id: int):
    db, user = get_session(), require_user()
    submission = service.get_owned(session=db, submission_id=id, user=user)
    reason = request.form.get("reason", "")
    try:
        appeals.file_appeal(session=db, submission=submission, user=user, reason=reason)
    except InvalidInput as err:
        db.rollback()
        return render_attempt_page(id, status=422, appeal_error=err, appeal_reason=reason)
    db.commit()
    flash(
        "Asked for a second opinion. Another assessor will look at this attempt afresh; "
        "we'll let you know their decision, which is final.",
        "success",
    )
    return redirect(url_for(".show", id=id), 303)
