"""Weekly streaks: evidence added or an attempt (re)submitted in an ISO week (the person's own
time zone) keeps the streak; each week that extends a streak to two or more weeks pays
the streak rule once (ref = the week)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlmodel import Session

from server.db import read
from server.game import ledger, rules, values, weeks
from server.inserts import insert_once
from server.models import ActivityWeek, User, utcnow

MAX_WEEKS_LOOKED_AT = 520  # ten years is long enough for anyone's streak


@dataclass(frozen=True)
class Streak:
    weeks: int
    active_this_week: bool


def record_activity(
    *, session: Session, user_id: int, kind: str, at: datetime | None = None
) -> bool:
    """Note the week of an activity; True when it paid a streak week."""
    if kind not in rules.STREAK_ACTIVITIES:
        return False
    user = session.get(User, user_id)
    if user is None:
        return False
    at = at or utcnow()
    week = weeks.iso_week(at, user.timezone)
    row = {"user_id": user_id, "iso_week": week, "first_at": at}
    if not insert_once(session, ActivityWeek, row, keys=("user_id", "iso_week")):
        return False  # this week already counted
    if _run_ending_at(session, user_id=user_id, week=week) < 2:
        return False
    return ledger.pay(
        session=session,
        user_id=user_id,
        rule=rules.STREAK_WEEK.name,
        ref=f"week:{week}",
        points=values.for_org(session=session, org_id=user.org_id).points_for(rules.STREAK_WEEK),
        at=at,
    )


# Read on every home and progress page: built once (see server.db.read).
ACTIVE_WEEKS = (
    select(ActivityWeek.iso_week)
    .where(
        ActivityWeek.user_id == bindparam("user_id"), ActivityWeek.iso_week <= bindparam("up_to")
    )
    .order_by(ActivityWeek.iso_week.desc())
    .limit(MAX_WEEKS_LOOKED_AT)
)


def _active_weeks(session: Session, *, user_id: int, up_to: str) -> list[str]:
    return list(read(session, ACTIVE_WEEKS, user_id=user_id, up_to=up_to).scalars())


def _count_run(active: list[str], start: str) -> int:
    """Consecutive weeks in `active` (newest first) counting back from `start`."""
    expected, length = start, 0
    for week in active:
        if week != expected:
            break
        length += 1
        expected = weeks.previous(expected)
    return length


def _run_ending_at(session: Session, *, user_id: int, week: str) -> int:
    return _count_run(_active_weeks(session, user_id=user_id, up_to=week), week)


def current(*, session: Session, user: User, now: datetime | None = None) -> Streak:
    """The streak as the person sees it: a streak that ended last week is still alive
    until this week is over."""
    this_week = weeks.iso_week(now or utcnow(), user.timezone)
    active = _active_weeks(session, user_id=user.id, up_to=this_week)
    if active and active[0] == this_week:
        return Streak(weeks=_count_run(active, this_week), active_this_week=True)
    return Streak(weeks=_count_run(active, weeks.previous(this_week)), active_this_week=False)
