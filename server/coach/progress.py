"""The cohort dashboard: members × the credentials any of them started, with each one's
state and last activity, and the filters that find who needs a nudge.

Four queries, whatever the cohort size: members, their submissions, the newest evidence
per submission, and the credentials (with stacks) that appear.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from server.labels import PROGRESS_LABELS
from server.models import (
    Cohort,
    CohortMember,
    Credential,
    EvidenceItem,
    MemberStatus,
    Stack,
    Submission,
    SubmissionStatus,
    User,
    utcnow,
)

STALLED_AFTER = timedelta(days=14)
NOT_YET_IDLE_AFTER = timedelta(days=7)
DRAFT_IDLE_AFTER = timedelta(days=7)


class CellState(StrEnum):
    """A member's standing at one credential, as the coach's table shows it (a CSS class
    too): in review counts as submitted, and an attempt never started is its own state."""

    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    NOT_YET = "not_yet"
    EARNED = "earned"


FILTERS = {
    "all": "Everyone",
    "stalled": "Stalled (no activity in 14 days)",
    "not_yet_idle": "“Not yet”, no resubmission in 7 days",
    "draft_idle": "Draft untouched for 7 days",
}
_STATE_OF_STATUS = {
    SubmissionStatus.DRAFT.value: CellState.DRAFT,
    SubmissionStatus.SUBMITTED.value: CellState.SUBMITTED,
    SubmissionStatus.IN_REVIEW.value: CellState.SUBMITTED,
    SubmissionStatus.NOT_YET.value: CellState.NOT_YET,
    SubmissionStatus.AWARDED.value: CellState.EARNED,
}


@dataclass(frozen=True)
class Cell:
    state: str
    last_activity: datetime | None = None
    submission_id: int | None = None

    @property
    def label(self) -> str:
        return PROGRESS_LABELS[self.state]


NOT_STARTED = Cell(CellState.NOT_STARTED)


@dataclass
class MemberRow:
    user: User
    joined_at: datetime
    cells: dict[int, Cell] = field(default_factory=dict)
    last_activity: datetime | None = None
    flags: set[str] = field(default_factory=set)

    def cell(self, credential_id: int) -> Cell:
        return self.cells.get(credential_id, NOT_STARTED)


@dataclass(frozen=True)
class StackColumns:
    title: str
    credentials: list[Credential]


@dataclass
class Dashboard:
    stacks: list[StackColumns]
    rows: list[MemberRow]
    counts: dict[str, int]
    active_filter: str

    @property
    def credentials(self) -> list[Credential]:
        return [c for stack in self.stacks for c in stack.credentials]


def dashboard(
    *, session: Session, cohort: Cohort, filter_name: str = "all", now: datetime | None = None
) -> Dashboard:
    now = now or utcnow()
    filter_name = filter_name if filter_name in FILTERS else "all"
    rows = {
        user.id: MemberRow(user, joined_at)
        for user, joined_at in session.exec(
            select(User, CohortMember.joined_at)
            .join(CohortMember, CohortMember.user_id == User.id)
            .where(*_active_in(cohort))
            .order_by(User.display_name, User.id)
        )
    }
    submissions = _submissions(session, cohort)
    evidence = _newest_evidence(session, cohort)
    by_member_credential: dict[tuple[int, int], list[Submission]] = defaultdict(list)
    for submission in submissions:
        by_member_credential[(submission.user_id, submission.credential_id)].append(submission)
        row = rows[submission.user_id]
        row.last_activity = _latest(row.last_activity, _activity(submission, evidence))
    for (user_id, credential_id), attempts in by_member_credential.items():
        rows[user_id].cells[credential_id] = _cell(attempts, evidence)
    for row in rows.values():
        row.flags = _flags(row, now)
    counts = {
        name: sum(1 for r in rows.values() if name == "all" or name in r.flags) for name in FILTERS
    }
    shown = [r for r in rows.values() if filter_name == "all" or filter_name in r.flags]
    stacks = _stack_columns(session, {cid for _, cid in by_member_credential})
    return Dashboard(stacks=stacks, rows=shown, counts=counts, active_filter=filter_name)


def _submissions(session: Session, cohort: Cohort) -> list[Submission]:
    return list(
        session.exec(
            select(Submission)
            .join(CohortMember, CohortMember.user_id == Submission.user_id)
            .where(*_active_in(cohort), Submission.status != SubmissionStatus.WITHDRAWN.value)
            .order_by(Submission.attempt)
        )
    )


def _newest_evidence(session: Session, cohort: Cohort) -> dict[int, datetime]:
    return dict(
        session.exec(
            select(EvidenceItem.submission_id, func.max(EvidenceItem.created_at))
            .join(Submission, Submission.id == EvidenceItem.submission_id)
            .join(CohortMember, CohortMember.user_id == Submission.user_id)
            .where(*_active_in(cohort))
            .group_by(EvidenceItem.submission_id)
        ).all()
    )


def _active_in(cohort: Cohort) -> tuple[Any, ...]:
    # Only people who accepted: an invitation shares nothing, and who left is gone.
    return (CohortMember.cohort_id == cohort.id, CohortMember.status == MemberStatus.ACTIVE.value)


def _latest(*moments: datetime | None) -> datetime | None:
    present = [m for m in moments if m is not None]
    return max(present) if present else None


def _activity(submission: Submission, evidence: dict[int, datetime]) -> datetime | None:
    return _latest(
        submission.updated_at,
        submission.submitted_at,
        submission.decided_at,
        evidence.get(submission.id),
    )


def _cell(attempts: list[Submission], evidence: dict[int, datetime]) -> Cell:
    """Earned if any attempt was awarded; otherwise the state of the newest attempt."""
    awarded = [s for s in attempts if s.status == SubmissionStatus.AWARDED.value]
    chosen = awarded[-1] if awarded else attempts[-1]
    return Cell(_STATE_OF_STATUS[chosen.status], _activity(chosen, evidence), chosen.id)


def _flags(row: MemberRow, now: datetime) -> set[str]:
    flags = set()
    # Joining counts as activity: someone who joined this week is new, not stalled.
    if (_latest(row.last_activity, row.joined_at) or row.joined_at) < now - STALLED_AFTER:
        flags.add("stalled")
    for cell in row.cells.values():
        idle_since = cell.last_activity or now
        if cell.state == CellState.NOT_YET and idle_since < now - NOT_YET_IDLE_AFTER:
            flags.add("not_yet_idle")
        if cell.state == CellState.DRAFT and idle_since < now - DRAFT_IDLE_AFTER:
            flags.add("draft_idle")
    return flags


def _stack_columns(session: Session, credential_ids: set[int]) -> list[StackColumns]:
    if not credential_ids:
        return []
    grouped: dict[int, StackColumns] = {}
    for credential, stack in session.exec(
        select(Credential, Stack)
        .join(Stack, Stack.id == Credential.stack_id)
        .where(Credential.id.in_(sorted(credential_ids)))
        .order_by(Stack.position, Stack.title, Credential.position, Credential.title)
    ):
        grouped.setdefault(stack.id, StackColumns(stack.title, [])).credentials.append(credential)
    return list(grouped.values())
