"""What the capture page needs to work offline: a snapshot of each of the teacher's drafts
(the credential and its evidence requirements), and the version of the app shell the
service worker caches. No Flask here."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, select

from server import access
from server.catalog.service import requirements_for
from server.models import Credential, EvidenceItem, Submission, SubmissionStatus, User
from server.submissions import queries


@dataclass
class SavedItem:
    """What the capture page shows of an item already on the server."""

    id: int
    kind: str
    label: str
    text: str | None
    has_thumb: bool


@dataclass
class RequirementSnapshot:
    id: int
    number: int
    kind: str
    prompt: str
    min_count: int
    max_count: int
    saved: int
    items: list[SavedItem]


@dataclass
class DraftSnapshot:
    submission: Submission
    credential: Credential
    requirements: list[RequirementSnapshot]

    @property
    def is_draft(self) -> bool:
        return self.submission.status == SubmissionStatus.DRAFT.value


def owned_submission(*, session: Session, user: User, submission_id: int) -> Submission:
    """The person's own attempt; NotFound for anyone else's (never reveal it exists)."""
    return access.owned(session, Submission, submission_id, user.id, "We couldn't find that draft.")


def draft_snapshot(*, session: Session, user: User, submission_id: int) -> DraftSnapshot:
    submission = owned_submission(session=session, user=user, submission_id=submission_id)
    return _snapshot(session, submission)


def draft_snapshots(*, session: Session, user: User) -> list[DraftSnapshot]:
    """Every draft the person is working on, newest first."""
    drafts = session.exec(
        select(Submission)
        .where(Submission.user_id == user.id, Submission.status == SubmissionStatus.DRAFT.value)
        .order_by(col(Submission.updated_at).desc())
    ).all()
    return [_snapshot(session, submission) for submission in drafts]


def _snapshot(session: Session, submission: Submission) -> DraftSnapshot:
    credential = session.get_one(Credential, submission.credential_id)
    saved = queries.items_by_requirement(session=session, submission_id=submission.id)
    requirements = [
        RequirementSnapshot(
            id=req.id,
            number=number,
            kind=req.kind,
            prompt=req.prompt,
            min_count=req.min_count,
            max_count=max(req.max_count, req.min_count, 1),
            saved=len(saved.get(req.id, [])),
            items=[_saved_item(item) for item in saved.get(req.id, [])],
        )
        for number, req in enumerate(
            requirements_for(session=session, credential_id=credential.id), start=1
        )
    ]
    return DraftSnapshot(submission=submission, credential=credential, requirements=requirements)


def _saved_item(item: EvidenceItem) -> SavedItem:
    label = item.filename or item.url or (item.text or "")[:80] or item.kind
    return SavedItem(item.id, item.kind, label, item.text, bool(item.thumb_key))


def shell_version(roots: list[Path]) -> str:
    """A digest of every file the offline shell is built from: any change to them gives
    the service worker new bytes, so browsers install it and refresh their caches."""
    digest = hashlib.sha256()
    for root in roots:
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            digest.update(str(path.relative_to(root.parent)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
