"""The assessor's queue: one query, oldest work first (their decision history: history.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    and_,
    bindparam,
    exists,
    false,
    func,
    or_,
    true,
    union_all,
)
from sqlalchemy.orm import aliased
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

from server import access
from server.models import (
    AWAITING_REVIEW,
    Appeal,
    AssessorAppointment,
    Award,
    Credential,
    Org,
    Review,
    Submission,
    User,
    utcnow,
)
from server.review.blind import org_is_blind, pseudonym
from server.review.pair_queue import available_clause
from server.review.queue_cursor import QueueCursor, after_clause
from server.review.turnaround import Turnaround, turnaround

QUEUE_PAGE = 50  # rows per page: the oldest 50 are the ones to take next
# Rendered into the SQL as literals, not parameters: only then may a database use the
# partial index of waiting rows (models.WAITING_WHERE), whatever plan it keeps.
WAITING_STATUSES: BindParameter[list[str]] = bindparam(
    "waiting_statuses", sorted(AWAITING_REVIEW), expanding=True, literal_execute=True
)


@dataclass(frozen=True)
class QueueRow:
    submission_id: int
    credential_title: str
    attempt: int
    submitted_at: datetime | None
    waiting: str
    teacher: str
    school: str | None  # None in blind mode
    mine: bool  # I hold the live lease
    second_opinion: bool = False  # an appeal after "not yet": the first assessor never sees it
    turnaround: Turnaround | None = None  # age against the district's target
    double_blind: bool = False  # scored by two assessors independently (pair_queue.py)
    credential_id: int = 0  # the calibration gate links rows by credential


def _qualified_clause(assessor: User) -> ColumnElement[bool]:
    """SQL twin of access.is_qualified_assessor, for every credential at once."""
    if access.is_admin(assessor):
        return true()
    if not assessor.has_role("assessor"):
        return false()
    earned = select(Award.credential_id).where(
        Award.user_id == assessor.id, Award.revoked_at.is_(None)
    )
    appointed = select(AssessorAppointment.stack_id).where(
        AssessorAppointment.user_id == assessor.id
    )
    return or_(Submission.credential_id.in_(earned), Credential.stack_id.in_(appointed))


def _review_pool(session: Session, people: type[User], viewer: User) -> ColumnElement[bool]:
    """SQL twin of access.in_review_pool: the viewer's pool, plus the independent pool
    for a district that opted in to review it."""
    mine = same_district(people, viewer)
    if not access.is_independent(viewer) and access.reviews_independent(session, viewer):
        return or_(mine, people.org_id.is_(None))
    return mine


def same_district(people: type[User], viewer: User) -> ColumnElement[bool]:
    """SQL twin of access.same_district: `people` (the teachers) share the viewer's pool;
    an independent viewer sees only the independent pool (IS NULL, never `= NULL`)."""
    if access.is_independent(viewer):
        return people.org_id.is_(None)
    return people.org_id == access.pool_of(viewer)


def _lease_is_live(now: datetime) -> ColumnElement[bool]:
    """A claim not decided yet whose lease has not run out."""
    return and_(Review.decision.is_(None), Review.claimed_until > now)


def _live_lease(now: datetime) -> SelectOfScalar[int]:
    return select(Review.id).where(Review.submission_id == Submission.id, _lease_is_live(now))


def _open_appeal() -> SelectOfScalar[int]:
    return select(Appeal.id).where(Appeal.submission_id == Submission.id, Appeal.outcome.is_(None))


def _availability(assessor: User, now: datetime) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """(may the assessor take it, is it a double-blind attempt): a single attempt keeps the
    one-lease rule; a pair attempt has two places (review/pair_queue.py)."""
    held_by_other = exists(_live_lease(now).where(Review.assessor_id != assessor.id))
    return available_clause(assessor=assessor, teacher=User, now=now, held_by_other=held_by_other)


def _first_assessor(assessor: User) -> ColumnElement[bool]:
    """The first decision's assessor(s) of an open appeal: of a double-blind attempt, its
    pair and lead too; none of them gives the second opinion."""
    decided_by_me = select(Review.id).where(
        Review.submission_id == Submission.id,
        Review.assessor_id == assessor.id,
        Review.decision.is_not(None),
    )
    named = exists(_open_appeal().where(Appeal.first_assessor_id == assessor.id))
    return named | (exists(_open_appeal()) & exists(decided_by_me))


def _waiting(query: Any, session: Session, assessor: User, may_take: ColumnElement[bool]) -> Any:
    """The one queue rule, applied to `query`: awaiting review and free for this assessor
    (`may_take`, from _availability); never their own; never the first assessor of an open
    appeal; qualified; in their review pool. Sending an attempt sets its time, so a waiting
    row without one is no attempt of ours: it could never be paged past (queue_cursor.py)."""
    return (
        query.join(Credential, Credential.id == Submission.credential_id)
        .join(User, User.id == Submission.user_id)
        .where(Submission.status.in_(WAITING_STATUSES), Submission.user_id != assessor.id)
        .where(Submission.submitted_at.is_not(None))
        .where(may_take, ~_first_assessor(assessor))
        .where(_qualified_clause(assessor), _review_pool(session, User, assessor))
    )


def count_waiting(
    *, session: Session, assessor: User, cap: int, now: datetime | None = None
) -> int:
    """How many of the queue's submissions the assessor does not hold yet, counted up to
    `cap` (one COUNT, for the home page)."""
    now = now or utcnow()
    mine = exists(_live_lease(now).where(Review.assessor_id == assessor.id))
    may_take, _ = _availability(assessor, now)
    ids = _waiting(select(Submission.id), session, assessor, may_take).where(~mine).limit(cap)
    return session.exec(select(func.count()).select_from(ids.subquery())).one()


# The teacher's district beside the assessor's: one alias for every queue (a new alias
# per request is costly to build and keeps the statement cache from recognising it).
TEACHER_ORG = aliased(Org)


def queue(
    *,
    session: Session,
    assessor: User,
    only_mine: bool = False,
    now: datetime | None = None,
    blind_key: str = "",
    limit: int = QUEUE_PAGE,
    after: QueueCursor | None = None,
) -> list[QueueRow]:
    """Waiting submissions this assessor may take: submitted, or in review with no live
    lease held by someone else; never their own; oldest submitted first; `limit` rows
    after the cursor `after` (queue_cursor.py; the page asks one more than it shows to
    know whether another follows)."""
    now = now or utcnow()
    # Held while the queue is built: the session keeps an object only while something
    # refers to it, and the pool, blindness and target below each read this district.
    district = session.get(Org, assessor.org_id) if assessor.org_id else None
    teacher_org = TEACHER_ORG
    mine = exists(_live_lease(now).where(Review.assessor_id == assessor.id))
    appealed = exists(_open_appeal())
    may_take, pair = _availability(assessor, now)
    # sqlmodel.select is typed for at most four columns
    columns = select(  # type: ignore[call-overload]
        Submission.id.label("submission_id"),
        Submission.attempt,
        Submission.submitted_at,
        Submission.credential_id,
        Credential.title,
        User.id.label("teacher_id"),
        User.display_name,
        User.school,
        teacher_org.blind_review,
        mine.label("mine"),
        appealed.label("appealed"),
        pair.label("pair"),
    )
    query = _waiting(columns, session, assessor, may_take).outerjoin(
        teacher_org, teacher_org.id == User.org_id
    )
    if only_mine:
        # Start from the assessor's own live leases (a short list) rather than testing
        # `mine` on every waiting row: the same rows, found without walking the queue.
        held = select(Review.submission_id).where(
            Review.assessor_id == assessor.id, _lease_is_live(now)
        )
        query = query.where(Submission.id.in_(held))
    if after is not None:
        query = query.where(after_clause(after))
    if only_mine or session.get_bind().dialect.name != "sqlite":
        query = query.order_by(Submission.submitted_at, Submission.id).limit(limit)
    else:
        query = _oldest_first_per_status(query, limit)
    assessor_blind = org_is_blind(session, assessor.org_id)
    target_days = _target_days(session, district)
    rows = []
    for (
        submission_id,
        attempt,
        submitted_at,
        credential_id,
        title,
        teacher_id,
        teacher_name,
        school,
        teacher_blind,
        is_mine,
        is_appeal,
        is_pair,
    ) in session.exec(query):
        blind = assessor_blind or bool(teacher_blind) or bool(is_pair)  # a pair reads blind
        rows.append(
            QueueRow(
                submission_id=submission_id,
                credential_title=title,
                attempt=attempt,
                submitted_at=submitted_at,
                waiting=waiting_text(submitted_at, now),
                teacher=f"Teacher #{pseudonym(teacher_id, blind_key)}" if blind else teacher_name,
                school=None if blind else school,
                mine=bool(is_mine),
                second_opinion=bool(is_appeal),
                double_blind=bool(is_pair),
                turnaround=turnaround(submitted_at, now, target_days),
                credential_id=credential_id,
            )
        )
    return rows


def _oldest_first_per_status(query: Any, limit: int) -> Any:
    """The first `limit` rows of `query` in queue order, for SQLite: one ordered walk per
    waiting status along ix_submission_status_submitted (status =, then submitted_at,
    id), each stopping at `limit` rows, merged. Under the one `status IN (...)` SQLite's
    planner, without statistics, reads and checks every waiting row and sorts them all
    for the 51 a page shows (PostgreSQL walks the partial index in order on its own; the
    union would only double its planning). "Assigned to me" keeps the one walk: its few
    rows lie anywhere in the queue, so every waiting row is checked either way. Each walk
    is a subquery: SQLite takes no ORDER BY or LIMIT on a member of a UNION."""
    walks = [
        select(
            query.where(Submission.status == status)
            .order_by(Submission.submitted_at, Submission.id)
            .limit(limit)
            .subquery()
        )
        for status in sorted(AWAITING_REVIEW)
    ]
    merged = union_all(*walks)
    order = merged.selected_columns
    return merged.order_by(order.submitted_at, order.submission_id).limit(limit)


def _target_days(session: Session, org: Org | None) -> int:
    """The district's turnaround target (the default outside every district)."""
    from server.admin import settings  # admin builds on review; read its one reader lazily

    return (
        settings.review_target_days(session=session, org=org)
        if org
        else settings.DEFAULT_TARGET_DAYS
    )


def waiting_text(since: datetime | None, now: datetime) -> str:
    if since is None:
        return "waiting"
    seconds = max(0, int((now - since).total_seconds()))
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = seconds // size
            return f"waiting {count} {unit}{'' if count == 1 else 's'}"
    return "waiting less than a minute"
