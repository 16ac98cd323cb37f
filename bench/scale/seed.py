"""Seed the scale run's database (already migrated by `chalkmark db upgrade`) at district
size, and sign in the load test's people.

- 5 districts of 1,000 teachers in 25 cohorts, 100,000 ledger rows, 10,000 earlier
  attempts (~1.5 % waiting for review), with the leaderboard bench's generators and
  bench/pages.py's attempts; the demo catalog and people beside them.
- District 1 is where the load test works: its 1,000 teachers each have a push
  subscription on the run's push service (bench/scale/push_receiver.py), and ASSESSORS
  appointed assessors review its queue.
- Sign-in: each load-test teacher and assessor gets a server-side session (in Redis, as
  the app servers keep them) through `session_cookie_for`, the sign-in tests and benches
  use; the cookies go to `--out` for the locustfile.
- The evidence bucket is created on the run's S3 server; the VAPID key is made before the
  app servers start, so no two processes race to create it.

Run (env as run.sh sets it): python -m bench.scale.seed --subscriptions subs.json --out users.json
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from sqlalchemy import func, text
from sqlmodel import Session, select

from bench.leaderboard_data import (
    EVENT_COLUMNS,
    USER_COLUMNS,
    Shape,
    _cohort_of,
    _cohorts,
    _events,
    _load,
    _org_of_cohort,
    _reset_sequences,
    _users,
)
from bench.pages import _seed_submissions

DISTRICT = Shape(teachers=5_000, events=100_000, cohorts=25, orgs=5)
LOAD_ORG = 1
ASSESSORS = 30


def _create_bucket(settings) -> None:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=settings.s3_endpoint_url,
        region_name=settings.s3_region,
        aws_access_key_id=settings.s3_access_key_id,
        aws_secret_access_key=settings.s3_secret_access_key,
    )
    client.create_bucket(Bucket=settings.s3_bucket)


def _district(engine) -> None:
    import random

    from server.models import Cohort, CohortMember, Org, PointEvent, User

    rng = random.Random(7)
    shape = DISTRICT
    orgs = ((i, f"district-{i}", f"District {i}") for i in range(1, shape.orgs + 1))
    _load(engine, Org.__table__, ("id", "slug", "name"), orgs)
    _load(engine, User.__table__, USER_COLUMNS, _users(shape, rng))
    _load(engine, Cohort.__table__, ("id", "name", "org_id", "coach_id"), _cohorts(shape))
    members = ((_cohort_of(uid, shape), uid, "active") for uid in range(1, shape.teachers + 1))
    _load(engine, CohortMember.__table__, ("cohort_id", "user_id", "status"), members)
    _load(engine, PointEvent.__table__, EVENT_COLUMNS, _events(shape, rng))
    _reset_sequences(engine)


def load_teachers() -> list[int]:
    """District 1's teachers (user ids), the ones the load test signs in as."""
    return [
        uid
        for uid in range(1, DISTRICT.teachers + 1)
        if _org_of_cohort(_cohort_of(uid, DISTRICT), DISTRICT) == LOAD_ORG
    ]


def _assessors(session: Session) -> list[int]:
    from server.models import AssessorAppointment, Stack, User

    people = [
        User(
            handle=f"scale-assessor-{n}",
            display_name=f"Assessor {n}",
            roles="teacher,assessor",
            org_id=LOAD_ORG,
        )
        for n in range(1, ASSESSORS + 1)
    ]
    session.add_all(people)
    session.flush()
    stacks = list(session.exec(select(Stack.id)))
    for person in people:
        for stack_id in stacks:
            session.add(AssessorAppointment(user_id=person.id, stack_id=stack_id))
    return [p.id for p in people]


def _subscribe(session: Session, teachers: list[int], subscriptions: list[dict]) -> None:
    from server.models import User
    from server.notify import subscriptions as devices
    from tests.support.push_service import LOCAL_PUSH

    for user_id, payload in zip(teachers, subscriptions, strict=False):
        data = devices.parse(payload, policy=LOCAL_PUSH)
        devices.save(session=session, user=session.get_one(User, user_id), data=data)


def baseline(engine) -> dict[str, int]:
    """Row counts the closing check compares against (ids only grow)."""
    with engine.connect() as conn:
        return {
            table: conn.execute(text(f"SELECT COALESCE(MAX(id), 0) FROM {table}")).scalar_one()
            for table in ("evidenceitem", "notification", "submission", "review")
        }


def seed(subscriptions: list[dict]) -> dict:
    from bench.scale.app import make_app
    from server.auth.session import session_cookie_for
    from server.demo.seed import seed_demo
    from server.game import ledger
    from server.models import User
    from server.notify.vapid import keys_for
    from server.storage import storage_from_settings

    app = make_app()
    settings, engine = app.config["SETTINGS"], app.extensions["db_engine"]
    _create_bucket(settings)
    keys_for(settings)
    _district(engine)
    with app.app_context(), Session(engine) as session:
        seed_demo(session=session, storage=storage_from_settings(settings))
    _seed_submissions(engine, DISTRICT)
    teachers = load_teachers()
    with app.app_context(), Session(engine) as session:
        ledger.rebuild(session=session)
        assessors = _assessors(session)
        _subscribe(session, teachers, subscriptions)
        session.commit()
        people = session.exec(select(func.count()).select_from(User)).one()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    return {
        "people": people,
        "teachers": [[uid, session_cookie_for(app, uid)] for uid in teachers],
        "assessors": [[uid, session_cookie_for(app, uid)] for uid in assessors],
        "baseline": baseline(engine),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscriptions", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    started = time.perf_counter()
    result = seed(json.loads(args.subscriptions.read_text()))
    args.out.write_text(json.dumps(result))
    print(
        f"seeded {result['people']} people, {len(result['teachers'])} load-test teachers, "
        f"{len(result['assessors'])} assessors in {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
