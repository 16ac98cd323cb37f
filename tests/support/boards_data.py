"""A district of people with every visibility choice, cohorts and a ledger, and the
boards every one of them sees (SQL and Redis), for the Redis leaderboard tests."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlmodel import Session

from server.game import board_events, ledger
from server.game import leaderboard as boards
from server.game.boards_redis import RedisBoards
from server.models import User, utcnow
from tests.support.factories import make_cohort, make_org, make_user

VISIBILITIES = ("public", "cohort", "anonymous", "hidden")
ZONES = ("UTC", "Pacific/Honolulu", "Pacific/Kiritimati", "America/Chicago")


def pay(session: Session, user: User, points: int, ref: str, *, days_ago: int = 0) -> None:
    ledger.pay(
        session=session,
        user_id=user.id,
        rule="credential_earned" if points > 0 else "credential_revoked",
        ref=ref,
        points=points,
        at=utcnow() - timedelta(days=days_ago),
    )


def district(session: Session, seed: int = 3) -> dict:
    """Two districts, three cohorts (one with an invited, not yet accepted, member), a
    coach, a district admin, 40 teachers with random visibility, zones and points: ties,
    zeros, old weeks, takings back."""
    rng = random.Random(seed)
    org, other = make_org(session, name="Riverside"), make_org(session, name="Hillview")
    people = [
        make_user(
            session,
            name=f"Teacher {n}",
            org_id=org.id if n < 34 else other.id,
            leaderboard_visibility=rng.choice(VISIBILITIES),
            timezone=rng.choice(ZONES),
        )
        for n in range(40)
    ]
    coach = make_user(session, "coach", name="Sam Coach", org_id=org.id)
    admin = make_user(session, "admin", name="Ada Admin", org_id=org.id)
    cohorts = [
        make_cohort(session, coach=coach, name="Early Adopters", members=people[0:12]),
        make_cohort(session, coach=admin, name="Fractions", members=people[8:20]),
        make_cohort(
            session, coach=coach, name="Mixed", members=people[30:38], invited=people[20:22]
        ),
    ]
    session.commit()
    return {"org": org, "other": other, "people": people, "coach": coach, "admin": admin,
            "cohorts": cohorts, "rng": rng}  # fmt: skip


def pay_some(session: Session, world: dict, rounds: int, tag: str) -> None:
    rng = world["rng"]
    for n in range(rounds):
        person = rng.choice(world["people"][:-3])  # three never earn anything
        pay(session, person, rng.choice((10, 20, 20, 50, 150)), f"{tag}{n}",
            days_ago=rng.choice((0, 0, 0, 3, 10, 40)))  # fmt: skip
        if n % 9 == 0:
            pay(session, person, -10, f"{tag}{n}-back")
    session.commit()


def every_board(session: Session, viewers: list[User]) -> dict:
    """What each viewer sees on each board they may open, both periods, and the export
    for those who may download it."""
    seen = {}
    for viewer in viewers:
        for scope in boards.boards_for(session=session, viewer=viewer):
            for period in boards.PERIODS:
                key = (viewer.id, scope.key, period)
                seen[key] = boards.leaderboard(
                    session=session, viewer=viewer, scope=scope, period=period
                )
                if boards.may_export(viewer=viewer, scope=scope):
                    seen[(*key, "csv")] = boards.all_entries(
                        session=session, viewer=viewer, scope=scope, period=period
                    )
    return seen


def sql_and_redis(session: Session, engine, store: RedisBoards, viewers: list[User]):
    """(the SQL boards, the Redis boards) for the same data."""
    board_events.install(engine, None)
    sql = every_board(session, viewers)
    board_events.install(engine, store)
    return sql, every_board(session, viewers)
