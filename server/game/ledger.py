"""The append-only points ledger and the totals derived from it.

`pay()` inserts one PointEvent once on the unique key (user_id, rule, ref), with
server/inserts.py: a duplicate is simply "nothing inserted", so retries and races pay
once and never raise inside the caller's transaction (no savepoint: see there why).
Totals (all-time and per ISO week) are upserted in that same transaction, so they always
equal the ledger sum; `rebuild()` recomputes them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, bindparam, delete, select, true, update
from sqlalchemy.orm import InstrumentedAttribute
from sqlmodel import Session

from server.game import board_events, levels, values, weeks
from server.inserts import dialect_insert, insert_once
from server.models import (
    NoticeKind,
    Notification,
    PointEvent,
    User,
    UserPoints,
    WeeklyPoints,
    utcnow,
)
from server.notify import service as notify
from server.timezones import as_utc, zone

PROFILE_URL = "/me"


def _aware(at: datetime | None) -> datetime:
    if at is None:
        return utcnow()
    return as_utc(at)


def pay(
    *, session: Session, user_id: int, rule: str, ref: str, points: int, at: datetime | None = None
) -> bool:
    """Pay `points` to the user for (rule, ref) unless already paid. True when paid now.
    Adds and flushes only: the caller's transaction commits (or rolls it all back)."""
    at = _aware(at)
    row = {"user_id": user_id, "rule": rule, "ref": ref, "points": points, "created_at": at}
    if not _insert_once(session, row):
        return False
    user = session.get(User, user_id)
    week = weeks.iso_week(at, user.timezone if user else None)
    total = _add_to_totals(session, user_id=user_id, points=points, week=week)
    board_events.paid(session, user=user, rule=rule, ref=ref, points=points, week=week)
    _celebrate_new_level(session, user=user, user_id=user_id, total=total)
    return True


def lock_totals(*, session: Session, user_ids: Iterable[int]) -> None:
    """Hold several people's total rows, taken in one agreed order (by user id).

    A decision pays the teacher and the assessor; two assessors deciding each other's
    attempts at once would otherwise lock the same two rows in opposite orders, and
    PostgreSQL would kill one transaction as a deadlock. In id order they just queue."""
    ids = sorted(set(user_ids))
    if not ids or dialect_insert(session, UserPoints) is None:
        return
    for user_id in ids:
        insert_once(session, UserPoints, {"user_id": user_id, "total": 0}, keys=("user_id",))
    session.execute(
        select(UserPoints.user_id)
        .where(UserPoints.user_id.in_(ids))
        .order_by(UserPoints.user_id)
        .with_for_update()
    )


def _insert_once(session: Session, row: dict[str, Any]) -> bool:
    return insert_once(session, PointEvent, row, keys=("user_id", "rule", "ref"))


def _add_to_totals(session: Session, *, user_id: int, points: int, week: str) -> int:
    now = utcnow()
    stmt = dialect_insert(session, UserPoints)
    stmt = stmt.values(user_id=user_id, total=points, updated_at=now)
    stmt = stmt.on_conflict_do_update(
        index_elements=["user_id"],
        set_={
            "total": UserPoints.__table__.c.total + stmt.excluded.total,
            "updated_at": stmt.excluded.updated_at,
        },
    ).returning(UserPoints.__table__.c.total)
    total: int = session.execute(stmt).scalar_one()
    weekly = dialect_insert(session, WeeklyPoints)
    weekly = weekly.values(user_id=user_id, iso_week=week, points=points)
    session.execute(
        weekly.on_conflict_do_update(
            index_elements=["user_id", "iso_week"],
            set_={"points": WeeklyPoints.__table__.c.points + weekly.excluded.points},
        )
    )
    return total


def advance_level_marker(
    session: Session, *, user_id: int, marker: InstrumentedAttribute[int], level: int
) -> bool:
    """Raise a per-user level marker (celebrated_level, seen_level) to `level`. True for
    exactly one of any racing transactions: the conditional UPDATE decides."""
    if level <= 1:
        return False
    return (
        session.exec(
            update(UserPoints)
            .where(UserPoints.user_id == user_id, marker < level)
            .values({marker.key: level})
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )


def _celebrate_new_level(session: Session, *, user: User | None, user_id: int, total: int) -> None:
    """Announce each level once (the in-app notice; the profile banner is separate),
    dated when the ledger, in time order, reached it and with the total at that moment:
    a payment dated earlier than others (imported history, the demo) can't make the
    notice name a total the person never had. Thresholds are the person's district's."""
    org_id = user.org_id if user else None
    level = values.for_org(session=session, org_id=org_id).level_for(total)
    if advance_level_marker(
        session, user_id=user_id, marker=UserPoints.celebrated_level, level=level.number
    ):
        reached_with, reached_at = _reached(session, user_id=user_id, points=level.floor)
        notice = notify.send(
            session=session,
            user_id=user_id,
            kind=NoticeKind.LEVEL,
            title=_level_title(level),
            body=_level_body(level, reached_with),
            url=PROFILE_URL,
        )
        if reached_at is not None:
            notice.created_at = reached_at


def _level_title(level: levels.Level) -> str:
    return f"You reached level {level.number}: {level.name}!"


def _level_body(level: levels.Level, total: int) -> str:
    return (
        f"Your total was {total} points when you reached it ({level.name} starts at {level.floor})."
    )


def redate_level_notices(*, session: Session, user_ids: Iterable[int]) -> None:
    """After history was loaded out of time order (the demo seed), make each level notice
    say when, in time order, the level was reached and with what total."""
    for user_id in user_ids:
        person = session.get(User, user_id)
        thresholds = values.for_org(session=session, org_id=person.org_id if person else None)
        reached: dict[str, tuple[str, datetime]] = {}
        for running, at in _running_totals(session, user_id):
            level = thresholds.level_for(running)
            reached.setdefault(_level_title(level), (_level_body(level, running), at))
        notices = session.execute(
            select(Notification).where(
                Notification.user_id == user_id, Notification.kind == NoticeKind.LEVEL
            )
        ).scalars()
        for notice in notices:
            if notice.title in reached:
                notice.body, notice.created_at = reached[notice.title]


def _running_totals(session: Session, user_id: int) -> Iterator[tuple[int, datetime]]:
    """(total so far, moment) after each of the person's payments, oldest first. Read
    only when a level is reached, so walking one person's ledger is cheap."""
    running = 0
    for paid, at in session.execute(
        select(PointEvent.points, PointEvent.created_at)
        .where(PointEvent.user_id == user_id)
        .order_by(PointEvent.created_at, PointEvent.id)
    ):
        running += paid
        yield running, at


def _reached(session: Session, *, user_id: int, points: int) -> tuple[int, datetime | None]:
    """(total, moment) when the person's ledger, in time order, first reached `points`."""
    for running, at in _running_totals(session, user_id):
        if running >= points:
            return running, at
    return points, None


@dataclass(frozen=True)
class RebuildReport:
    events: int
    users: int
    weeks: int
    corrected_users: int


def rebuild(*, session: Session, org_id: int | None = None) -> RebuildReport:
    """Recompute totals from the ledger (the caller commits): everyone's, or only the
    people of one district (`org_id`). Level celebrations are kept: a rebuild never
    announces a level again. It adds up what was paid; it never re-prices a payment."""
    if session.get_bind().dialect.name == "postgresql":
        # Payments wait until the rebuild commits, so none is counted twice or lost.
        session.connection().exec_driver_sql("LOCK TABLE pointevent IN SHARE MODE")
    people = _people(org_id)
    # First write: SQLite now holds the write lock.
    session.execute(delete(WeeklyPoints).where(people(WeeklyPoints.user_id)))
    before = dict(
        session.execute(
            select(UserPoints.user_id, UserPoints.total).where(people(UserPoints.user_id))
        ).all()
    )
    totals, weekly, events = _sum_ledger(session, people)
    now = utcnow()
    session.execute(
        update(UserPoints)
        .where(people(UserPoints.user_id))
        .values(total=0, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    _write_totals(session, totals=totals, existing=set(before), now=now)
    if weekly:
        session.execute(
            WeeklyPoints.__table__.insert(),
            [
                {"user_id": uid, "iso_week": week, "points": pts}
                for (uid, week), pts in weekly.items()
            ],
        )
    board_events.totals_rebuilt(session)
    corrected = sum(
        1 for uid in set(before) | set(totals) if before.get(uid, 0) != totals.get(uid, 0)
    )
    return RebuildReport(
        events=events, users=len(totals), weeks=len(weekly), corrected_users=corrected
    )


def _people(org_id: int | None) -> Callable[[Any], ColumnElement[bool]]:
    """A filter on a user id column: everyone, or the people of one district."""
    if org_id is None:
        return lambda column: true()
    members = select(User.id).where(User.org_id == org_id)
    return lambda column: column.in_(members)


def _sum_ledger(
    session: Session, people: Callable[[Any], ColumnElement[bool]]
) -> tuple[dict[int, int], dict[tuple[int, str], int], int]:
    zones = {
        uid: zone(tz)
        for uid, tz in session.execute(select(User.id, User.timezone).where(people(User.id)))
    }
    totals: dict[int, int] = defaultdict(int)
    weekly: dict[tuple[int, str], int] = defaultdict(int)
    events = 0
    rows = session.execute(
        select(PointEvent.user_id, PointEvent.points, PointEvent.created_at)
        .where(people(PointEvent.user_id))
        .execution_options(yield_per=20_000)
    )
    for user_id, points, at in rows:
        events += 1
        totals[user_id] += points
        weekly[(user_id, weeks.label(at.astimezone(zones[user_id]).date()))] += points
    return totals, weekly, events


def _write_totals(
    session: Session, *, totals: dict[int, int], existing: set[int], now: datetime
) -> None:
    table = UserPoints.__table__
    changed = [{"uid": uid, "points": pts} for uid, pts in totals.items() if uid in existing]
    if changed:
        session.connection().execute(
            table.update()
            .where(table.c.user_id == bindparam("uid"))
            .values(total=bindparam("points")),
            changed,
        )
    fresh = [
        {"user_id": uid, "total": pts, "updated_at": now}
        for uid, pts in totals.items()
        if uid not in existing
    ]
    if fresh:
        session.connection().execute(table.insert(), fresh)
