"""The cohort dashboard: members × the credentials any of them started (grouped by
stack), with each one's state and last activity, a summary per member (earned, in
progress, credit hours, nudges), the nudge that fits them, and the filters that find who
needs a nudge. "Stalled" is defined in coach/stalled.py, for everyone who counts it.

The grid is paged (PAGE_SIZE members a page, in name order); the filter counts are over
every member. Six queries, whatever the cohort size: the counts, the page's members (with
their flags), their submissions, the newest evidence per submission, their nudges, and the
credentials any member started (with stacks), so the columns stay put from page to page.
The flags are SQL conditions (stalled from coach/stalled.py, the idle ones here), so a
member's flag and the count it adds to can't disagree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, case, exists, func, literal, or_
from sqlalchemy.orm import aliased, load_only
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

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
PAGE_SIZE = 25  # members per page of the grid (a 12-credential row is ~2.6 KB of HTML)
MAX_PAGES = 1000


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
    page: int = 1
    per_page: int | None = None  # None: every member on one page
    more: bool = False  # another page follows

    @property
    def credentials(self) -> list[Credential]:
        return [c for stack in self.stacks for c in stack.credentials]

    @property
    def first(self) -> int:
        """The position of the page's first row among the filter's members (1-based)."""
        return (self.page - 1) * (self.per_page or 0) + 1

    @property
    def paged(self) -> bool:
        return self.page > 1 or self.more


def dashboard(
    *,
    session: Session,
    cohort: Cohort,
    filter_name: str = "all",
    now: datetime | None = None,
    page: int = 1,
    per_page: int | None = None,
) -> Dashboard:
    """One page of the grid (every member when `per_page` is None), with the counts of
    each filter over the whole cohort."""
    now = now or utcnow()
    filter_name = filter_name if filter_name in FILTERS else "all"
    flags = _flag_clauses(now)
    totals: Any = session.exec(
        select(
            func.count(),
            *(func.coalesce(func.sum(case((clause, 1), else_=0)), 0) for clause in flags.values()),
        ).where(*_active_in(cohort))
    ).one()
    counts = {"all": int(totals[0]), **{n: int(v) for n, v in zip(flags, totals[1:], strict=True)}}
    query = (
        select(User, CohortMember.joined_at, *(c.label(n) for n, c in flags.items()))
        .join(CohortMember, CohortMember.user_id == User.id)
        .where(*_active_in(cohort), flags.get(filter_name, literal(True)))
        .order_by(User.display_name, User.id)
    )
    if per_page is not None:
        query = query.limit(per_page + 1).offset((page - 1) * per_page)
    found: list[Any] = list(session.exec(query).all())
    more = per_page is not None and len(found) > per_page
    rows: dict[int, MemberRow] = {}
    for user, joined_at, *marks in found[:per_page]:
        rows[user.id] = MemberRow(user, joined_at)
        rows[user.id].flags = {n for n, mark in zip(flags, marks, strict=True) if mark}
    _fill(session, cohort, rows)
    stacks = _stack_columns(session, cohort)
    hours = {c.id: c.credit_hours or 0.0 for stack in stacks for c in stack.credentials}
    for row in rows.values():
        row.credit_hours = sum(
            hours.get(cid, 0.0) for cid, c in row.cells.items() if c.state == CellState.EARNED
        )
    return Dashboard(
        stacks=stacks,
        rows=list(rows.values()),
        counts=counts,
        active_filter=filter_name,
        page=page,
        per_page=per_page,
        more=more,
    )


def fitting_templates(*, session: Session, cohort: Cohort, member_ids: list[int]) -> dict[int, str]:
    """{member id: the nudge template that fits them}, for these active members only."""
    rows = {
        user.id: MemberRow(user, joined_at)
        for user, joined_at in session.exec(
            select(User, CohortMember.joined_at)
            .join(CohortMember, CohortMember.user_id == User.id)
            .where(*_active_in(cohort), col(CohortMember.user_id).in_(member_ids))
        )
    }
    _fill(session, cohort, rows)
    return {user_id: row.nudge_template for user_id, row in rows.items()}


def _fill(session: Session, cohort: Cohort, rows: dict[int, MemberRow]) -> None:
    """The cells, last activity and nudges of `rows` (three queries, whatever their number)."""
    if not rows:
        return
    among = col(CohortMember.user_id).in_(list(rows))
    evidence = _newest_evidence(session, cohort, among)
    by_member_credential: dict[tuple[int, int], list[Submission]] = defaultdict(list)
    for submission in _submissions(session, cohort, among):
        by_member_credential[(submission.user_id, submission.credential_id)].append(submission)
        row = rows[submission.user_id]
        row.last_activity = latest(
            row.last_activity, activity(submission, evidence.get(submission.id))
        )
    for (user_id, credential_id), attempts in by_member_credential.items():
        rows[user_id].cells[credential_id] = _cell(attempts, evidence)
    _add_nudges(session, cohort, rows, among)


def _flag_clauses(now: datetime) -> dict[str, ColumnElement[bool]]:
    """Each filter but "all" as a condition on a cohort member (CohortMember's columns)."""
    return {
        "stalled": stalled_clause(CohortMember.user_id, CohortMember.joined_at, now),
        "not_yet_idle": _idle_clause(SubmissionStatus.NOT_YET.value, now - NOT_YET_IDLE_AFTER),
        "draft_idle": _idle_clause(SubmissionStatus.DRAFT.value, now - DRAFT_IDLE_AFTER),
    }


_ATTEMPT = aliased(Submission, name="attempt")  # made once: aliased() costs per request
_OTHER = aliased(Submission, name="other_attempt")


def _idle_clause(status: str, cutoff: datetime) -> ColumnElement[bool]:
    """The member has a credential whose cell is `status` (the newest attempt not withdrawn,
    none awarded: see _cell) with no activity since `cutoff` (activity(), in SQL)."""
    attempt, other = _ATTEMPT, _OTHER
    same = and_(other.user_id == attempt.user_id, other.credential_id == attempt.credential_id)
    newer = exists(
        select(other.id).where(
            same,
            or_(
                other.status == SubmissionStatus.AWARDED.value,
                and_(
                    other.attempt > attempt.attempt,
                    other.status != SubmissionStatus.WITHDRAWN.value,
                ),
            ),
        )
    )
    moments = [attempt.created_at, attempt.submitted_at, attempt.decided_at]
    if status == SubmissionStatus.DRAFT.value:
        moments.append(attempt.updated_at)
    recent = or_(*(func.coalesce(m, attempt.created_at) >= cutoff for m in moments))
    recent_evidence = exists(
        select(EvidenceItem.id).where(
            EvidenceItem.submission_id == attempt.id, EvidenceItem.created_at >= cutoff
        )
    )
    return exists(
        select(attempt.id).where(
            attempt.user_id == CohortMember.user_id,
            attempt.status == status,
            ~newer,
            ~recent,
            ~recent_evidence,
        )
    ).self_group()


def _add_nudges(session: Session, cohort: Cohort, rows: dict[int, MemberRow], among: Any) -> None:
    """How often this cohort's coach nudged each member, and when last."""
    for user_id, count, last in session.exec(
        select(Nudge.user_id, func.count(), func.max(Nudge.created_at))
        .join(CohortMember, CohortMember.user_id == Nudge.user_id)
        .where(*_active_in(cohort), among, Nudge.coach_id == cohort.coach_id)
        .group_by(Nudge.user_id)
    ):
        rows[user_id].nudges, rows[user_id].last_nudge = int(count), last


def _submissions(session: Session, cohort: Cohort, among: Any) -> list[Submission]:
    return list(
        session.exec(
            select(Submission)
            .join(CohortMember, CohortMember.user_id == Submission.user_id)
            .where(
                *_active_in(cohort), among, Submission.status != SubmissionStatus.WITHDRAWN.value
            )
            .order_by(Submission.attempt)
        )
    )


def _newest_evidence(session: Session, cohort: Cohort, among: Any) -> dict[int, datetime]:
    attempts = (
        select(Submission.id)
        .join(CohortMember, CohortMember.user_id == Submission.user_id)
        .where(*_active_in(cohort), among, Submission.status != SubmissionStatus.WITHDRAWN.value)
    )
    return dict(
        session.exec(
            select(EvidenceItem.submission_id, func.max(EvidenceItem.created_at))
            .where(col(EvidenceItem.submission_id).in_(attempts))
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


_GRID_CREDENTIAL = load_only(
    Credential.id,
    Credential.stack_id,
    Credential.title,
    Credential.credit_hours,
    Credential.position,
)
_GRID_STACK = load_only(Stack.id, Stack.title, Stack.position)


def _stack_columns(session: Session, cohort: Cohort) -> list[StackColumns]:
    """The credentials any active member started (an attempt not withdrawn), by stack."""
    started = (
        select(Submission.credential_id)
        .join(CohortMember, CohortMember.user_id == Submission.user_id)
        .where(*_active_in(cohort), Submission.status != SubmissionStatus.WITHDRAWN.value)
    )
    grouped: dict[int, StackColumns] = {}
    for credential, stack in session.exec(
        select(Credential, Stack)
        .join(Stack, Stack.id == Credential.stack_id)
        .where(col(Credential.id).in_(started))
        # The grid shows names and hours: not each credential's long texts.
        .options(_GRID_CREDENTIAL, _GRID_STACK)
        .order_by(Stack.position, Stack.title, Credential.position, Credential.title)
    ):
        grouped.setdefault(stack.id, StackColumns(stack.title, [])).credentials.append(credential)
    return list(grouped.values())
