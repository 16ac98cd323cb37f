"""Scoring drafts' routes (server/review/drafts.py): the rubric form's "Save draft" button
posts the form here (without JS: 303 back to the form, restored; with htmx: a debounced
autosave that answers with the status line), and scripts may PUT the draft as JSON or GET
it back. Only the assessor whose claim it is gets anywhere."""

from __future__ import annotations

from flask import flash, jsonify, make_response, redirect, render_template, request, url_for

from server.auth.session import require_user, roles_required
from server.db import get_session
from server.errors import ChalkmarkError
from server.htmx import wants_fragment
from server.jsonapi import Object, Schema, Text, error_for, no_store, read_json, wants_json
from server.review import bp, drafts
from server.review.decide import FEEDBACK_LIMIT
from server.review.routes import _form_values

DRAFT_JSON = Schema(scores=Object(), feedback=Text(FEEDBACK_LIMIT))


@bp.post("/<int:submission_id>/draft")
@roles_required("assessor")
def save_draft(submission_id: int):
    db = get_session()
    try:
        if request.is_json:
            data = read_json(DRAFT_JSON)
        else:
            values = _form_values(request.form)
            data = {
                "scores": {
                    str(cid): {"met": values["met"].get(cid, ""), "comment": comment or ""}
                    for cid, (_, comment) in values["scores"].items()
                },
                "feedback": values["feedback"],
            }
        draft = drafts.save(
            session=db, viewer=require_user(), submission_id=submission_id, data=data
        )
    except ChalkmarkError as err:
        db.rollback()
        return _refusal(err)
    db.commit()
    if wants_json():
        return no_store(jsonify(_body(draft)))
    if wants_fragment():
        return render_template("review/_draft_status.html", draft=draft, just_saved=True)
    flash("Draft saved. You can come back and finish it while your claim lasts.", "success")
    return redirect(url_for("review.show", submission_id=submission_id, _anchor="rubric"), 303)


@bp.get("/<int:submission_id>/draft")
@roles_required("assessor")
def read_draft(submission_id: int):
    try:
        draft = drafts.load(
            session=get_session(), viewer=require_user(), submission_id=submission_id
        )
    except ChalkmarkError as err:
        return error_for(err)
    return no_store(jsonify(_body(draft)))


def _body(draft: drafts.Draft | None) -> dict:
    saved_at = draft.updated_at.isoformat() if draft and draft.updated_at else None
    return {"draft": draft.as_json() if draft else None, "saved_at": saved_at}


def _refusal(err: ChalkmarkError):
    """A script gets the JSON shape; htmx gets the status line with the message (409 and
    422 are swapped, base.html's responseHandling); a plain form, the error page."""
    if wants_json():
        return error_for(err)
    if wants_fragment():
        html = render_template("review/_draft_status.html", error=err.message)
        return make_response(html, err.status_code)
    raise err
