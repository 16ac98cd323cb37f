"""Six coaches' requests nudging one member at the same moment, each on its own
connection: exactly one nudge is created, the others report "already nudged today"."""

from __future__ import annotations

from sqlmodel import Session, select

from server.coach import nudges
from server.models import Cohort, Nudge, User
from tests.support.coaching import add_member, daytime_zone
from tests.support.threads import run_at_once

RACERS = 6


def _race(app, engine, coach_id: int, cohort_id: int, member_id: int) -> list[object]:
    outcomes: list[object] = []

    def run(barrier):
        # Each thread has its own app context: nudging queues delivery jobs.
        with app.app_context(), Session(engine, expire_on_commit=False) as session:
            coach, cohort = session.get(User, coach_id), session.get(Cohort, cohort_id)
            barrier.wait()
            try:
                report = nudges.nudge_members(
                    session=session,
                    coach=coach,
                    cohort=cohort,
                    member_ids=[member_id],
                    message="Hi!",
                )
                session.commit()
                outcomes.append(report)
            except Exception as err:  # recorded so the assertion shows it
                session.rollback()
                outcomes.append(err)

    run_at_once(RACERS, run)
    return outcomes


def test_simultaneous_nudges_to_one_member_make_exactly_one(app, engine, session, coach, cohort):
    maya = add_member(session, cohort, "Maya Lopez", timezone=daytime_zone())
    outcomes = _race(app, engine, coach.id, cohort.id, maya.id)

    assert all(isinstance(o, nudges.NudgeReport) for o in outcomes), outcomes
    assert sorted(len(o.sent) for o in outcomes) == [0] * (RACERS - 1) + [1]
    assert sum(len(o.already) for o in outcomes) == RACERS - 1
    with Session(engine) as db:
        assert len(db.exec(select(Nudge).where(Nudge.user_id == maya.id)).all()) == 1
