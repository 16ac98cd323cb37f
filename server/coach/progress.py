"""The cohort dashboard: members × the credentials any of them started (grouped by
stack), with each one's state and last activity, a summary per member (earned, in
progress, credit hours, nudges), the nudge that fits them, and the filters that find who
needs a nudge. "Stalled" is defined in coach/stalled.py, for everyone who counts it.

Six queries, whatever the cohort size: members, their submissions, the newest evidence
per submission, the stalled members, their nudges, and the credentials (with stacks).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from server.coach.stalled import LABEL as STALLED_LABEL
from server.coach.stalled import activity, latest, stalled_clause
from server.labels import PROGRESS_LABELS
from server.models import (
    Cohort,
    CohortMember,
    Credential,
    EvidenceItem,
    MemberStatus,
    Nudge,
    Stack,
    Submission,
    SubmissionStatus,
    User,
    utcnow,
)

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
    "stalled": STALLED_LABEL,
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


IN_PROGRESS = frozenset({CellState.DRAFT, CellState.SUBMITTED, CellState.NOT_YET})


@dataclass
class MemberRow:
    user: User
    joined_at: datetime
    cells: dict[int, Cell] = field(default_factory=dict)
    last_activity: datetime | None = None
    flags: set[str] = field(default_factory=set)
    credit_hours: float = 0.0  # of the credentials earned
    nudges: int = 0  # from this cohort's coach
    last_nudge: datetime | None = None

    def cell(self, credential_id: int) -> Cell:
        return self.cells.get(credential_id, NOT_STARTED)

    @property
    def earned(self) -> int:
        return sum(1 for c in self.cells.values() if c.state == CellState.EARNED)

    @property
    def in_progress(self) -> int:
        return sum(1 for c in self.cells.values() if c.state in IN_PROGRESS)

    @property
    def nudge_template(self) -> str:
        """The nudge that fits where this person is (a key of nudges.TEMPLATES): answer
        a "not yet" first, then finish a draft; someone only waiting for a decision is
        told to hang in there; someone with nothing open is invited to start one."""
        states = {c.state for c in self.cells.values()}
        for state, template in (
            (CellState.NOT_YET, "not_yet"),
            (CellState.DRAFT, "draft"),
            (CellState.SUBMITTED, "waiting"),
        ):
            if state in states:
                return template
        return "start"


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
        row.last_activity = latest(
            row.last_activity, activity(submission, evidence.get(submission.id))
        )
    for (user_id, credential_id), attempts in by_member_credential.items():
        rows[user_id].cells[credential_id] = _cell(attempts, evidence)
    stalled = _stalled(session, cohort, now)
    for user_id, row in rows.items():
        row.flags = _flags(row, now) | ({"stalled"} if user_id in stalled else set())
    _add_nudges(session, cohort, rows)
    counts = {
        name: sum(1 for r in rows.values() if name == "all" or name in r.flags) for name in FILTERS
    }
    shown = [r for r in rows.values() if filter_name == "all" or filter_name in r.flags]
    stacks = _stack_columns(session, {cid for _, cid in by_member_credential})
    hours = {c.id: c.credit_hours or 0.0 for stack in stacks for c in stack.credentials}
    for row in rows.values():
        row.credit_hours = sum(
            hours.get(cid, 0.0) for cid, c in row.cells.items() if c.state == CellState.EARNED
        )
    return Dashboard(stacks=stacks, rows=shown, counts=counts, active_filter=filter_name)


def _stalled(session: Session, cohort: Cohort, now: datetime) -> set[int]:
    return set(
        session.exec(
            select(CohortMember.user_id).where(
                *_active_in(cohort),
                stalled_clause(CohortMember.user_id, CohortMember.joined_at, now),
            )
        )
    )


def _add_nudges(session: Session, cohort: Cohort, rows: dict[int, MemberRow]) -> None:
    """How often this cohort's coach nudged each member, and when last."""
    for user_id, count, last in session.exec(
        select(Nudge.user_id, func.count(), func.max(Nudge.created_at))
        .join(CohortMember, CohortMember.user_id == Nudge.user_id)
        .where(*_active_in(cohort), Nudge.coach_id == cohort.coach_id)
        .group_by(Nudge.user_id)
    ):
        rows[user_id].nudges, rows[user_id].last_nudge = int(count), last


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


def _cell(attempts: list[Submission], evidence: dict[int, datetime]) -> Cell:
    """Earned if any attempt was awarded; otherwise the state of the newest attempt."""
    awarded = [s for s in attempts if s.status == SubmissionStatus.AWARDED.value]
    chosen = awarded[-1] if awarded else attempts[-1]
    return Cell(
        _STATE_OF_STATUS[chosen.status], activity(chosen, evidence.get(chosen.id)), chosen.id
    )


def _flags(row: MemberRow, now: datetime) -> set[str]:
    flags = set()
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
