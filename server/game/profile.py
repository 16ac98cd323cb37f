"""Everything the progress page shows: points, level, streak, badges, stacks in progress,
recent points and the points-over-time chart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from server.catalog.service import published_credential
from server.errors import InvalidInput
from server.game import chart, ledger, levels, rules, streaks, values, weeks
from server.models import (
    Award,
    Credential,
    PointEvent,
    Review,
    Stack,
    Submission,
    SubmissionStatus,
    User,
    UserPoints,
    Visibility,
    WeeklyPoints,
    utcnow,
)

CHART_WEEKS = 12
RECENT_EVENTS = 10

VISIBILITY_CHOICES = (
    (Visibility.PUBLIC.value, "Public", "Your name shows on every leaderboard you are on."),
    (
        Visibility.COHORT.value,
        "Cohort only",
        "People in your cohorts (and your district's admins) see your name; everyone else "
        "sees “Anonymous teacher”.",
    ),
    (
        Visibility.ANONYMOUS.value,
        "Anonymous",
        "You are ranked as “Anonymous teacher” (your coach and your district's admins "
        "still see your name).",
    ),
    (
        Visibility.HIDDEN.value,
        "Hidden",
        "You are left off every leaderboard; only you see where you would be.",
    ),
)


@dataclass(frozen=True)
class BadgeEarned:
    title: str
    issued_at: datetime
    uuid: str


@dataclass(frozen=True)
class StackProgress:
    title: str
    slug: str
    earned: int
    total: int

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.earned >= self.total


@dataclass(frozen=True)
class RecentPoints:
    label: str
    detail: str
    points: int
    at: datetime


@dataclass(frozen=True)
class Profile:
    user: User
    total: int
    level: levels.Level
    progress: tuple[int, int]
    to_next: int
    streak: streaks.Streak
    badges: list[BadgeEarned]
    stacks: list[StackProgress]
    recent: list[RecentPoints]
    chart: chart.Chart
    celebrate: levels.Level | None
    pays_reviews: bool = False  # the district chose to pay points for reviews


def total_points(*, session: Session, user_id: int) -> int:
    row = session.get(UserPoints, user_id)
    return row.total if row else 0


def build(*, session: Session, user: User, now: datetime | None = None) -> Profile:
    now = now or utcnow()
    points = session.get(UserPoints, user.id)
    total = points.total if points else 0
    game_values = values.for_org(session=session, org_id=user.org_id)
    level = game_values.level_for(total)
    return Profile(
        pays_reviews=game_values.points_for(rules.REVIEW_COMPLETED) > 0,
        user=user,
        total=total,
        level=level,
        progress=level.progress(total),
        to_next=level.to_next(total),
        streak=streaks.current(session=session, user=user, now=now),
        badges=_badges(session, user.id),
        stacks=_stacks(session, user.id),
        recent=_recent(session, user.id),
        chart=_chart(session, user, now),
        celebrate=_celebrate_once(session, user.id, level, points.seen_level if points else 1),
    )


def _celebrate_once(
    session: Session, user_id: int, level: levels.Level, seen_level: int
) -> levels.Level | None:
    """A level reached since the person last looked: shown once (the caller commits when
    there is one). Reading the page writes nothing otherwise."""
    if level.number <= seen_level:
        return None
    seen_now = ledger.advance_level_marker(
        session, user_id=user_id, marker=UserPoints.seen_level, level=level.number
    )
    return level if seen_now else None


def _badges(session: Session, user_id: int) -> list[BadgeEarned]:
    rows = session.execute(
        select(Credential.title, Award.issued_at, Award.uuid)
        .join(Credential, Credential.id == Award.credential_id)
        .where(Award.user_id == user_id, Award.revoked_at.is_(None))
        .order_by(Award.issued_at.desc())
    )
    return [BadgeEarned(title=t, issued_at=at, uuid=u) for t, at, u in rows]


def _stacks(session: Session, user_id: int) -> list[StackProgress]:
    """Stacks where the person has started or earned something."""
    started = select(Submission.credential_id).where(
        Submission.user_id == user_id, Submission.status != SubmissionStatus.WITHDRAWN.value
    )
    earned_ids = set(
        session.execute(
            select(Award.credential_id).where(Award.user_id == user_id, Award.revoked_at.is_(None))
        ).scalars()
    )
    touched = select(Credential.stack_id).where(
        Credential.id.in_(started) | Credential.id.in_(earned_ids or {-1})
    )
    stacks = session.execute(
        select(Stack).where(Stack.id.in_(touched)).order_by(Stack.position, Stack.title)
    ).scalars()
    result = []
    for stack in stacks:
        needed = set(
            session.execute(
                select(Credential.id).where(Credential.stack_id == stack.id, published_credential())
            ).scalars()
        )
        result.append(
            StackProgress(
                title=stack.title,
                slug=stack.slug,
                earned=len(needed & earned_ids),
                total=len(needed),
            )
        )
    return result


def _recent(session: Session, user_id: int) -> list[RecentPoints]:
    events = session.execute(
        select(PointEvent)
        .where(PointEvent.user_id == user_id)
        .order_by(PointEvent.created_at.desc(), PointEvent.id.desc())
        .limit(RECENT_EVENTS)
    ).scalars()
    return [
        RecentPoints(
            label=rules.label_for(e.rule),
            detail=_describe(session, e.ref),
            points=e.points,
            at=e.created_at,
        )
        for e in events
    ]


def _describe(session: Session, ref: str) -> str:
    """What a ledger line paid for, by name: the credential, stack, week or review."""
    kind, _, key = ref.removeprefix("demo:").partition(":")
    if kind == "credential" and key.isdigit():
        credential = session.get(Credential, int(key))
        return credential.title if credential else ""
    if kind in ("review", "award") and key.isdigit():
        return _credential_of(session, kind, int(key))
    if kind == "stack" and key.isdigit():
        stack = session.get(Stack, int(key))
        return stack.title if stack else ""
    if kind == "week" and "-W" in key:
        year, week = key.split("-W")
        return f"Week {int(week)} of {year}"
    return ""


def _credential_of(session: Session, kind: str, row_id: int) -> str:
    """The credential a review (of its submission) or an award was for."""
    if kind == "award":
        credential_id = session.execute(
            select(Award.credential_id).where(Award.id == row_id)
        ).scalar_one_or_none()
    else:
        credential_id = session.execute(
            select(Submission.credential_id)
            .join(Review, Review.submission_id == Submission.id)
            .where(Review.id == row_id)
        ).scalar_one_or_none()
    credential = session.get(Credential, credential_id) if credential_id else None
    return credential.title if credential else ""


def _chart(session: Session, user: User, now: datetime) -> chart.Chart:
    weekly = dict(
        session.execute(
            select(WeeklyPoints.iso_week, WeeklyPoints.points).where(
                WeeklyPoints.user_id == user.id
            )
        ).all()
    )
    window = weeks.recent(now, user.timezone, CHART_WEEKS)
    return chart.build(chart.cumulative(weekly, window))


def set_visibility(*, session: Session, user: User, visibility: str) -> User:
    """The caller commits."""
    allowed = {value for value, _, _ in VISIBILITY_CHOICES}
    if visibility not in allowed:
        raise InvalidInput("Choose one of the leaderboard options.", field="visibility")
    user.leaderboard_visibility = visibility
    session.add(user)
    return user
