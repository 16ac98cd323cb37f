"""Evidence on a draft: add (idempotent per client_uuid), autosave text, remove, and
read a stored file with an access-log row. No Flask here; storage is passed in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from server import access
from server.catalog.service import in_version, requirements_for
from server.errors import Conflict, InvalidInput, NotFound
from server.evidence import erase, validation
from server.evidence.blobs import delete_blobs, store_file
from server.evidence.limits import UploadLimits
from server.game import service as game
from server.models import (
    AccessLog,
    EvidenceItem,
    EvidenceKind,
    EvidenceRequirement,
    Submission,
    User,
    new_uuid,
)
from server.storage import Storage
from server.submissions import service as submissions

FILE_KINDS = {EvidenceKind.PHOTO.value, EvidenceKind.VIDEO.value, EvidenceKind.FILE.value}
NEEDS = {
    "photo": "a photo",
    "video": "a video",
    "file": "a file",
    "text": "a written response",
    "link": "a link",
}


@dataclass
class Upload:
    client_uuid: str | None
    requirement_id: int | None
    file: BinaryIO | None = None
    filename: str | None = None
    text: str | None = None
    url: str | None = None
    note: str | None = None
    captured_at: str | None = None


def upload_limit(
    *,
    session: Session,
    user: User | None,
    submission_id: int,
    requirement_id: int | None,
    limits: UploadLimits,
) -> int:
    """The most bytes an upload to this draft may carry, known before its body is read:
    the requirement's kind limit, or the largest over the draft's requirements."""
    submission = submissions.get_editable(session=session, submission_id=submission_id, user=user)
    kinds = {
        requirement.kind
        for requirement in requirements_for(
            session=session,
            credential_id=submission.credential_id,
            version=submission.credential_version,
        )
        if requirement_id is None or requirement.id == requirement_id
    } & FILE_KINDS
    return max((limits.for_kind(kind) for kind in kinds), default=0)


def add_item(
    *,
    session: Session,
    storage: Storage,
    limits: UploadLimits,
    user: User,
    submission_id: int,
    upload: Upload,
) -> tuple[EvidenceItem, bool]:
    """Save one item; (item, created). A repeat of a client_uuid returns the first item."""
    uuid = validation.client_uuid(upload.client_uuid)
    existing = saved_item(session, uuid, user, submission_id)
    if existing is not None:
        return existing, False
    submission = submissions.get_editable(session=session, submission_id=submission_id, user=user)
    requirement = requirement_of(session, submission, upload.requirement_id)
    _check_room(session, submission, requirement)
    item = EvidenceItem(
        submission_id=submission.id,
        requirement_id=requirement.id,
        client_uuid=uuid,
        kind=requirement.kind,
        note=validation.note(upload.note),
        captured_at=validation.captured_at(upload.captured_at),
    )
    _fill_content(item, upload, requirement.kind, storage, limits)
    session.add(item)
    try:
        session.flush()
    except IntegrityError:
        # The same client_uuid arrived twice at once: keep the first, drop our blobs.
        session.rollback()
        delete_blobs(storage, [item.blob_key, item.thumb_key])
        existing = saved_item(session, uuid, user, submission_id)
        if existing is None:
            raise
        return existing, False
    submissions.touch(submission)
    game.on_activity(session=session, user_id=user.id, kind="capture")
    return item, True


def save_text(
    *, session: Session, user: User, submission_id: int, requirement_id: int, text: str | None
) -> EvidenceItem | None:
    """Autosave: one written response per requirement, updated in place; clearing the
    box removes it (so an empty answer never counts as evidence)."""
    submission = submissions.get_editable(session=session, submission_id=submission_id, user=user)
    requirement = requirement_of(session, submission, requirement_id)
    if requirement.kind != EvidenceKind.TEXT.value:
        raise InvalidInput(f"This part needs {NEEDS.get(requirement.kind, 'evidence')}.")
    cleaned = validation.text(text, allow_empty=True)
    item = session.exec(
        select(EvidenceItem)
        .where(
            EvidenceItem.submission_id == submission.id,
            EvidenceItem.requirement_id == requirement.id,
        )
        .order_by(EvidenceItem.id)
    ).first()
    if not cleaned:
        if item is not None:
            session.delete(item)
        submissions.touch(submission)
        return None
    if item is None:
        item = EvidenceItem(
            submission_id=submission.id,
            requirement_id=requirement.id,
            client_uuid=new_uuid(),
            kind=requirement.kind,
        )
    item.text = cleaned
    item.bytes = len(cleaned.encode())
    session.add(item)
    submissions.touch(submission)
    game.on_activity(session=session, user_id=user.id, kind="capture")
    return item


def remove_item(*, session: Session, user: User, submission_id: int, item_id: int) -> list[str]:
    """Delete an item of a draft; returns the blob keys nobody else uses any more (the
    caller deletes them after commit, so a failed commit never loses a file)."""
    submission = submissions.get_editable(session=session, submission_id=submission_id, user=user)
    item = session.get(EvidenceItem, item_id)
    if item is None or item.submission_id != submission.id:
        raise NotFound("That item is already gone.")
    submissions.touch(submission)
    return erase.forget_items(session, [item])


def viewable_item(*, session: Session, user: User | None, item_id: int) -> EvidenceItem:
    item = session.get(EvidenceItem, item_id)
    submission = session.get(Submission, item.submission_id) if item else None
    if (
        item is None
        or submission is None
        or not access.can_view_evidence(session=session, user=user, submission=submission)
    ):
        raise NotFound("We couldn't find that file.")
    return item


def log_view(*, session: Session, user: User, item: EvidenceItem, action: str) -> None:
    session.add(AccessLog(user_id=user.id, action=action, target=f"evidence_item:{item.id}"))


def saved_item(session: Session, uuid: str, user: User, submission_id: int) -> EvidenceItem | None:
    """The item already saved under this client_uuid (a retry gets the first), if any; a
    Conflict when the id was used for another submission or person."""
    item = session.exec(select(EvidenceItem).where(EvidenceItem.client_uuid == uuid)).first()
    if item is None:
        return None
    submission = session.get_one(Submission, item.submission_id)
    if item.submission_id != submission_id or submission.user_id != user.id:
        raise Conflict(
            "That upload id was already used for something else; please reload "
            "the page and try again."
        )
    return item


def requirement_of(
    session: Session, submission: Submission, requirement_id: int | None
) -> EvidenceRequirement:
    """The requirement of the submission's credential version the evidence is for."""
    requirement = session.get(EvidenceRequirement, requirement_id) if requirement_id else None
    if (
        requirement is None
        or requirement.credential_id != submission.credential_id
        or not in_version(requirement, submission.credential_version)
    ):
        raise InvalidInput("Choose which part of the evidence this is for.", field="requirement_id")
    return requirement


def _check_room(session: Session, submission: Submission, requirement: EvidenceRequirement) -> None:
    most = max(requirement.max_count, requirement.min_count, 1)
    have = session.exec(
        select(func.count())
        .select_from(EvidenceItem)
        .where(
            EvidenceItem.submission_id == submission.id,
            EvidenceItem.requirement_id == requirement.id,
        )
    ).one()
    if have >= most:
        raise InvalidInput(f"This part takes at most {most}; remove one to add another.")


def _fill_content(
    item: EvidenceItem, upload: Upload, kind: str, storage: Storage, limits: UploadLimits
) -> None:
    if kind == EvidenceKind.TEXT.value:
        item.text = validation.text(upload.text)
        item.bytes = len(item.text.encode())
    elif kind == EvidenceKind.LINK.value:
        item.url = validation.link(upload.url)
    elif upload.file is None:
        raise InvalidInput(f"Please choose {NEEDS[kind]} to upload.", field="file")
    else:
        item.filename = validation.display_filename(upload.filename)
        store_file(item, upload.file, kind, storage, limits)
