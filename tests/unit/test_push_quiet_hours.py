"""A district's quiet hours (set on /admin/settings) hold a push until they end, in the
person's own time zone; the inbox notice is there at once. Without a district choice
pushes go out as before."""

from __future__ import annotations

from datetime import time

import pytest
from sqlmodel import Session

from server import jobs, quiet_hours
from server.models import DistrictSettings, utcnow
from server.notify import push_queue
from server.notify import service as notify
from tests.support.factories import make_org, make_push_subscription, make_user


@pytest.fixture
def queued(monkeypatch):
    """(job, delay) of every job queued after a commit; nothing actually runs."""
    seen: list[tuple[str, float]] = []
    monkeypatch.setattr(
        jobs, "run_after_commit", lambda s, path, *a, delay=0, **k: seen.append((path, delay))
    )
    return seen


def _quiet_now(session: Session, org_id: int) -> None:
    """Quiet hours from this UTC hour for two hours: now is inside them."""
    start = utcnow().hour
    session.add(
        DistrictSettings(
            org_id=org_id,
            review_target_days=7,
            default_visibility="cohort",
            quiet_start_hour=start,
            quiet_end_hour=(start + 2) % 24,
            game_points="{}",
            game_levels="",
        )
    )
    session.commit()


def _send(app, engine, user) -> None:
    with app.app_context(), Session(engine) as db:
        notify.send(session=db, user_id=user.id, kind="award", title="You earned it!")
        db.commit()


def test_a_push_waits_for_the_end_of_the_districts_quiet_hours(app, engine, session, queued):
    org = make_org(session)
    _quiet_now(session, org.id)
    sleeper = make_user(session, org_id=org.id, timezone="UTC")
    make_push_subscription(session, sleeper)
    _send(app, engine, sleeper)
    [(job, delay)] = queued
    assert job == push_queue.DELIVER_JOB and 3600 < delay <= 2 * 3600


def test_without_a_district_choice_the_push_goes_at_once(app, engine, session, queued):
    for person in (make_user(session), make_user(session, org_id=make_org(session).id)):
        make_push_subscription(session, person)
        _send(app, engine, person)
    assert [delay for _, delay in queued] == [0.0, 0.0]


def test_quiet_hours_run_over_midnight_or_within_a_day():
    evening = utcnow().replace(hour=20, minute=30)
    assert quiet_hours.until(evening, "UTC", (time(20), time(8))).hour == 8
    assert quiet_hours.until(evening, "UTC", (time(9), time(9))) == evening  # none
    assert quiet_hours.until(evening, "UTC", (time(20), time(21))).hour == 21
    assert quiet_hours.until(evening, "UTC", (time(21), time(7))) == evening
