"""Resumable (chunked) upload endpoints, registered on the evidence blueprint. JSON only:
the callers are the capture page's queue and the service worker.

POST  /submissions/<id>/uploads   {client_uuid, requirement_id, size, filename, note,
                                   captured_at} -> 201 {upload_url, offset, size,
                                   chunk_bytes} (or 200 {status: "saved", ...} when done)
GET   /uploads/<token>            -> {offset, size, status}
PATCH /uploads/<token>            body = bytes, header Upload-Offset -> {offset};
                                   409 {error, offset} when the offset is not the server's
POST  /uploads/<token>/finish     -> 201/200 the item, as POST .../evidence answers
"""

from __future__ import annotations

from typing import BinaryIO, cast

from flask import current_app, jsonify, request, url_for

from server.auth.session import require_user
from server.db import get_session
from server.errors import InvalidInput, TooLarge
from server.evidence import bp, current, resumable
from server.extensions import csrf
from server.ids import parse_int
from server.jsonapi import Id, Int, Schema, Text, json_api, no_store, protect, read_json
from server.submissions import service as submissions

START = Schema(
    client_uuid=Text(64, required=True),
    requirement_id=Id(),
    size=Int(low=0, required=True),
    filename=Text(1000),
    note=Text(2000),
    captured_at=Text(64),
)


def _parts() -> resumable.PartialFiles:
    return resumable.PartialFiles(current_app.config["SETTINGS"].storage_dir / ".partial")


def _chunk_bytes() -> int:
    return current.limits().chunk_bytes


@bp.post("/submissions/<int:id>/uploads")
@csrf.exempt
@json_api
def resumable_start(id: int):
    protect()
    user, db = require_user(), get_session()
    # Ownership before the body: a stranger learns nothing from validation messages.
    submissions.get_owned(session=db, submission_id=id, user=user)
    data = read_json(START)
    resumable.discard_stale(session=db, parts=_parts())
    found = resumable.start(
        session=db,
        parts=_parts(),
        limits=current.limits(),
        user=user,
        submission_id=id,
        client_uuid=data.get("client_uuid"),
        requirement_id=data["requirement_id"],
        total_bytes=data["size"],
        filename=data["filename"],
        note=data["note"],
        captured_at=data["captured_at"],
    )
    db.commit()
    if isinstance(found, resumable.ResumableUpload):
        return no_store(jsonify(_state(found))), 201 if found.received_bytes == 0 else 200
    return no_store(jsonify(item_json(found))), 200


@bp.get("/uploads/<token>")
@json_api
def resumable_status(token: str):
    upload = resumable.get(session=get_session(), user=require_user(), token=token)
    return no_store(jsonify(_state(upload)))


@bp.patch("/uploads/<token>")
@csrf.exempt
@json_api
def resumable_chunk(token: str):
    protect()
    user, db = require_user(), get_session()
    request.max_content_length = _chunk_bytes()
    offset = parse_int(request.headers.get("Upload-Offset"), low=0)
    new_offset = resumable.append(
        session=db,
        parts=_parts(),
        user=user,
        token=token,
        offset=offset,
        stream=cast(BinaryIO, request.stream),
        max_chunk=_chunk_bytes(),
    )
    db.commit()
    return no_store(jsonify(offset=new_offset))


@bp.post("/uploads/<token>/finish")
@csrf.exempt
@json_api
def resumable_finish(token: str):
    protect()
    user, db, parts = require_user(), get_session(), _parts()
    try:
        item, created = resumable.finish(
            session=db,
            parts=parts,
            storage=current.storage(),
            limits=current.limits(),
            user=user,
            token=token,
        )
    except (InvalidInput, TooLarge):
        # Refused for good (type, part full): forget the bytes, then say why.
        db.rollback()
        resumable.abandon(session=db, parts=parts, user=user, token=token)
        db.commit()
        raise
    db.commit()
    parts.discard(token)
    return no_store(jsonify(item_json(item))), 201 if created else 200


def _state(upload: resumable.ResumableUpload) -> dict:
    return {
        "status": "saved" if upload.item_id else "uploading",
        "upload_url": url_for("evidence.resumable_status", token=upload.token),
        "finish_url": url_for("evidence.resumable_finish", token=upload.token),
        "offset": upload.received_bytes,
        "size": upload.total_bytes,
        "chunk_bytes": _chunk_bytes(),
    }


def item_json(item) -> dict:
    """The same answer POST /submissions/<id>/evidence gives for a saved item."""
    return {
        "id": item.id,
        "client_uuid": item.client_uuid,
        "status": "saved",
        "kind": item.kind,
        "thumb_url": url_for("evidence.thumb", item_id=item.id) if item.thumb_key else None,
        "item_url": url_for("evidence.item", item_id=item.id),
    }
