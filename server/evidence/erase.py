"""Erasing evidence: the rows of one item, of a decided attempt, of everything a teacher
owns, and the retention purge. No Flask here.

Rows go inside the caller's transaction and the functions return the blob keys no row
uses any more; the caller deletes those blobs after commit, so a failed commit never
loses a file a row still points at. Awards, scores and feedback are never touched: the
attempt keeps a note of when (and why) its evidence went, which its pages show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, or_
from sqlmodel import Session, select

from server.errors import Conflict, Forbidden
from server.models import (
    AWAITING_REVIEW,
    DECIDED,
    AccessLog,
    EvidenceItem,
    ResumableUpload,
    Submission,
    SubmissionStatus,
    User,
    utcnow,
)
from server.submissions import service as submissions

BY_TEACHER = "teacher"
BY_RETENTION = "retention"
DRAFT = SubmissionStatus.DRAFT.value
# Decided attempts (a superseded "not yet" stays not_yet): what the purge may clear.
PURGEABLE = tuple(sorted(DECIDED))


@dataclass
class Erased:
    attempts: int = 0
    waiting: int = 0  # attempts left alone because an assessor may be reading them
    keys: list[str] = field(default_factory=list)


def forget_items(session: Session, items: list[EvidenceItem]) -> list[str]:
    """Delete these rows (and the finished chunked-upload rows that point at them, whose
    foreign key would otherwise block the delete); return the blob keys now unused."""
    if not items:
        return []
    ids = [item.id for item in items]
    session.execute(delete(ResumableUpload).where(ResumableUpload.item_id.in_(ids)))
    for item in items:
        session.delete(item)
    session.flush()
    keys = {key for item in items for key in (item.blob_key, item.thumb_key) if key}
    return sorted(keys - _keys_in_use(session, keys))


def erasable_attempt(*, session: Session, user: User | None, submission_id: int) -> Submission:
    """The owner's decided attempt, or a clear refusal."""
    submission = submissions.get_visible(session=session, submission_id=submission_id, user=user)
    if user is None or submission.user_id != user.id:
        raise Forbidden("Only the teacher who owns this evidence can delete it.")
    if submission.status in AWAITING_REVIEW:
        raise Conflict(
            "This attempt is waiting for review, so its evidence stays until it is decided."
        )
    if submission.status == DRAFT:
        raise Conflict("Remove evidence from a draft one item at a time.")
    return submission


def erase_attempt(*, session: Session, user: User, submission_id: int) -> list[str]:
    submission = erasable_attempt(session=session, user=user, submission_id=submission_id)
    return _erase(session, submission, by=BY_TEACHER, actor_id=user.id)


def erase_all_of(*, session: Session, user: User) -> Erased:
    """Everything the teacher owns except attempts waiting for review."""
    result = Erased()
    owned = session.exec(select(Submission).where(Submission.user_id == user.id)).all()
    for submission in owned:
        if submission.status in AWAITING_REVIEW:
            result.waiting += 1
            continue
        nothing_left = submission.status == DRAFT or submission.evidence_deleted_at
        if nothing_left and not _items_of(session, submission.id):
            continue
        result.keys += _erase(session, submission, by=BY_TEACHER, actor_id=user.id)
        result.attempts += 1
    return _unique_keys(result)


def purge_expired(*, session: Session, days: int, now: datetime | None = None) -> Erased:
    """Clear the evidence of attempts decided more than `days` ago (awarded or not yet,
    superseded ones too). Drafts and attempts waiting for review are never touched."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    expired = session.exec(
        select(Submission)
        .where(
            Submission.status.in_(PURGEABLE),
            Submission.decided_at.is_not(None),
            Submission.decided_at < cutoff,
            Submission.evidence_deleted_at.is_(None),
        )
        .order_by(Submission.id)
    ).all()
    result = Erased()
    for submission in expired:
        result.keys += _erase(session, submission, by=BY_RETENTION, actor_id=None)
        result.attempts += 1
    return _unique_keys(result)


def _erase(session: Session, submission: Submission, *, by: str, actor_id: int | None) -> list[str]:
    keys = forget_items(session, _items_of(session, submission.id))
    if submission.status != DRAFT:
        # A draft stays editable: nothing to explain on it, it is simply empty again.
        submission.evidence_deleted_at = submission.evidence_deleted_at or utcnow()
        submission.evidence_deleted_by = submission.evidence_deleted_by or by
        session.add(submission)
    action = "evidence.purge" if by == BY_RETENTION else "evidence.erase"
    session.add(AccessLog(user_id=actor_id, action=action, target=f"submission:{submission.id}"))
    session.flush()
    return keys


def _items_of(session: Session, submission_id: int) -> list[EvidenceItem]:
    return list(
        session.exec(select(EvidenceItem).where(EvidenceItem.submission_id == submission_id)).all()
    )


def _keys_in_use(session: Session, keys: set[str]) -> set[str]:
    if not keys:
        return set()
    rows = session.exec(
        select(EvidenceItem.blob_key, EvidenceItem.thumb_key).where(
            or_(EvidenceItem.blob_key.in_(keys), EvidenceItem.thumb_key.in_(keys))
        )
    ).all()
    return {key for row in rows for key in row if key} & keys


def _unique_keys(result: Erased) -> Erased:
    # A resubmission copies rows, not files: a shared blob is freed by whichever of its
    # attempts goes last, so each key appears once at most.
    result.keys = sorted(set(result.keys))
    return result
