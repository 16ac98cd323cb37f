"""ISO weeks in the person's own time zone, and weekly streaks built from them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from server.game import service as game
from server.game import streaks, weeks
from tests.support.factories import make_user
from tests.support.game import cached_weeks, events


@pytest.mark.parametrize(
    ("at", "tz", "expected"),
    [
        # Monday 07:30 UTC is still Sunday evening in Los Angeles: the earlier week.
        (datetime(2026, 1, 5, 7, 30, tzinfo=UTC), "America/Los_Angeles", "2026-W01"),
        (datetime(2026, 1, 5, 7, 30, tzinfo=UTC), "UTC", "2026-W02"),
        # Sunday 12:30 UTC is already Monday in Auckland: the later week.
        (datetime(2026, 1, 4, 12, 30, tzinfo=UTC), "Pacific/Auckland", "2026-W02"),
        # New Year's Day 2027 belongs to ISO week 53 of 2026.
        (datetime(2027, 1, 1, 12, 0, tzinfo=UTC), "Europe/Berlin", "2026-W53"),
        # 29 December 2025 opens ISO week 1 of 2026.
        (datetime(2025, 12, 29, 12, 0, tzinfo=UTC), "UTC", "2026-W01"),
        # An unknown zone falls back to UTC rather than failing.
        (datetime(2026, 1, 5, 7, 30, tzinfo=UTC), "Mars/Olympus_Mons", "2026-W02"),
    ],
)
def test_iso_week_in_the_users_time_zone(at, tz, expected):
    assert weeks.iso_week(at, tz) == expected


def test_week_arithmetic_crosses_years():
    assert weeks.previous("2026-W01") == "2025-W52"
    assert weeks.previous("2027-W01") == "2026-W53"
    assert weeks.recent(datetime(2026, 1, 14, tzinfo=UTC), "UTC", 4) == [
        "2025-W52",
        "2026-W01",
        "2026-W02",
        "2026-W03",
    ]


def test_points_land_in_the_week_of_the_earners_time_zone(session):
    from server.game import ledger

    tz_la = make_user(session, timezone="America/Los_Angeles")
    at = datetime(2026, 1, 5, 7, 30, tzinfo=UTC)
    ledger.pay(
        session=session, user_id=tz_la.id, rule="review_completed", ref="review:1", points=20, at=at
    )
    session.commit()
    assert cached_weeks(session) == {(tz_la.id, "2026-W01"): 20}


MONDAY = datetime(2026, 2, 2, 15, 0, tzinfo=UTC)


def _active(session, user, week_offset: int, kind: str = "capture") -> bool:
    return streaks.record_activity(
        session=session, user_id=user.id, kind=kind, at=MONDAY + timedelta(weeks=week_offset)
    )


def test_a_streak_pays_from_its_second_week_once_a_week(session):
    teacher = make_user(session)
    assert _active(session, teacher, 0) is False  # one week is not a streak yet
    assert _active(session, teacher, 1, "submission") is True
    assert _active(session, teacher, 1, "capture") is False  # same week: already counted
    assert _active(session, teacher, 2) is True
    session.commit()
    paid = events(session, teacher, "streak_week")
    assert sorted(e.ref for e in paid) == ["week:2026-W07", "week:2026-W08"]
    assert all(e.points == 10 for e in paid)
    now = MONDAY + timedelta(weeks=2, days=3)
    assert streaks.current(session=session, user=teacher, now=now) == streaks.Streak(3, True)


def test_a_gap_week_starts_the_streak_again(session):
    teacher = make_user(session)
    _active(session, teacher, 0)
    _active(session, teacher, 1)
    assert _active(session, teacher, 3) is False  # week 2 was empty
    session.commit()
    now = MONDAY + timedelta(weeks=3)
    assert streaks.current(session=session, user=teacher, now=now).weeks == 1


def test_last_weeks_streak_stays_alive_until_this_week_ends(session):
    teacher = make_user(session)
    _active(session, teacher, 0)
    _active(session, teacher, 1)
    session.commit()
    assert streaks.current(
        session=session, user=teacher, now=MONDAY + timedelta(weeks=2)
    ) == streaks.Streak(2, False)
    assert streaks.current(
        session=session, user=teacher, now=MONDAY + timedelta(weeks=3)
    ) == streaks.Streak(0, False)


def test_streak_weeks_follow_the_users_time_zone(session):
    honolulu = make_user(session, timezone="Pacific/Honolulu")
    sunday_night_local = datetime(2026, 2, 9, 8, 0, tzinfo=UTC)  # Sun 22:00 in Honolulu
    streaks.record_activity(
        session=session,
        user_id=honolulu.id,
        kind="capture",
        at=sunday_night_local - timedelta(weeks=1),
    )
    assert (
        streaks.record_activity(
            session=session, user_id=honolulu.id, kind="capture", at=sunday_night_local
        )
        is True
    )
    session.commit()
    assert [e.ref for e in events(session, honolulu, "streak_week")] == ["week:2026-W06"]


def test_the_activity_hook_keeps_the_streak(session):
    teacher = make_user(session)
    game.on_activity(session=session, user_id=teacher.id, kind="capture")
    game.on_activity(session=session, user_id=teacher.id, kind="capture")
    session.commit()
    assert streaks.current(session=session, user=teacher) == streaks.Streak(1, True)


def test_only_real_progress_keeps_a_streak(session):
    """Evidence added and attempts submitted count; reviewing (or anything else) does not."""
    assessor = make_user(session, "assessor")
    assert _active(session, assessor, 0, "review") is False
    assert _active(session, assessor, 1, "review") is False
    assert _active(session, assessor, 2, "sign_in") is False
    session.commit()
    assert events(session, assessor, "streak_week") == []
    now = MONDAY + timedelta(weeks=2, days=3)
    assert streaks.current(session=session, user=assessor, now=now).weeks == 0
