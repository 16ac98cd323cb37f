"""What needs an admin's attention in their district (the admin home): the oldest
submissions waiting for review, claims whose lease ran out (and releasing one), teachers
who stalled, and credentials few people earn on their first try.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, exists, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from server.admin import audit
from server.coach.stalled import stalled_clause  # the coach's one definition
from server.errors import Conflict, NotFound
from server.models import (
    AWAITING_REVIEW,
    DECIDED,
    Credential,
    Org,
    Review,
    Submission,
    SubmissionStatus,
    User,
    utcnow,
)
from server.review.guards import display_name, live_lease
from server.review.queue import waiting_text
from server.review.turnaround import Turnaround, turnaround
from server.submissions import versioned

SHOWN = 10
# A credential earned first time by fewer than this share of its decided first attempts
# (at least MIN_FIRST_TRIES of them) is listed; the field's usual rate is about half.
LOW_FIRST_TRY_RATE = 0.4
MIN_FIRST_TRIES = 5
NOT_CLAIMED = (
    "This submission isn't held by a lapsed claim any more (decided, released or claimed again)."
)


@dataclass(frozen=True)
class Waiting:
    submission_id: int
    credential: str
    teacher: str
    submitted_at: datetime | None
    waiting: str
    turnaround: Turnaround | None

    @property
    def overdue(self) -> bool:
        return self.turnaround is not None and self.turnaround.overdue


@dataclass(frozen=True)
class LapsedClaim:
    submission_id: int
    credential: str
    teacher: str
    assessor: str
    lease_ended: datetime
    review_id: int | None = None  # a live claim names its review (a pair has two)


@dataclass(frozen=True)
class Stalled:
    user_id: int
    name: str
    last_activity: datetime


@dataclass(frozen=True)
class LowFirstTry:
    credential_id: int
    credential: str
    first_tries: int
    awarded: int

    @property
    def percent(self) -> int:
        return round(100 * self.awarded / self.first_tries)


def oldest_waiting(
    *, session: Session, org: Org, target_days: int, now: datetime | None = None
) -> tuple[list[Waiting], int]:
    """The district's oldest waiting submissions, and how many wait in all."""
    now = now or utcnow()
    in_district = (User.org_id == org.id, Submission.status.in_(sorted(AWAITING_REVIEW)))
    total = session.exec(
        select(func.count(Submission.id))
        .join(User, User.id == Submission.user_id)
        .where(*in_district)
    ).one()
    rows = session.exec(
        select(Submission, Credential.title, User.display_name)
        .join(Credential, Credential.id == Submission.credential_id)
        .join(User, User.id == Submission.user_id)
        .where(*in_district)
        .order_by(Submission.submitted_at, Submission.id)
        .limit(SHOWN)
    )
    return [
        Waiting(
            submission_id=submission.id,
            credential=title,
            teacher=name,
            submitted_at=submission.submitted_at,
            waiting=waiting_text(submission.submitted_at, now),
            turnaround=turnaround(submission.submitted_at, now, target_days),
        )
        for submission, title, name in rows
    ], total


def lapsed_claims(*, session: Session, org: Org, now: datetime | None = None) -> list[LapsedClaim]:
    """Submissions still marked in review whose every claim's lease has run out."""
    now = now or utcnow()
    teacher, assessor, other = aliased(User), aliased(User), aliased(Review)
    live = exists().where(
        other.submission_id == Submission.id,
        other.decision.is_(None),
        other.claimed_until > now,
    )
    rows = session.exec(
        select(Submission.id, Credential.title, teacher.display_name, assessor.display_name)  # type: ignore[call-overload]
        .add_columns(func.max(Review.claimed_until))
        .join(Credential, Credential.id == Submission.credential_id)
        .join(teacher, teacher.id == Submission.user_id)
        .join(Review, and_(Review.submission_id == Submission.id, Review.decision.is_(None)))
        .join(assessor, assessor.id == Review.assessor_id)
        .where(teacher.org_id == org.id, Submission.status == SubmissionStatus.IN_REVIEW.value)
        .where(~live)
        .group_by(Submission.id, Credential.title, teacher.display_name, assessor.display_name)
        .order_by(func.max(Review.claimed_until))
    ).all()
    claims: dict[int, LapsedClaim] = {}
    for submission_id, title, teacher_name, assessor_name, ended in rows:
        claims[submission_id] = LapsedClaim(
            submission_id, title, teacher_name, assessor_name, ended
        )
    return list(claims.values())[:SHOWN]


def live_claims(*, session: Session, org: Org, now: datetime | None = None) -> list[LapsedClaim]:
    """The district's claims whose lease still runs (single review and pair places alike),
    the longest held first; `lease_ended` is when each lease will end."""
    now = now or utcnow()
    teacher, assessor = aliased(User), aliased(User)
    rows = session.exec(
        select(Submission.id, Credential.title, teacher.display_name, assessor.display_name)  # type: ignore[call-overload]
        .add_columns(Review.claimed_until, Review.id)
        .join(Credential, Credential.id == Submission.credential_id)
        .join(teacher, teacher.id == Submission.user_id)
        .join(Review, Review.submission_id == Submission.id)
        .join(assessor, assessor.id == Review.assessor_id)
        .where(teacher.org_id == org.id, Submission.status == SubmissionStatus.IN_REVIEW.value)
        .where(Review.decision.is_(None), Review.claimed_until > now)
        .order_by(Review.claimed_at, Review.id)
        .limit(SHOWN)
    ).all()
    return [LapsedClaim(*row) for row in rows]


def release(
    *, session: Session, org: Org, actor: User, submission_id: int, now: datetime | None = None
) -> Submission:
    """Put a submission whose claim lapsed back in the queue as not claimed (the caller
    commits). One conditional UPDATE: a claim or decision that slipped in wins."""
    now = now or utcnow()
    submission = session.get(Submission, submission_id)
    teacher = session.get(User, submission.user_id) if submission else None
    if submission is None or teacher is None or teacher.org_id != org.id:
        raise NotFound("We couldn't find that submission in your district.")
    if submission.status != SubmissionStatus.IN_REVIEW.value:
        raise Conflict(NOT_CLAIMED)
    lease = live_lease(session=session, submission_id=submission.id, now=now)
    if lease is not None:
        raise Conflict(f"{display_name(session, lease.assessor_id)} is reviewing it now.")
    if not versioned.advance(
        session=session,
        submission=submission,
        status_was=SubmissionStatus.IN_REVIEW.value,
        status=SubmissionStatus.SUBMITTED.value,
    ):
        raise Conflict(NOT_CLAIMED)
    credential = session.get_one(Credential, submission.credential_id)
    audit.record(
        session=session,
        org=org,
        actor=actor,
        action="released a lapsed claim",
        target=f"{credential.title} by {teacher.display_name}",
        before={"submission": submission.id, "status": SubmissionStatus.IN_REVIEW.value},
        after={"submission": submission.id, "status": SubmissionStatus.SUBMITTED.value},
    )
    session.refresh(submission)
    return submission


def stalled_teachers(
    *, session: Session, org: Org, now: datetime | None = None
) -> tuple[list[Stalled], int]:
    """People of the district with work in progress (a draft, or a "not yet" they have not
    tried again) who are stalled as the coach's grid defines it (server/coach/stalled.py).
    Oldest activity first, and how many."""
    now = now or utcnow()
    mine = Submission.user_id == User.id
    later = aliased(Submission)
    in_progress = exists().where(
        mine,
        Submission.status.in_((SubmissionStatus.DRAFT.value, SubmissionStatus.NOT_YET.value)),
        ~exists().where(
            later.user_id == Submission.user_id,
            later.credential_id == Submission.credential_id,
            later.attempt > Submission.attempt,
        ),
    )
    stalled = (
        User.org_id == org.id,
        User.deactivated_at.is_(None),
        in_progress,
        # A district member has no join date: their account's creation stands in for it.
        stalled_clause(User.id, User.created_at, now),
    )
    total = session.exec(select(func.count(User.id)).where(*stalled)).one()
    last = select(func.max(Submission.updated_at)).where(mine).scalar_subquery()
    rows = session.exec(
        select(User.id, User.display_name, last)
        .where(*stalled)
        .order_by(last, User.id)
        .limit(SHOWN)
    )
    return [Stalled(uid, name, at) for uid, name, at in rows], total


def low_first_try(*, session: Session, org: Org) -> list[LowFirstTry]:
    """Credentials whose decided first attempts (by the district's teachers) were earned
    less often than LOW_FIRST_TRY_RATE, lowest first."""
    awarded = func.sum(case((Submission.status == SubmissionStatus.AWARDED.value, 1), else_=0))
    rows = session.exec(
        select(Credential.id, Credential.title, func.count(Submission.id), awarded)
        .join(Submission, Submission.credential_id == Credential.id)
        .join(User, User.id == Submission.user_id)
        .where(User.org_id == org.id, Submission.attempt == 1)
        .where(Submission.status.in_(sorted(DECIDED)))
        .group_by(Credential.id, Credential.title)
        .having(func.count(Submission.id) >= MIN_FIRST_TRIES)
    ).all()
    found = [LowFirstTry(cid, title, int(tries), int(won or 0)) for cid, title, tries, won in rows]
    low = [c for c in found if c.awarded < LOW_FIRST_TRY_RATE * c.first_tries]
    return sorted(low, key=lambda c: (c.awarded / c.first_tries, c.credential))[:SHOWN]
