"""Everything the progress page shows: points, level, streak, badges, stacks in progress,
recent points and the points-over-time chart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import BindParameter, Executable, bindparam, select
from sqlmodel import Session

from server.catalog.service import published_credential
from server.db import read
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
    points = read(session, POINTS, user_id=user.id).first()
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


_USER: BindParameter[int] = bindparam("user_id")
# The page's reads, built once (see server.db.read).
POINTS = select(UserPoints.total, UserPoints.seen_level).where(UserPoints.user_id == _USER)
BADGES = (
    select(Credential.title, Award.issued_at, Award.uuid)
    .join(Credential, Credential.id == Award.credential_id)
    .where(Award.user_id == _USER, Award.revoked_at.is_(None))
    .order_by(Award.issued_at.desc())
)
EARNED = select(Award.credential_id).where(Award.user_id == _USER, Award.revoked_at.is_(None))
# Each stack the person started or earned in, with its published credentials (one row per
# credential; a stack without any has one row with None).
TOUCHED_STACKS = (
    select(Stack.title, Stack.slug, Credential.id)
    .outerjoin(Credential, (Credential.stack_id == Stack.id) & published_credential())
    .where(
        Stack.id.in_(
            select(Credential.stack_id)
            .where(
                Credential.id.in_(
                    select(Submission.credential_id).where(
                        Submission.user_id == _USER,
                        Submission.status != SubmissionStatus.WITHDRAWN.value,
                    )
                )
                | Credential.id.in_(EARNED)
            )
            .correlate(None)  # its own credential table, not the joined one
        )
    )
    .order_by(Stack.position, Stack.title, Stack.id)
)
RECENT = (
    select(PointEvent.rule, PointEvent.ref, PointEvent.points, PointEvent.created_at)
    .where(PointEvent.user_id == _USER)
    .order_by(PointEvent.created_at.desc(), PointEvent.id.desc())
    .limit(RECENT_EVENTS)
)
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
CREDENTIAL_TITLES = select(Credential.id, Credential.title).where(Credential.id.in_(_IDS))
STACK_TITLES = select(Stack.id, Stack.title).where(Stack.id.in_(_IDS))
AWARD_CREDENTIALS = select(Award.id, Award.credential_id).where(Award.id.in_(_IDS))
REVIEW_CREDENTIALS = (
    select(Review.id, Submission.credential_id)
    .join(Submission, Submission.id == Review.submission_id)
    .where(Review.id.in_(_IDS))
)
WEEKLY = select(WeeklyPoints.iso_week, WeeklyPoints.points).where(WeeklyPoints.user_id == _USER)


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
    rows = read(session, BADGES, user_id=user_id)
    return [BadgeEarned(title=t, issued_at=at, uuid=u) for t, at, u in rows]


def _stacks(session: Session, user_id: int) -> list[StackProgress]:
    """Stacks where the person has started or earned something."""
    earned_ids = set(read(session, EARNED, user_id=user_id).scalars())
    needed: dict[tuple[str, str], set[int]] = {}
    for title, slug, credential_id in read(session, TOUCHED_STACKS, user_id=user_id):
        credentials = needed.setdefault((title, slug), set())
        if credential_id is not None:
            credentials.add(credential_id)
    return [
        StackProgress(title=title, slug=slug, earned=len(ids & earned_ids), total=len(ids))
        for (title, slug), ids in needed.items()
    ]


def _recent(session: Session, user_id: int) -> list[RecentPoints]:
    events = read(session, RECENT, user_id=user_id).all()
    names = _Names(session, [e.ref for e in events])
    return [
        RecentPoints(
            label=rules.label_for(e.rule),
            detail=names.describe(e.ref),
            points=e.points,
            at=e.created_at,
        )
        for e in events
    ]


def _parse_ref(ref: str) -> tuple[str, str]:
    kind, _, key = ref.removeprefix("demo:").partition(":")
    return kind, key


class _Names:
    """What ledger lines paid for, by name (the credential, stack, week or review): every
    name the page's lines need, looked up in at most one statement per kind."""

    def __init__(self, session: Session, refs: list[str]) -> None:
        wanted: dict[str, set[int]] = {
            "credential": set(),
            "stack": set(),
            "award": set(),
            "review": set(),
        }
        for kind, key in map(_parse_ref, refs):
            if kind in wanted and key.isdigit():
                wanted[kind].add(int(key))
        self.credential_of: dict[str, dict[int, int]] = {
            kind: dict(read(session, statement, ids=sorted(wanted[kind])).all())
            if wanted[kind]
            else {}
            for kind, statement in (("award", AWARD_CREDENTIALS), ("review", REVIEW_CREDENTIALS))
        }
        credential_ids = wanted["credential"].union(
            *(ids.values() for ids in self.credential_of.values())
        )
        self.credentials = self._titles(session, CREDENTIAL_TITLES, credential_ids)
        self.stacks = self._titles(session, STACK_TITLES, wanted["stack"])

    @staticmethod
    def _titles(session: Session, statement: Executable, ids: set[int]) -> dict[int, str]:
        return dict(read(session, statement, ids=sorted(ids)).all()) if ids else {}

    def describe(self, ref: str) -> str:
        kind, key = _parse_ref(ref)
        if kind == "credential" and key.isdigit():
            return self.credentials.get(int(key), "")
        if kind in ("review", "award") and key.isdigit():
            credential_id = self.credential_of[kind].get(int(key))
            return self.credentials.get(credential_id, "") if credential_id else ""
        if kind == "stack" and key.isdigit():
            return self.stacks.get(int(key), "")
        if kind == "week" and "-W" in key:
            year, week = key.split("-W")
            return f"Week {int(week)} of {year}"
        return ""


def _chart(session: Session, user: User, now: datetime) -> chart.Chart:
    weekly = dict(read(session, WEEKLY, user_id=user.id).all())
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
