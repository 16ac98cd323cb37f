"""Nudge fan-out: a coach nudges a 10,000-member cohort; how long until every nudge is
in its member's inbox and every subscribed device (1 in 10) got its push.

Members are in a time zone where it is daytime, so no nudge waits for quiet hours.
Goal: ≤ 30 s, embedded (in-process jobs) and RQ (two `chalkmark worker` processes).
Run: python -m bench.nudge_fanout
"""

from __future__ import annotations

import time

from sqlalchemy import func
from sqlmodel import Session, select

from bench.common import write_result
from bench.push_setup import make_app, rq_workers, table

MEMBERS = 10_000
SUBSCRIBED_EVERY = 10
GOAL_SECONDS = 30.0


def _daytime_zone() -> str:
    from server.models import utcnow

    offset = (12 - utcnow().hour + 12) % 24 - 12
    return "Etc/GMT" + ("-" if offset > 0 else "+") + str(abs(offset))


def _cohort(app, receiver, members: int):
    from server.models import Cohort, CohortMember, PushSubscription, User

    zone = _daytime_zone()
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        coach = User(handle="bench-coach", display_name="Sam Coach", roles="coach")
        session.add(coach)
        session.commit()
        cohort = Cohort(name="Everyone", coach_id=coach.id)
        users = [
            User(handle=f"bench-t{n}", display_name=f"Teacher {n}", timezone=zone)
            for n in range(members)
        ]
        session.add_all([cohort, *users])
        session.commit()
        session.add_all(
            [CohortMember(cohort_id=cohort.id, user_id=u.id, status="active") for u in users]
        )
        for user in users[::SUBSCRIBED_EVERY]:
            browser = receiver.new_browser()
            session.add(
                PushSubscription(
                    endpoint=browser.endpoint,
                    user_id=user.id,
                    p256dh=browser.p256dh,
                    auth=browser.auth,
                )
            )
        session.commit()
        return coach, cohort, [u.id for u in users]


def _sent(app) -> int:
    from server.models import Nudge

    with Session(app.extensions["db_engine"]) as session:
        return session.exec(select(func.count(Nudge.id)).where(Nudge.sent_at.is_not(None))).one()


def _fan_out(app, receiver, coach, cohort, member_ids) -> dict:
    from server.coach import nudges

    pushes = len(member_ids[::SUBSCRIBED_EVERY])
    started = time.monotonic()
    with app.app_context(), Session(app.extensions["db_engine"]) as session:
        report = nudges.nudge_members(
            session=session,
            coach=coach,
            cohort=cohort,
            member_ids=member_ids,
            message="Hi {first_name}, ten minutes this week?",
        )
        session.commit()
    queued = time.monotonic()
    assert len(report.sent) == len(member_ids), "every member should be nudged now"
    while _sent(app) < len(member_ids):
        time.sleep(0.1)
    delivered = time.monotonic()
    if not receiver.wait_for(pushes, timeout=120):
        raise RuntimeError(f"only {len(receiver.received)} of {pushes} pushes arrived")
    pushed = time.monotonic()
    return {
        "members": len(member_ids),
        "pushes": pushes,
        "request_s": round(queued - started, 2),
        "inboxes_s": round(delivered - started, 2),
        "total_s": round(pushed - started, 2),
        "goal_s": GOAL_SECONDS,
        "meets_goal": pushed - started <= GOAL_SECONDS,
    }


def run_mode(mode: str, members: int = MEMBERS) -> dict:
    from tests.support.push_service import PushServiceReceiver

    app = make_app(mode)
    receiver = PushServiceReceiver()
    try:
        coach, cohort, member_ids = _cohort(app, receiver, members)
        if mode == "rq":
            with rq_workers(app, count=2):
                result = _fan_out(app, receiver, coach, cohort, member_ids)
        else:
            result = _fan_out(app, receiver, coach, cohort, member_ids)
    finally:
        receiver.close()
        app.extensions["db_engine"].dispose()
    if receiver.errors:
        raise RuntimeError(f"the push service refused pushes: {receiver.errors[:3]}")
    return result


def main() -> dict:
    results = {mode: run_mode(mode) for mode in ("embedded", "rq")}
    rows = [{"mode": mode, **values} for mode, values in results.items()]
    print("Nudge fan-out: one coach request → every inbox and every subscribed device")
    print(
        table(
            rows,
            [
                "mode",
                "members",
                "pushes",
                "request_s",
                "inboxes_s",
                "total_s",
                "goal_s",
                "meets_goal",
            ],
        )
    )
    path = write_result("nudge_fanout", results)
    print(f"wrote {path}")
    return results


if __name__ == "__main__":
    main()
