"""The comment bank's routes: add or remove a phrase from a submission's review page."""

from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for

from server.auth.session import require_user, roles_required
from server.db import get_session
from server.htmx import render
from server.review import bp, phrases, service


@bp.post("/<int:submission_id>/criteria/<int:criterion_id>/phrases")
@roles_required("assessor")
def add_phrase(submission_id: int, criterion_id: int):
    db, user, text = get_session(), require_user(), request.form.get("text", "")
    try:
        phrases.add(
            session=db,
            viewer=user,
            submission_id=submission_id,
            criterion_id=criterion_id,
            text=text,
        )
    except phrases.PhraseInvalid as err:  # the page again, the message next to the field
        db.rollback()
        review = service.review_page(
            session=db,
            viewer=user,
            submission_id=submission_id,
            blind_key=current_app.config["SECRET_KEY"],  # as review.routes does
        )
        return render(
            "review/show.html",
            status=422,
            review=review,
            values=None,
            errors={},
            phrase_error={"criterion_id": criterion_id, "message": err.message, "text": text},
        )
    db.commit()
    flash("Phrase added to the comment bank.", "success")
    return redirect(
        url_for("review.show", submission_id=submission_id, _anchor="comment-bank"), 303
    )


@bp.post("/<int:submission_id>/phrases/<int:phrase_id>/delete")
@roles_required("assessor")
def remove_phrase(submission_id: int, phrase_id: int):
    db = get_session()
    phrases.remove(
        session=db, viewer=require_user(), submission_id=submission_id, phrase_id=phrase_id
    )
    db.commit()
    flash("Phrase removed from the comment bank.", "success")
    return redirect(
        url_for("review.show", submission_id=submission_id, _anchor="comment-bank"), 303
    )
