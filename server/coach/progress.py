"""The cohort dashboard: members × the credentials any of them started (grouped by
stack), with each one's state and last activity, a summary per member (earned, in
progress, credit hours, nudges), the nudge that fits them, and the filters that find who
needs a nudge. "Stalled" is defined in coach/stalled.py, for everyone who counts it.

The grid is paged (PAGE_SIZE members a page, in name order); the filter counts are over
every member. Six queries, whatever the cohort size: the counts, the page's members (with
their flags), their submissions, the newest evidence per submission, their nudges, and the
credentials any member started (with stacks), so the columns stay put from page to page.
The flags are SQL conditions (coach/progress_filters.py), so a member's flag and the
count it adds to can't disagree; the shape the page reads is in coach/progress_grid.py.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, literal
from sqlalchemy.orm import load_only
from sqlmodel import Session, col, select

from server.coach.progress_filters import FILTERS, flag_clauses
from server.coach.progress_grid import (
    STATE_OF_STATUS,
    Cell,
    CellState,
    Dashboard,
    MemberRow,
    StackColumns,
)
from server.coach.stalled import activity, latest
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

PAGE_SIZE = 25  # members per page of the grid (a 12-credential row is ~2.6 KB of HTML)
MAX_PAGES = 1000


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
    flags = flag_clauses(now)
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
        STATE_OF_STATUS[chosen.status], activity(chosen, evidence.get(chosen.id)), chosen.id
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
