"""Redis leaderboards follow what changes them outside a payment: bulk statements (the
roster import), a rebuild of the totals, and carry on by SQL when Redis is down. The
real Redis, db 4."""

from __future__ import annotations

from sqlalchemy import delete, insert, select, update

from server.game import board_events, ledger
from server.game import leaderboard as boards
from server.game.boards_redis import RedisBoards
from server.models import PointEvent, User
from tests.support.boards_data import district, pay, pay_some, sql_and_redis

pytest_plugins = ["tests.support.boards"]


def _board(session, viewer, kind, scope_id, period="all"):
    scope = boards.resolve(session=session, viewer=viewer, kind=kind, scope_id=scope_id)
    return boards.leaderboard(session=session, viewer=viewer, scope=scope, period=period)


def test_a_bulk_import_and_a_bulk_update_of_people_reach_the_boards(session, engine, store):
    world = district(session)
    admin, org = world["admin"], world["org"]
    size = _board(session, admin, "org", org.id).size
    session.execute(
        insert(User),
        [
            {"handle": f"imported-{n}", "display_name": f"Imported {n}", "org_id": org.id,
             "leaderboard_visibility": "public"}
            for n in range(3)
        ],
    )  # fmt: skip
    session.commit()
    assert _board(session, admin, "org", org.id).size == size + 3
    imported = session.execute(select(User.id).where(User.handle.like("imported-%"))).scalars()
    session.execute(
        update(User), [{"id": uid, "leaderboard_visibility": "hidden"} for uid in imported]
    )
    session.commit()
    assert _board(session, admin, "org", org.id).size == size
    sql, redis = sql_and_redis(session, engine, store, [admin])
    assert redis == sql


def test_a_rebuild_of_the_totals_rebuilds_the_boards(session, engine, store):
    world = district(session)
    pay_some(session, world, 30, "a")
    admin = world["admin"]
    before, _ = sql_and_redis(session, engine, store, [admin])
    session.execute(delete(PointEvent).where(PointEvent.ref.like("a1%")))  # a correction
    ledger.rebuild(session=session)
    session.commit()
    sql, redis = sql_and_redis(session, engine, store, [admin])
    assert redis == sql != before


def test_without_redis_the_boards_are_ranked_by_sql_and_payments_still_commit(session, engine):
    world = district(session)
    teacher = next(p for p in world["people"][:12] if p.leaderboard_visibility == "public")
    board_events.install(engine, RedisBoards.from_url("redis://127.0.0.1:1/0"))  # nobody there
    try:
        pay(session, teacher, 90, "while-down")
        session.commit()
        seen = _board(session, world["coach"], "cohort", world["cohorts"][0].id)
    finally:
        board_events.install(engine, None)
    assert (seen.top[0].label, seen.top[0].points) == (teacher.display_name, 90)
