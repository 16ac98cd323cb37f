"""Leaderboards in Redis sorted sets (CHALKMARK_REDIS_URL set) against the SQL ranking on
the same data: every viewer, every board, both periods, the export; kept right by
payments (after commit only), rebuilt after Redis loses them, and exact under
concurrency. The real Redis, db 4."""

from __future__ import annotations

import threading

from sqlalchemy import select
from sqlmodel import Session

from server.game import leaderboard as boards
from server.game.boards_redis import BOARD_TTL, RedisBoards, points_of, tag_for
from server.models import CohortMember, User, UserPoints
from tests.support.boards_data import district, pay, pay_some, sql_and_redis
from tests.support.factories import make_membership, make_user

pytest_plugins = ["tests.support.boards"]


def _everyone(session: Session) -> list[User]:
    return list(session.execute(select(User).order_by(User.id)).scalars())


def _board(session, viewer, kind, scope_id, period="all"):
    scope = boards.resolve(session=session, viewer=viewer, kind=kind, scope_id=scope_id)
    return boards.leaderboard(session=session, viewer=viewer, scope=scope, period=period)


def test_every_viewer_sees_the_same_boards_from_redis_as_from_sql(session, engine, store):
    world = district(session)
    pay_some(session, world, 60, "a")  # before any board is built: the lazy build counts it
    sql, redis = sql_and_redis(session, engine, store, _everyone(session))
    assert redis == sql
    pay_some(session, world, 60, "b")  # built boards now follow by ZINCRBY
    sql, redis = sql_and_redis(session, engine, store, _everyone(session))
    assert redis == sql
    assert len(sql) > 150 and any(b.around_you for b in sql.values() if hasattr(b, "top"))
    hidden = [p for p in world["people"] if p.leaderboard_visibility == "hidden"]
    assert hidden and all(str(p.id).encode() not in _members(store) for p in hidden)


def _members(store: RedisBoards) -> set[bytes]:
    found: set[bytes] = set()
    for key in store.redis.scan_iter("chalkmark:board:*"):
        if store.redis.type(key) == b"zset":
            found |= set(store.redis.zrange(key, 0, -1))
    return found


def test_a_rolled_back_payment_never_reaches_redis(session, store):
    world = district(session)
    teacher = next(p for p in world["people"][:12] if p.leaderboard_visibility != "hidden")
    pay(session, teacher, 40, "kept")
    session.commit()
    before = _board(session, teacher, "cohort", world["cohorts"][0].id).you
    pay(session, teacher, 500, "undone")
    session.rollback()
    after = _board(session, teacher, "cohort", world["cohorts"][0].id).you
    assert before.points == after.points == 40


def test_boards_are_built_again_after_redis_is_emptied(session, engine, store):
    world = district(session)
    pay_some(session, world, 50, "a")
    _, built = sql_and_redis(session, engine, store, _everyone(session))
    assert any(store.redis.scan_iter("chalkmark:board:org:*"))
    store.redis.flushdb()  # db 4 only: Redis restarted empty, or evicted the boards
    pay_some(session, world, 20, "b")  # paid while no board exists: counted by the build
    sql, rebuilt = sql_and_redis(session, engine, store, _everyone(session))
    assert rebuilt == sql != built
    key, _ = store.key("org", world["org"].id, "all")
    assert 0 < store.redis.ttl(key) <= BOARD_TTL


def test_leaving_and_joining_a_cohort_and_changing_visibility_move_people(session, store):
    world = district(session)
    cohort, teacher = world["cohorts"][0], world["people"][0]
    teacher.leaderboard_visibility = "public"
    session.commit()
    pay(session, teacher, 70, "x")
    session.commit()
    coach = world["coach"]
    names = lambda: [e.label for e in _board(session, coach, "cohort", cohort.id).top]  # noqa: E731
    assert teacher.display_name in names()
    membership = session.get(CohortMember, (cohort.id, teacher.id))
    membership.status = "left"
    session.commit()
    assert teacher.display_name not in names()
    membership.status = "active"
    session.commit()
    assert teacher.display_name in names()
    session.delete(membership)
    session.commit()
    assert teacher.display_name not in names()
    newcomer = world["people"][25]
    newcomer.leaderboard_visibility = "public"
    make_membership(session, cohort, newcomer)
    assert newcomer.display_name in names()
    newcomer.leaderboard_visibility = "hidden"
    session.commit()
    assert newcomer.display_name not in names()


def test_a_new_teacher_and_a_move_between_districts_show_on_the_district_board(session, store):
    world = district(session)
    admin, org, other = world["admin"], world["org"], world["other"]
    size = _board(session, admin, "org", org.id).size
    make_user(session, name="Newly Hired", org_id=org.id, leaderboard_visibility="public")
    assert _board(session, admin, "org", org.id).size == size + 1
    mover = next(p for p in world["people"] if p.leaderboard_visibility != "hidden")
    mover.org_id = other.id
    session.commit()
    assert _board(session, admin, "org", org.id).size == size
    assert mover.id in {e.user_id for e in _board(session, admin, "org", other.id).top} or (
        _board(session, admin, "org", other.id).size > 10
    )


def test_payments_at_once_from_many_threads_add_up_exactly(session, engine, store):
    """Six threads pay (two of them the same refs: each pays once), while a seventh keeps
    dropping the district's board and reading it, so builds race the payments."""
    world = district(session)
    people = [p for p in world["people"][:34] if p.leaderboard_visibility != "hidden"][:6]
    admin, org = world["admin"], world["org"]
    _board(session, admin, "org", org.id)
    errors: list[BaseException] = []
    paying = threading.Event()

    def earn(worker: int) -> None:
        try:
            with Session(engine) as own:
                for n in range(15):
                    person = people[(max(worker, 1) + n) % len(people)]
                    pay(own, person, 10, f"w{max(worker, 1)}-{n}")  # workers 0 and 1 collide
                    own.commit()
        except BaseException as err:  # reported below
            errors.append(err)

    def rebuild_again_and_again() -> None:
        try:
            with Session(engine) as own:
                viewer = own.get(User, admin.id)
                while paying.is_set():
                    store.redis.delete(store.key("org", org.id, "all")[0])
                    _board(own, viewer, "org", org.id)
                    own.rollback()
        except BaseException as err:  # reported below
            errors.append(err)

    paying.set()
    reader = threading.Thread(target=rebuild_again_and_again)
    reader.start()
    threads = [threading.Thread(target=earn, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    paying.clear()
    reader.join()
    assert not errors
    _board(session, admin, "org", org.id)
    key, _ = store.key("org", org.id, "all")
    totals = dict(session.execute(select(UserPoints.user_id, UserPoints.total)).all())
    assert sum(totals.values()) == 5 * 15 * 10
    for person in people:
        assert points_of(store.redis.zscore(key, str(person.id))) == totals[person.id]


def test_payments_during_a_build_are_counted_once(session, engine, store, monkeypatch):
    """One payment commits after the build's snapshot (journalled, then added); another
    committed before it but reaches Redis only during the build (journalled, already in
    the snapshot: not added again)."""
    world = district(session)
    late, early = [p for p in world["people"] if p.leaderboard_visibility != "hidden"][:2]
    org = world["org"]
    pay(session, early, 30, "early")
    session.commit()
    load = RedisBoards._load

    def load_then_pay(self, temp, scores):
        load(self, temp, scores)
        with Session(engine) as other:
            pay(other, late, 25, "late")
            other.commit()  # after the snapshot: the journal has it
        board, _ = self.key("org", org.id, "all")
        entry = f'[{early.id}, "credential_earned", "early", 30]'
        self.redis.rpush(f"{board}:journal", entry)  # a slow apply of the earlier payment

    monkeypatch.setattr(RedisBoards, "_load", load_then_pay)
    _board(session, world["admin"], "org", org.id)
    monkeypatch.setattr(RedisBoards, "_load", load)
    key, _ = store.key("org", org.id, "all")
    assert points_of(store.redis.zscore(key, str(late.id))) == 25
    assert points_of(store.redis.zscore(key, str(early.id))) == 30
    assert not store.redis.exists(f"{key}:journal")


def test_a_board_being_built_elsewhere_is_ranked_by_sql_meanwhile(session, engine, store):
    world = district(session)
    pay_some(session, world, 20, "a")
    admin, org = world["admin"], world["org"]
    key, _ = store.key("org", org.id, tag_for("all", None))
    store.redis.rpush(f"{key}:journal", "*")  # another request is building it
    redis_view = _board(session, admin, "org", org.id)
    sql, _ = sql_and_redis(session, engine, store, [admin])
    assert redis_view == sql[(admin.id, f"org-{org.id}", "all")]
    assert not store.redis.exists(key)
