"""What a signed-in person's home shows, per role. Each section costs a fixed number of
indexed queries (the coach's: four per cohort, at most MAX_COHORTS of them): no query per
attempt, claim or member."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, Row, bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from server import access
from server.catalog.service import published_credential, published_stack
from server.coach import progress
from server.coach.progress_grid import MemberRow
from server.coach.service import cohorts_for
from server.db import read
from server.game import streaks, weeks
from server.models import (
    AWAITING_REVIEW,
    Credential,
    Review,
    Stack,
    Submission,
    SubmissionStatus,
    User,
    WeeklyPoints,
    utcnow,
)
from server.review import hidden_rows
from server.review.queue import count_waiting

MAX_COHORTS = 6
# The home counts the queue up to this many; beyond it says "200 or more".
WAITING_CAP = 200
MAX_STALLED_NAMES = 5


@dataclass(frozen=True)
class Attempt:
    submission_id: int
    credential_title: str
    attempt: int
    status: str
    at: datetime


@dataclass(frozen=True)
class Suggestion:
    title: str
    slug: str
    stack_title: str


@dataclass
class TeacherHome:
    drafts: list[Attempt] = field(default_factory=list)
    not_yet: list[Attempt] = field(default_factory=list)
    waiting: list[Attempt] = field(default_factory=list)
    earned: int = 0
    streak: streaks.Streak = streaks.Streak(weeks=0, active_this_week=False)
    points_this_week: int = 0
    suggestion: Suggestion | None = None


@dataclass(frozen=True)
class Claim:
    submission_id: int
    credential_title: str
    attempt: int
    lease_until: datetime


@dataclass(frozen=True)
class AssessorHome:
    waiting: int
    at_limit: bool  # the queue holds at least WAITING_CAP: "200 or more"
    claims: list[Claim]


@dataclass(frozen=True)
class StalledCohort:
    cohort_id: int
    name: str
    members: int
    stalled: list[MemberRow]


@dataclass(frozen=True)
class CoachHome:
    cohorts: list[StalledCohort]
    more: int  # cohorts beyond MAX_COHORTS, left to the cohorts page


@dataclass(frozen=True)
class Home:
    user: User
    teacher: TeacherHome | None
    assessor: AssessorHome | None
    coach: CoachHome | None
    admin: bool


def build(*, session: Session, user: User, now: datetime | None = None) -> Home:
    now = now or utcnow()
    reviews = user.has_role("assessor") or access.is_admin(user)
    coaches = user.has_role("coach") or access.is_admin(user)
    return Home(
        user=user,
        teacher=teacher_home(session=session, user=user, now=now)
        if user.has_role("teacher")
        else None,
        assessor=assessor_home(session=session, user=user, now=now) if reviews else None,
        coach=coach_home(session=session, user=user, now=now) if coaches else None,
        admin=access.is_admin(user),
    )


# --- teacher ----------------------------------------------------------------------------


_USER: BindParameter[int] = bindparam("user_id")
# The teacher's home reads, built once (see server.db.read): every attempt but withdrawn
# ones, newest first, with the columns the home shows.
ATTEMPTS = (
    sa_select(
        Submission.id,
        Submission.credential_id,
        Submission.attempt,
        Submission.status,
        Submission.decided_at,
        Submission.submitted_at,
        Submission.updated_at,
        Credential.title,
        Credential.stack_id,
    )
    .join(Credential, Credential.id == Submission.credential_id)
    .where(Submission.user_id == _USER, Submission.status != SubmissionStatus.WITHDRAWN.value)
    .order_by(Submission.updated_at.desc(), Submission.attempt.desc())
)
WEEK_POINTS = sa_select(WeeklyPoints.points).where(
    WeeklyPoints.user_id == _USER, WeeklyPoints.iso_week == bindparam("week")
)
SUGGESTIONS = (
    sa_select(Credential.id, Credential.title, Credential.slug, Stack.title)
    .join(Stack, Stack.id == Credential.stack_id)
    .where(Credential.stack_id.in_(bindparam("stack_ids", expanding=True)))
    .where(published_credential(), published_stack())
    .order_by(Stack.position, Stack.title, Credential.position, Credential.title)
)


def teacher_home(*, session: Session, user: User, now: datetime) -> TeacherHome:
    """The newest attempt at each credential decides where it shows: a draft to continue,
    a "not yet" to answer, a decision being waited for, or an earned credential."""
    home = TeacherHome()
    newest: dict[int, Row[Any]] = {}
    stacks: set[int] = set()
    for row in read(session, ATTEMPTS, user_id=user.id):
        stacks.add(row.stack_id)
        kept = newest.get(row.credential_id)
        if kept is None or row.attempt > kept.attempt:
            newest[row.credential_id] = row
    for row in newest.values():
        _place(home, row)
    for group in (home.drafts, home.not_yet, home.waiting):
        group.sort(key=lambda a: a.at, reverse=True)
    home.streak = streaks.current(session=session, user=user, now=now)
    week = weeks.iso_week(now, user.timezone)
    home.points_this_week = read(session, WEEK_POINTS, user_id=user.id, week=week).scalar() or 0
    home.suggestion = _suggestion(session, stacks, set(newest))
    return home


def _place(home: TeacherHome, row: Row[Any]) -> None:
    """One credential's newest attempt (a row of ATTEMPTS) in its group."""
    status = row.status
    at = row.decided_at or row.submitted_at or row.updated_at
    attempt = Attempt(row.id, row.title, row.attempt, status, at)
    if status == SubmissionStatus.DRAFT.value:
        home.drafts.append(attempt)
    elif status == SubmissionStatus.NOT_YET.value:
        home.not_yet.append(attempt)
    elif status in AWAITING_REVIEW:
        home.waiting.append(attempt)
    elif status == SubmissionStatus.AWARDED.value:
        home.earned += 1


def _suggestion(session: Session, stack_ids: set[int], touched: set[int]) -> Suggestion | None:
    """The first published credential not yet started in a stack the teacher started."""
    if not stack_ids:
        return None
    rows = read(session, SUGGESTIONS, stack_ids=sorted(stack_ids))
    for credential_id, title, slug, stack_title in rows:
        if credential_id not in touched:
            return Suggestion(title, slug, stack_title)
    return None


# --- assessor ---------------------------------------------------------------------------


def assessor_home(*, session: Session, user: User, now: datetime) -> AssessorHome:
    waiting = count_waiting(session=session, assessor=user, now=now, cap=WAITING_CAP)
    claims = session.exec(
        select(Review.submission_id, Credential.title, Submission.attempt, Review.claimed_until)
        .join(Submission, Submission.id == Review.submission_id)
        .join(Credential, Credential.id == Submission.credential_id)
        .where(
            Review.assessor_id == user.id,
            col(Review.decision).is_(None),
            Review.claimed_until > now,
        )
        .order_by(Review.claimed_until)
    ).all()
    free, held = hidden_rows.for_home(session=session, assessor=user, now=now)
    waiting = min(WAITING_CAP, waiting + free)
    return AssessorHome(
        waiting=waiting,
        at_limit=waiting >= WAITING_CAP,
        claims=sorted((Claim(*row) for row in [*claims, *held]), key=lambda c: c.lease_until),
    )


# --- coach ------------------------------------------------------------------------------


def coach_home(*, session: Session, user: User, now: datetime) -> CoachHome:
    """Stalled members exactly as the cohort page's "stalled" filter finds them."""
    summaries = cohorts_for(session=session, user=user)
    cohorts = []
    for summary in summaries[:MAX_COHORTS]:
        board = progress.dashboard(
            session=session, cohort=summary.cohort, filter_name="stalled", now=now
        )
        cohorts.append(
            StalledCohort(
                cohort_id=summary.cohort.id,
                name=summary.cohort.name,
                members=summary.member_count,
                stalled=board.rows,
            )
        )
    return CoachHome(cohorts=cohorts, more=max(0, len(summaries) - MAX_COHORTS))
