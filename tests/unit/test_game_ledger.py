"""The ledger pays once per (user, rule, ref) under races, and the totals always equal
the ledger sum (kept in the same transaction; `rebuild` agrees)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, update
from sqlmodel import Session

from server.game import ledger
from server.models import (
    ActivityWeek,
    Notification,
    PointEvent,
    User,
    UserPoints,
    WeeklyPoints,
)
from tests.support.factories import make_user
from tests.support.game import cached_totals, cached_weeks, ledger_totals

RACERS = 50


def test_fifty_concurrent_attempts_pay_exactly_once(engine, session):
    teacher = make_user(session)
    barrier = threading.Barrier(RACERS)
    outcomes: list[bool] = []
    errors: list[BaseException] = []

    def attempt() -> None:
        # Each racer has its own Session; the connection is taken only after the barrier
        # so a small connection pool cannot keep racers from reaching it.
        with Session(engine) as own:
            try:
                barrier.wait(timeout=60)
                paid = ledger.pay(
                    session=own,
                    user_id=teacher.id,
                    rule="credential_earned",
                    ref="credential:42",
                    points=100,
                )
                own.commit()
                outcomes.append(paid)
            except BaseException as err:  # noqa: BLE001 - reported below
                errors.append(err)

    threads = [threading.Thread(target=attempt) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(outcomes) == [False] * (RACERS - 1) + [True]
    rows = session.execute(select(PointEvent).where(PointEvent.user_id == teacher.id)).all()
    assert len(rows) == 1
    session.expire_all()
    assert session.get(UserPoints, teacher.id).total == 100
    assert cached_weeks(session) == {(teacher.id, _this_week_utc()): 100}


def _this_week_utc() -> str:
    year, week, _ = datetime.now(UTC).isocalendar()
    return f"{year}-W{week:02d}"


def test_totals_follow_the_ledger_and_rebuild_agrees(session):
    alice, bob = make_user(session), make_user(session, timezone="Pacific/Auckland")
    at = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)  # Sunday evening UTC, Monday in Auckland
    for n in range(5):
        ledger.pay(
            session=session,
            user_id=alice.id,
            rule="review_completed",
            ref=f"review:{n}",
            points=20,
            at=at + timedelta(days=n),
        )
        ledger.pay(
            session=session,
            user_id=bob.id,
            rule="review_completed",
            ref=f"review:{n}",
            points=20,
            at=at,
        )
    session.commit()
    assert cached_totals(session) == ledger_totals(session) == {alice.id: 100, bob.id: 100}
    assert cached_weeks(session) == {
        (alice.id, "2026-W09"): 20,
        (alice.id, "2026-W10"): 80,
        (bob.id, "2026-W10"): 100,
    }
    before = (cached_totals(session), cached_weeks(session))

    report = ledger.rebuild(session=session)
    session.commit()
    assert (report.events, report.users, report.corrected_users) == (10, 2, 0)
    assert (cached_totals(session), cached_weeks(session)) == before


def test_rebuild_repairs_totals_that_drifted(session):
    teacher, idle = make_user(session), make_user(session)
    ledger.pay(
        session=session, user_id=teacher.id, rule="stack_completed", ref="stack:1", points=150
    )
    session.commit()
    # Damage the caches the way a bad manual edit would.
    session.execute(update(UserPoints).values(total=9999))
    session.add(UserPoints(user_id=idle.id, total=5))
    session.execute(delete(WeeklyPoints))
    session.commit()

    report = ledger.rebuild(session=session)
    session.commit()
    assert report.corrected_users == 2
    assert cached_totals(session) == {teacher.id: 150}
    assert sum(cached_weeks(session).values()) == 150


def test_rebuild_never_announces_a_level_again(session):
    teacher = make_user(session)
    ledger.pay(session=session, user_id=teacher.id, rule="credential_earned", ref="c:1", points=800)
    session.commit()
    ledger.rebuild(session=session)
    session.commit()
    notices = session.execute(select(Notification).where(Notification.kind == "level")).all()
    assert len(notices) == 1


def test_each_level_is_announced_once_with_a_notice(session):
    teacher = make_user(session)
    for n in range(6):  # 6 x 130 = 780: Practitioner at 250, Mentor at 750
        ledger.pay(
            session=session,
            user_id=teacher.id,
            rule="credential_earned",
            ref=f"credential:{n}",
            points=130,
        )
    session.commit()
    notices = session.execute(
        select(Notification.title, Notification.url)
        .where(Notification.user_id == teacher.id)
        .order_by(Notification.id)
    ).all()
    assert notices == [
        ("You reached level 2: Practitioner!", "/me"),
        ("You reached level 3: Mentor!", "/me"),
    ]


def test_jumping_straight_past_a_level_announces_only_where_you_land(session):
    teacher = make_user(session)
    ledger.pay(
        session=session, user_id=teacher.id, rule="stack_completed", ref="stack:1", points=2000
    )
    session.commit()
    titles = session.execute(select(Notification.title)).scalars().all()
    assert titles == ["You reached level 4: Master!"]


# --- property: whatever the sequence of payments, totals equal the ledger --------------

USERS = 3
payment = st.tuples(
    st.integers(0, USERS - 1),
    st.sampled_from(["first_submission", "credential_earned", "review_completed"]),
    st.integers(0, 4),  # ref
    st.integers(1, 300),  # points
    st.datetimes(
        min_value=datetime(2025, 12, 25), max_value=datetime(2026, 1, 8), timezones=st.just(UTC)
    ),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payments=st.lists(payment, max_size=30))
def test_totals_always_equal_the_ledger_sum(session, payments):
    for table in (PointEvent, UserPoints, WeeklyPoints, Notification, ActivityWeek):
        session.execute(delete(table))
    session.commit()
    users = _three_users(session)
    for index, rule, ref, points, at in payments:
        ledger.pay(
            session=session,
            user_id=users[index].id,
            rule=rule,
            ref=f"r:{ref}",
            points=points,
            at=at,
        )
    session.commit()

    assert cached_totals(session) == ledger_totals(session)
    expected_weeks = _weeks_from_ledger(session, {u.id: u.timezone for u in users})
    assert cached_weeks(session) == expected_weeks
    ledger.rebuild(session=session)
    session.commit()
    assert cached_totals(session) == ledger_totals(session)
    assert cached_weeks(session) == expected_weeks


def _three_users(session: Session) -> list[User]:
    zones = ["UTC", "America/Los_Angeles", "Asia/Tokyo"]
    users = []
    for n, tz in enumerate(zones):
        user = session.execute(select(User).where(User.handle == f"prop{n}")).scalar()
        users.append(user or make_user(session, handle=f"prop{n}", timezone=tz))
    return users


def _weeks_from_ledger(session: Session, zones: dict[int, str]) -> dict[tuple[int, str], int]:
    from zoneinfo import ZoneInfo

    result: dict[tuple[int, str], int] = {}
    for uid, points, at in session.execute(
        select(PointEvent.user_id, PointEvent.points, PointEvent.created_at)
    ):
        year, week, _ = at.astimezone(ZoneInfo(zones[uid])).isocalendar()
        key = (uid, f"{year}-W{week:02d}")
        result[key] = result.get(key, 0) + points
    return result
