"""A payment committed before a build's snapshot but reaching Redis after it is counted
once (boards_inflight.py): the build waits for it, gives up after a bound, and ignores
what a dead process left behind. The real Redis, db 4."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from server.game import boards_inflight
from server.game import leaderboard as boards
from server.game.boards_redis import RedisBoards, points_of
from server.models import User
from tests.support.boards_data import district, pay

pytest_plugins = ["tests.support.boards"]


def _board(session, viewer, kind, scope_id, period="all"):
    scope = boards.resolve(session=session, viewer=viewer, kind=kind, scope_id=scope_id)
    return boards.leaderboard(session=session, viewer=viewer, scope=scope, period=period)


def _shown(world):
    return [p for p in world["people"][:34] if p.leaderboard_visibility != "hidden"]


def test_a_payment_applied_after_a_build_that_counted_it_is_counted_once(
    session, engine, store, monkeypatch
):
    """Commit, then a whole build, then the payment's apply: without the wait the build
    counts it from the database and the apply adds it again."""
    world = district(session)
    person, admin, org = _shown(world)[0], world["admin"], world["org"]
    pay(session, person, 100, "before")
    session.commit()
    committed, built = threading.Event(), threading.Event()
    apply, build = RedisBoards.apply, RedisBoards.build

    def slow_apply(self, payments):
        if any(p.ref == "late-apply" for p in payments):
            committed.set()
            built.wait(timeout=1)  # the build finishes first, unless it waits for us
        apply(self, payments)

    def build_then_tell(self, *args, **kwargs):
        try:
            return build(self, *args, **kwargs)
        finally:
            built.set()

    monkeypatch.setattr(RedisBoards, "apply", slow_apply)
    monkeypatch.setattr(RedisBoards, "build", build_then_tell)

    def earn():
        with Session(engine) as own:
            pay(own, own.merge(person), 30, "late-apply")
            own.commit()

    payer = threading.Thread(target=earn)
    payer.start()
    assert committed.wait(timeout=10)
    started = time.monotonic()
    seen = _board(session, admin, "org", org.id)  # builds while the apply is held back
    waited = time.monotonic() - started
    payer.join()
    key, _ = store.key("org", org.id, "all")
    assert store.redis.exists(key), "the build finished (after waiting)"
    assert points_of(store.redis.zscore(key, str(person.id))) == 130
    assert next(e.points for e in seen.top if e.user_id == person.id) == 130
    assert _board(session, admin, "org", org.id) == seen
    assert waited >= 0.5  # it did wait for the apply
    assert not store.redis.zcard(boards_inflight.KEY)  # every token went away


def test_a_build_gives_up_when_a_payment_stays_in_flight_and_sql_serves(
    session, engine, store, monkeypatch
):
    world = district(session)
    person, admin, org = _shown(world)[0], world["admin"], world["org"]
    pay(session, person, 40, "x")
    session.commit()
    monkeypatch.setattr(boards_inflight, "WAIT", 0.3)
    token = boards_inflight.register(store.redis)  # a payment between its commit and apply
    assert token is not None
    key, _ = store.key("org", org.id, "all")
    started = time.monotonic()
    seen = _board(session, admin, "org", org.id)
    assert 0.3 <= time.monotonic() - started < 5
    assert not store.redis.exists(key) and not store.redis.exists(f"{key}:journal")
    assert next(e.points for e in seen.top if e.user_id == person.id) == 40  # by SQL
    boards_inflight.unregister(store.redis, token)
    assert _board(session, admin, "org", org.id) == seen
    assert store.redis.exists(key)


def test_a_token_left_by_a_dead_process_is_ignored(session, store, monkeypatch):
    world = district(session)
    admin, org = world["admin"], world["org"]
    now = boards_inflight.redis_now(store.redis)
    store.redis.zadd(boards_inflight.KEY, {"dead": now - boards_inflight.STALE - 1})
    started = time.monotonic()
    _board(session, admin, "org", org.id)
    assert time.monotonic() - started < boards_inflight.WAIT
    assert store.redis.exists(store.key("org", org.id, "all")[0])


def test_a_commit_that_fails_takes_its_token_away(session, store, monkeypatch):
    world = district(session)
    person = _shown(world)[0]
    seen: list[int] = []
    register = boards_inflight.register

    def register_and_count(redis):
        token = register(redis)
        seen.append(store.redis.zcard(boards_inflight.KEY))
        return token

    monkeypatch.setattr(boards_inflight, "register", register_and_count)
    pay(session, person, 10, "a")
    session.commit()
    pay(session, person, 10, "b")
    session.rollback()  # never committed: never registered
    pay(session, person, 10, "c")
    session.add(User(handle=person.handle, display_name="Twin"))  # the commit fails
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()
    assert seen == [1, 1]  # registered before each commit, the failed one too
    assert not store.redis.zcard(boards_inflight.KEY)
