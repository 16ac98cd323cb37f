"""Evidence routes: upload (JSON for scripts and the offline queue, a fragment for htmx,
a redirect for plain forms), text autosave, remove, and private file/thumbnail reads."""

from __future__ import annotations

from functools import wraps
from typing import BinaryIO, cast

from flask import (
    jsonify,
    redirect,
    request,
    send_file,
    url_for,
)
from werkzeug.exceptions import RequestEntityTooLarge

from server.auth.session import current_user, require_user
from server.db import get_session
from server.errors import InvalidInput, NotFound, TooLarge
from server.evidence import blobs, bp, current, service
from server.evidence.limits import FORM_OVERHEAD
from server.evidence.part_views import render_part
from server.extensions import csrf
from server.htmx import render, wants_fragment
from server.ids import arg_id
from server.jsonapi import json_when_wanted, wants_json
from server.models import EvidenceItem, Submission, SubmissionStatus, utcnow
from server.security import EVIDENCE_FILE_CSP
from server.storage import too_large_message
from server.submissions.routes import render_attempt_page


def form_errors(view):
    """A plain form (no JS) that is refused comes back to the attempt page at 4xx, with
    the message beside the part it was for."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except (InvalidInput, TooLarge) as err:
            if wants_json() or wants_fragment():
                raise
            get_session().rollback()
            part = _part_id(parse_form=isinstance(err, InvalidInput))
            return render_attempt_page(
                kwargs["id"], status=err.status_code, part_errors={part: err.message}
            )

    return wrapped


def _part_id(*, parse_form: bool) -> int | None:
    # A body refused for its size is never parsed: then only the URL says which part.
    part = (request.view_args or {}).get("req_id") or arg_id(request.args, "requirement_id")
    if part is None and parse_form:
        part = arg_id(request.form, "requirement_id")
    return part


def _back_to(item_or_submission_id, requirement_id=None):
    anchor = f"req-{requirement_id}" if requirement_id else None
    return redirect(url_for("submissions.show", id=item_or_submission_id, _anchor=anchor), 303)


@bp.post("/submissions/<int:id>/evidence")
@csrf.exempt  # checked below, once the size is known to be acceptable
@json_when_wanted
@form_errors
def upload(id: int):
    user = require_user()
    db = get_session()
    limit = service.upload_limit(
        session=db,
        user=user,
        submission_id=id,
        requirement_id=arg_id(request.args, "requirement_id"),
        limits=current.limits(),
    )
    _refuse_oversized_body(limit)
    upload = _checked_upload(limit)
    item, created = service.add_item(
        session=db,
        storage=current.storage(),
        limits=current.limits(),
        user=user,
        submission_id=id,
        upload=upload,
    )
    db.commit()
    status = 201 if created else 200
    if wants_json():
        return jsonify(
            id=item.id,
            client_uuid=item.client_uuid,
            status="saved",
            kind=item.kind,
            thumb_url=_thumb_url(item),
            item_url=url_for("evidence.item", item_id=item.id),
        ), status
    if wants_fragment():
        return render("evidence/_item.html", status=status, item=item, editable=True)
    return _back_to(id, item.requirement_id)


def _refuse_oversized_body(limit: int) -> None:
    """Refuse on the Content-Length header alone, before the body is read; a body without
    one (chunked) is cut off by Werkzeug as soon as it passes the same limit."""
    allowed = limit + FORM_OVERHEAD
    if request.content_length is not None and request.content_length > allowed:
        raise TooLarge(too_large_message(limit))
    request.max_content_length = allowed


def _checked_upload(limit: int) -> service.Upload:
    """Check CSRF (which parses the body) and read the fields; a body without a
    Content-Length that runs past the limit stops here."""
    try:
        csrf.protect()
        form, files = request.form, request.files
    except RequestEntityTooLarge:
        raise TooLarge(too_large_message(limit)) from None
    # The camera and the gallery are two fields of one form: the one that holds a file.
    file = next((f for f in files.getlist("file") if f.filename or f.content_length), None)
    return service.Upload(
        client_uuid=form.get("client_uuid"),
        requirement_id=arg_id(form, "requirement_id") or arg_id(request.args, "requirement_id"),
        # werkzeug types its streams IO[bytes]; they are binary files
        file=cast(BinaryIO, file.stream) if file else None,
        filename=file.filename if file else None,
        text=form.get("text"),
        url=form.get("url"),
        note=form.get("note"),
        captured_at=form.get("captured_at"),
    )


@bp.post("/submissions/<int:id>/evidence/<int:item_id>/delete")
def remove(id: int, item_id: int):
    db = get_session()
    doomed = db.get(EvidenceItem, item_id)
    requirement_id = doomed.requirement_id if doomed else None
    orphans = service.remove_item(
        session=db, user=require_user(), submission_id=id, item_id=item_id
    )
    db.commit()
    blobs.delete_blobs(current.storage(), orphans)
    if wants_fragment() and requirement_id is not None:
        return render_part(id, requirement_id)  # the part again: its picker comes back
    return _back_to(id, requirement_id)


@bp.post("/submissions/<int:id>/requirements/<int:req_id>/text")
@form_errors
def text(id: int, req_id: int):
    db = get_session()
    item = service.save_text(
        session=db,
        user=require_user(),
        submission_id=id,
        requirement_id=req_id,
        text=request.form.get("text"),
    )
    db.commit()
    if wants_fragment():
        return render("evidence/_text_status.html", item=item, item_saved_at=utcnow())
    return _back_to(id, req_id)


@bp.get("/evidence/<int:item_id>")
def item(item_id: int):
    """One saved item as a fragment (what the upload script shows once a file is in)."""
    db = get_session()
    found = service.viewable_item(session=db, user=current_user(), item_id=item_id)
    if not wants_fragment():
        return _back_to(found.submission_id, found.requirement_id)
    return render("evidence/_item.html", item=found, editable=_is_owner_draft(db, found))


def _is_owner_draft(db, found) -> bool:
    submission = db.get(Submission, found.submission_id)
    user = current_user()
    return (
        submission.status == SubmissionStatus.DRAFT
        and user is not None
        and submission.user_id == user.id
    )


@bp.get("/evidence/<int:item_id>/file")
def file(item_id: int):
    return _send_blob(item_id, thumbnail=False)


@bp.get("/evidence/<int:item_id>/thumb")
def thumb(item_id: int):
    return _send_blob(item_id, thumbnail=True)


def _send_blob(item_id: int, *, thumbnail: bool):
    db = get_session()
    user = current_user()
    found = service.viewable_item(session=db, user=user, item_id=item_id)
    key = found.thumb_key if thumbnail else found.blob_key
    if user is None or not key:  # (viewable_item refuses a signed-out visitor already)
        raise NotFound("We couldn't find that file.")
    service.log_view(
        session=db, user=user, item=found, action="evidence.thumb" if thumbnail else "evidence.file"
    )
    db.commit()
    is_image = thumbnail or (found.mime or "").startswith("image/")
    storage = current.storage()
    size = storage.size(key)
    response = send_file(
        storage.open(key),
        mimetype="image/jpeg" if thumbnail else found.mime,
        as_attachment=not is_image,
        download_name=_download_name(found),
        conditional=False,
        etag=False,
    )
    # Length and Range support (a video can resume or seek) from the stored size.
    response.content_length = size
    response.make_conditional(request.environ, accept_ranges=True, complete_length=size)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = EVIDENCE_FILE_CSP
    return response


def _download_name(found) -> str:
    # The stored type wins over the original name's: a HEIC photo is kept as a JPEG.
    stem = found.filename.rsplit(".", 1)[0] if found.filename else f"evidence-{found.id}"
    return f"{stem}{_extension(found.blob_key)}"


def _extension(key: str | None) -> str:
    return "." + key.rsplit(".", 1)[1] if key and "." in key else ""


def _thumb_url(found) -> str | None:
    return url_for("evidence.thumb", item_id=found.id) if found.thumb_key else None
