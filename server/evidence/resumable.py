"""Chunked, resumable uploads for large evidence (mostly videos filmed in class).

start  -> an upload session for one client_uuid (a repeat returns the same session, or
          the saved item once it exists)
append -> one chunk, written at the offset the server holds; a chunk sent for any other
          offset is refused with the server's offset, so the device resumes from there
finish -> the assembled file goes through service.add_item exactly like a one-shot upload
          (magic-byte check, EXIF stripping, size limit, one item per client_uuid)

Partial files live beside the evidence store, never in memory. No Flask here.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from server.errors import Conflict, InvalidInput, NotFound, TooLarge
from server.evidence import service, validation
from server.evidence.limits import UploadLimits
from server.models import (
    EvidenceItem,
    EvidenceRequirement,
    ResumableUpload,
    Submission,
    User,
    utcnow,
)
from server.storage import Storage, too_large_message
from server.submissions import service as submissions

READ_BYTES = 64 * 1024
# Unfinished sessions are kept this long (a phone can stay offline over a weekend).
KEEP_FOR = timedelta(days=7)
GONE = "That upload has expired or was never started; it will start again."


class OffsetMismatch(Conflict):
    """The chunk was for another offset; `offset` is where the server stands."""

    def __init__(self, offset: int):
        super().__init__("The upload continues from where the server has it.")
        self.offset = offset
        self.extra = {"offset": offset}


class PartialFiles:
    """The bytes received so far, one file per upload token."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    def path(self, token: str) -> Path:
        if len(token) != 32 or not all(c in "0123456789abcdef" for c in token):
            raise NotFound(GONE)
        return self.root / token

    def create(self, token: str) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.path(token).touch()

    def write_at(self, token: str, offset: int, stream: BinaryIO, most: int) -> int:
        """Write the whole stream at `offset`; refuse (TooLarge) past `most` bytes."""
        path = self.path(token)
        if not path.exists():
            raise NotFound(GONE)
        written = 0
        with path.open("r+b") as out:
            out.seek(offset)
            while block := stream.read(READ_BYTES):
                written += len(block)
                if written > most:
                    raise TooLarge("That piece of the upload is larger than expected.")
                out.write(block)
        return written

    def open_complete(self, token: str, size: int) -> BinaryIO:
        path = self.path(token)
        if not path.exists():
            raise NotFound(GONE)
        with path.open("r+b") as out:
            out.truncate(size)  # drop bytes of a chunk that was cut off and never counted
        return path.open("rb")

    def discard(self, token: str) -> None:
        try:
            self.path(token).unlink(missing_ok=True)
        except NotFound:
            pass


def start(
    *,
    session: Session,
    parts: PartialFiles,
    limits: UploadLimits,
    user: User,
    submission_id: int,
    client_uuid: str | None,
    requirement_id: int | None,
    total_bytes: Any,
    filename: str | None = None,
    note: str | None = None,
    captured_at: str | None = None,
) -> ResumableUpload | EvidenceItem:
    """The upload session for this client_uuid, or the item when it was already saved."""
    submissions.get_owned(session=session, submission_id=submission_id, user=user)
    uuid = validation.client_uuid(client_uuid)
    done = service.saved_item(session, uuid, user, submission_id)
    if done is not None:
        return done
    existing = _by_client_uuid(session, uuid, user, submission_id)
    if existing is not None:
        return existing
    submission = submissions.get_editable(session=session, submission_id=submission_id, user=user)
    requirement = _file_requirement(session, submission, requirement_id)
    size = _total(total_bytes, limits.for_kind(requirement.kind))
    upload = ResumableUpload(
        token=secrets.token_hex(16),
        user_id=user.id,
        submission_id=submission.id,
        requirement_id=requirement.id,
        client_uuid=uuid,
        total_bytes=size,
        filename=validation.display_filename(filename),
        note=validation.note(note),
        captured_at=validation.captured_at(captured_at),
    )
    session.add(upload)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()  # the same device asked twice at once: use the first session
        existing = _by_client_uuid(session, uuid, user, submission_id)
        if existing is None:
            raise
        return existing
    parts.create(upload.token)
    return upload


def get(*, session: Session, user: User, token: str) -> ResumableUpload:
    upload = session.exec(select(ResumableUpload).where(ResumableUpload.token == token)).first()
    if upload is None or upload.user_id != user.id:
        raise NotFound(GONE)
    return upload


def append(
    *,
    session: Session,
    parts: PartialFiles,
    user: User,
    token: str,
    offset: int | None,
    stream: BinaryIO,
    max_chunk: int,
) -> int:
    """Add one chunk at `offset`; returns the new offset."""
    upload = get(session=session, user=user, token=token)
    if offset is None:
        raise InvalidInput("The chunk didn't say where it belongs (Upload-Offset).")
    if upload.item_id is not None or offset != upload.received_bytes:
        raise OffsetMismatch(upload.received_bytes)
    room = min(max_chunk, upload.total_bytes - offset)
    written = parts.write_at(token, offset, stream, room)
    if written == 0:
        raise InvalidInput("That piece of the upload was empty.")
    # Counted only if nobody moved the offset meanwhile (two tabs sending the same chunk).
    moved = session.exec(
        update(ResumableUpload)
        .where(ResumableUpload.id == upload.id, ResumableUpload.received_bytes == offset)
        .values(received_bytes=offset + written, updated_at=utcnow())
    ).rowcount
    session.refresh(upload)
    if moved != 1:
        raise OffsetMismatch(upload.received_bytes)
    return upload.received_bytes


def finish(
    *,
    session: Session,
    parts: PartialFiles,
    storage: Storage,
    limits: UploadLimits,
    user: User,
    token: str,
) -> tuple[EvidenceItem, bool]:
    """Hand the complete file to add_item; (item, created). Finishing twice gives the same
    item. The caller discards the partial file after commit."""
    upload = get(session=session, user=user, token=token)
    if upload.item_id is not None:
        return session.get_one(EvidenceItem, upload.item_id), False
    if upload.received_bytes != upload.total_bytes:
        raise OffsetMismatch(upload.received_bytes)
    with parts.open_complete(token, upload.total_bytes) as stream:
        item, created = service.add_item(
            session=session,
            storage=storage,
            limits=limits,
            user=user,
            submission_id=upload.submission_id,
            upload=service.Upload(
                client_uuid=upload.client_uuid,
                requirement_id=upload.requirement_id,
                file=stream,
                filename=upload.filename,
                note=upload.note,
                captured_at=upload.captured_at.isoformat() if upload.captured_at else None,
            ),
        )
    upload.item_id = item.id
    upload.updated_at = utcnow()
    session.add(upload)
    session.flush()
    return item, created


def abandon(*, session: Session, parts: PartialFiles, user: User, token: str) -> None:
    """Forget an upload the server refused for good (wrong type, part full)."""
    upload = get(session=session, user=user, token=token)
    session.delete(upload)
    session.flush()
    parts.discard(token)


def discard_stale(*, session: Session, parts: PartialFiles, now: datetime | None = None) -> int:
    """Delete sessions untouched for KEEP_FOR, with their partial files."""
    cutoff = (now or utcnow()) - KEEP_FOR
    stale = session.exec(select(ResumableUpload).where(ResumableUpload.updated_at < cutoff)).all()
    for upload in stale:
        session.delete(upload)
    session.flush()
    for upload in stale:
        parts.discard(upload.token)
    return len(stale)


def _total(value: Any, most: int) -> int:  # the client's JSON value
    try:
        size = int(value)
    except (TypeError, ValueError):
        raise InvalidInput("The upload didn't say how large the file is.") from None
    if size <= 0:
        raise InvalidInput("That file is empty.", field="file")
    if size > most:
        raise TooLarge(too_large_message(most))
    return size


def _file_requirement(
    session: Session, submission: Submission, requirement_id: int | None
) -> EvidenceRequirement:
    requirement = service.requirement_of(session, submission, requirement_id)
    if requirement.kind not in service.FILE_KINDS:
        raise InvalidInput(
            f"This part needs {service.NEEDS.get(requirement.kind)}, not a file.",
            field="requirement_id",
        )
    return requirement


def _by_client_uuid(
    session: Session, uuid: str, user: User, submission_id: int
) -> ResumableUpload | None:
    upload = session.exec(
        select(ResumableUpload).where(ResumableUpload.client_uuid == uuid)
    ).first()
    if upload is None:
        return None
    if upload.user_id != user.id or upload.submission_id != submission_id:
        raise Conflict(
            "That upload id was already used for something else; please reload "
            "the page and try again."
        )
    return upload
