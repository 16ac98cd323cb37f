"""Push latency: from the commit of a decision-like notice to the push arriving
(VAPID-checked and decrypted) at a local push service. Sends one at a time, so each
sample is the whole path: after-commit queue → job → encrypt + sign → HTTP POST.

Goal: p95 ≤ 1 s, embedded (in-process jobs) and RQ (`chalkmark worker` processes).
Run: python -m bench.push_latency
"""

from __future__ import annotations

import time

from sqlmodel import Session

from bench.common import summary_ms, write_result
from bench.push_setup import make_app, rq_workers, table

SENDS = 200
WARMUP = 5  # the first sends build the worker's app and connections: not counted
GOAL_P95_MS = 1000


def _subscribed_user(app, receiver) -> int:
    from server.models import User
    from server.notify import subscriptions

    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        user = User(handle="bench-teacher", display_name="Bench Teacher")
        session.add(user)
        session.commit()
        data = subscriptions.parse(receiver.new_browser().as_json(), allow_local=True)
        subscriptions.save(session=session, user=user, data=data)
        session.commit()
        return user.id


def _measure(app, receiver, user_id: int, sends: int) -> list[float]:
    samples = _send(app, receiver, user_id, WARMUP + sends)
    return samples[WARMUP:]


def _send(app, receiver, user_id: int, sends: int) -> list[float]:
    from server.notify import service as notify

    samples = []
    with app.app_context(), Session(app.extensions["db_engine"]) as session:
        for n in range(sends):
            notify.send(
                session=session,
                user_id=user_id,
                kind="award",
                title=f"You earned Working Memory ({n})",
                body="Every criterion met.",
                url=f"/submissions/{n}",
            )
            started = time.monotonic()
            session.commit()
            if not receiver.wait_for(n + 1, timeout=30):
                raise RuntimeError(f"push {n} never arrived; errors: {receiver.errors}")
            samples.append(receiver.received[n].at - started)
    return samples


def run_mode(mode: str, sends: int = SENDS) -> dict:
    from tests.support.push_service import PushServiceReceiver

    app = make_app(mode)
    receiver = PushServiceReceiver()
    try:
        user_id = _subscribed_user(app, receiver)
        if mode == "rq":
            with rq_workers(app):
                samples = _measure(app, receiver, user_id, sends)
        else:
            samples = _measure(app, receiver, user_id, sends)
    finally:
        receiver.close()
        app.extensions["db_engine"].dispose()
    if receiver.errors:
        raise RuntimeError(f"the push service refused pushes: {receiver.errors[:3]}")
    result = summary_ms(samples)
    result["goal_p95_ms"] = GOAL_P95_MS
    result["meets_goal"] = result["p95_ms"] <= GOAL_P95_MS
    return result


def main() -> dict:
    results = {mode: run_mode(mode) for mode in ("embedded", "rq")}
    rows = [{"mode": mode, **values} for mode, values in results.items()]
    print("Push latency: notice committed → push received and decrypted")
    print(table(rows, ["mode", "n", "p50_ms", "p95_ms", "max_ms", "goal_p95_ms", "meets_goal"]))
    path = write_result("push_latency", results)
    print(f"wrote {path}")
    return results


if __name__ == "__main__":
    main()
