"""Nudges: one per member per day, never in quiet hours (delayed, not dropped), delivered
by a job as an inbox notice (and a push for subscribed devices)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from server import jobs
from server.coach import jobs as coach_jobs
from server.coach import nudge_delivery, nudges, service
from server.errors import InvalidInput
from server.models import Notification, Nudge, utcnow
from server.timezones import in_zone
from tests.support.coaching import add_member, daytime_zone
from tests.support.factories import make_user

# 15:00 UTC = 10:00 in Chicago (CDT, UTC-5 in June) and 01:00 in Sydney (AEST, UTC+10)
AFTERNOON_UTC = datetime(2025, 6, 10, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def app_context(app):
    # Nudging queues delivery jobs, which belong to an app.
    with app.app_context():
        yield


def member(session, cohort, name, timezone="America/Chicago"):
    return add_member(session, cohort, name, timezone=timezone)


def nudge(session, coach, cohort, users, now, message="Hi {first_name}, keep going!"):
    report = nudges.nudge_members(
        session=session,
        coach=coach,
        cohort=cohort,
        member_ids=[u.id for u in users],
        message=message,
        now=now,
    )
    session.commit()
    return report


def local(moment: datetime, zone: str) -> datetime:
    return in_zone(moment, zone)


@pytest.mark.parametrize(
    ("utc_time", "zone", "expected_local"),
    [
        # 10:00 in Chicago: now
        (datetime(2025, 6, 10, 15, 0, tzinfo=UTC), "America/Chicago", None),
        # 22:30 in Chicago: 07:00 the next morning there
        (datetime(2025, 6, 11, 3, 30, tzinfo=UTC), "America/Chicago", datetime(2025, 6, 11, 7, 0)),
        # 05:00 in Chicago: 07:00 the same morning
        (datetime(2025, 6, 10, 10, 0, tzinfo=UTC), "America/Chicago", datetime(2025, 6, 10, 7, 0)),
        # exactly 21:00 is quiet, exactly 07:00 is not
        (datetime(2025, 6, 11, 2, 0, tzinfo=UTC), "America/Chicago", datetime(2025, 6, 11, 7, 0)),
        (datetime(2025, 6, 10, 12, 0, tzinfo=UTC), "America/Chicago", None),
        # 01:00 in Sydney
        (datetime(2025, 6, 10, 15, 0, tzinfo=UTC), "Australia/Sydney", datetime(2025, 6, 11, 7, 0)),
        # an unknown zone falls back to UTC: 15:00 is fine
        (datetime(2025, 6, 10, 15, 0, tzinfo=UTC), "Mars/Olympus", None),
    ],
)
def test_quiet_hours_move_delivery_to_the_local_morning(utc_time, zone, expected_local):
    arrives = nudges.deliver_after(utc_time, zone)
    if expected_local is None:
        assert arrives == utc_time
    else:
        assert local(arrives, zone).replace(tzinfo=None) == expected_local
        assert arrives.tzinfo is not None and arrives > utc_time


def test_quiet_hours_across_a_daylight_saving_change():
    # 22:00 on 8 March 2025 in Chicago (CST); the clocks go forward that night.
    arrives = nudges.deliver_after(datetime(2025, 3, 9, 4, 0, tzinfo=UTC), "America/Chicago")
    assert local(arrives, "America/Chicago").hour == 7
    assert arrives == datetime(2025, 3, 9, 12, 0, tzinfo=UTC)  # 07:00 CDT


def test_a_nudge_is_personal_and_one_per_member_per_day(session, coach, cohort):
    maya = member(session, cohort, "Maya Lopez")
    jo = member(session, cohort, "Jo Park")

    first = nudge(session, coach, cohort, [maya], AFTERNOON_UTC)
    second = nudge(session, coach, cohort, [maya, jo], AFTERNOON_UTC + timedelta(hours=2))

    assert first.sent == ["Maya Lopez"]
    assert second.sent == ["Jo Park"] and second.already == ["Maya Lopez"]
    rows = session.exec(select(Nudge).order_by(Nudge.id)).all()
    assert [(r.user_id, r.message) for r in rows] == [
        (maya.id, "Hi Maya, keep going!"),
        (jo.id, "Hi Jo, keep going!"),
    ]


def test_another_coach_counts_too_and_the_next_day_is_fine(session, coach, cohort):
    maya = member(session, cohort, "Maya Lopez")
    other_coach = make_user(session, "coach")
    other = service.create_cohort(session=session, coach=other_coach, name="Other")
    service.join(session=session, cohort=other, user=maya)
    session.commit()

    nudge(session, coach, cohort, [maya], AFTERNOON_UTC)
    same_day = nudge(session, other_coach, other, [maya], AFTERNOON_UTC + timedelta(hours=3))
    next_day = nudge(session, coach, cohort, [maya], AFTERNOON_UTC + timedelta(days=1))

    assert same_day.already == ["Maya Lopez"]
    assert next_day.sent == ["Maya Lopez"]


def test_a_nudge_in_quiet_hours_waits_for_the_morning_and_holds_that_day(session, coach, cohort):
    maya = member(session, cohort, "Maya Lopez")  # Chicago
    late_evening = datetime(2025, 6, 11, 3, 30, tzinfo=UTC)  # 22:30 in Chicago

    report = nudge(session, coach, cohort, [maya], late_evening)
    next_morning = nudge(session, coach, cohort, [maya], late_evening + timedelta(hours=10))

    assert report.sent == [] and report.delayed == [("Maya Lopez", "07:00 CDT")]
    row = session.exec(select(Nudge)).one()
    assert local(row.deliver_after, "America/Chicago").replace(tzinfo=None) == datetime(
        2025, 6, 11, 7, 0
    )
    assert row.sent_at is None
    # 08:30 the next morning: the delayed nudge arrives today, so this one would be a second
    assert next_morning.already == ["Maya Lopez"]


def test_only_members_of_the_cohort_can_be_nudged(session, coach, cohort):
    stranger = make_user(session)
    with pytest.raises(InvalidInput):
        nudge(session, coach, cohort, [stranger], AFTERNOON_UTC)
    member(session, cohort, "Maya Lopez")
    with pytest.raises(InvalidInput):
        nudge(session, coach, cohort, [], AFTERNOON_UTC)


def test_the_message_is_required_and_bounded(session, coach, cohort):
    maya = member(session, cohort, "Maya Lopez")
    for message in ("   ", "x" * 1001):
        with pytest.raises(InvalidInput):
            nudge(session, coach, cohort, [maya], AFTERNOON_UTC, message=message)


def notices(engine) -> list[Notification]:
    with Session(engine) as db:
        return list(
            db.exec(
                select(Notification).where(Notification.kind == "nudge").order_by(Notification.id)
            ).all()
        )


def test_a_due_nudge_is_delivered_once_by_its_job(app, engine, session, coach, cohort):
    maya = member(session, cohort, "Maya Lopez", timezone=daytime_zone())
    with app.app_context(), Session(engine, expire_on_commit=False) as db:
        report = nudges.nudge_members(
            session=db,
            coach=coach,
            cohort=cohort,
            member_ids=[maya.id],
            message="Keep going, {first_name}",
        )
        assert report.sent == ["Maya Lopez"]
        db.commit()
        assert jobs.backend().drain(10)
        nudge_id = db.exec(select(Nudge.id)).one()
        assert coach_jobs.deliver_nudges([nudge_id]) == 0  # a second run sends nothing

    [notice] = notices(engine)
    assert (notice.user_id, notice.kind, notice.title, notice.body) == (
        maya.id,
        "nudge",
        "A nudge from Sam Coach",
        "Keep going, Maya",
    )
    with Session(engine) as db:
        assert db.exec(select(Nudge)).one().sent_at is not None


def test_a_delayed_nudge_is_not_sent_early_and_is_sent_when_due(
    app, engine, session, coach, cohort, monkeypatch
):
    maya = member(session, cohort, "Maya Lopez")
    soon = utcnow() + timedelta(seconds=0.6)
    held = Nudge(coach_id=coach.id, user_id=maya.id, message="Morning!", deliver_after=soon)
    session.add(held)
    session.commit()
    requeued = []
    monkeypatch.setattr(
        jobs, "run_later", lambda path, ids, delay=0: requeued.append((path, ids, delay))
    )

    with app.app_context():
        assert coach_jobs.deliver_nudges([held.id]) == 0  # not due: held back
    assert notices(engine) == []
    assert requeued and requeued[0][1] == [held.id] and requeued[0][2] >= 0.5

    monkeypatch.undo()
    with app.app_context():
        jobs.run_later(nudge_delivery.DELIVER_JOB, [held.id], delay=requeued[0][2])
        assert jobs.backend().drain(10)
    assert [n.body for n in notices(engine)] == ["Morning!"]


def test_the_start_up_sweep_requeues_unsent_nudges(app, engine, session, coach, cohort):
    maya = member(session, cohort, "Maya Lopez")
    lost = Nudge(
        coach_id=coach.id,
        user_id=maya.id,
        message="Lost in a restart",
        deliver_after=utcnow() - timedelta(hours=1),
    )
    done = Nudge(
        coach_id=coach.id,
        user_id=maya.id,
        message="Already sent",
        deliver_after=utcnow() - timedelta(days=1),
        sent_at=utcnow(),
    )
    session.add_all([lost, done])
    session.commit()
    with app.app_context():
        assert coach_jobs.reschedule_pending() == 1
        assert jobs.backend().drain(10)
    assert [n.body for n in notices(engine)] == ["Lost in a restart"]
