"""What the Redis leaderboards learn from the database, and when: only after a commit.

A payment (ledger.pay) and a change of who is on a board (a person joins or leaves a
district or a cohort, or changes their visibility) are noted on the Session while the
transaction runs; the notes go to Redis in `after_commit` and are dropped on rollback.
So Redis is never ahead of the database: a rolled-back payment never reaches it. A
transaction that pays is registered as in flight from before its commit until after its
apply (boards_inflight.py), so that a board built meanwhile does not count it twice. The one
gap, a process dying between the commit and the Redis call, leaves a board behind until
its keys expire (boards_redis.BOARD_TTL) and it is built again from the database.

Which Redis: the store installed for the Session's engine (`install`, done by the game
blueprint when CHALKMARK_REDIS_URL is set, the setting the sessions use). Without one
every hook returns at once and the boards stay SQL.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from sqlalchemy import event, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from server.game import boards_inflight
from server.models import CohortMember, MemberStatus, User

if TYPE_CHECKING:
    from redis import Redis

    from server.game.boards_redis import RedisBoards

log = logging.getLogger(__name__)

PENDING = "chalkmark_boards_pending"
EVERY_BOARD = ("*", 0)  # an invalidation of every board (a bulk change, a totals rebuild)

_stores: WeakKeyDictionary[Engine, RedisBoards] = WeakKeyDictionary()


@dataclass(frozen=True)
class Payment:
    user_id: int
    rule: str
    ref: str
    points: int
    week: str
    scopes: tuple[tuple[str, int], ...]  # ("org", id) and ("cohort", id) the person is in


@dataclass
class Pending:
    payments: list[Payment]
    stale: set[tuple[str, int]]
    inflight: tuple[Redis, str] | None = None  # (where, token) from before the commit


def install(engine: Engine, store: RedisBoards | None) -> None:
    """Boards of this engine's database in `store` (None: SQL boards)."""
    if store is None:
        _stores.pop(engine, None)
    else:
        _stores[engine] = store


def store_for(session: Session) -> RedisBoards | None:
    if not _stores:
        return None
    try:
        bind = session.get_bind()
    except Exception:  # an unbound session: no database, no board
        return None
    engine = bind if isinstance(bind, Engine) else getattr(bind, "engine", None)
    return _stores.get(engine) if engine is not None else None


def _pending(session: OrmSession) -> Pending:
    if PENDING not in session.info:
        session.info[PENDING] = Pending(payments=[], stale=set())
    pending: Pending = session.info[PENDING]
    return pending


def paid(
    session: Session, *, user: User | None, rule: str, ref: str, points: int, week: str
) -> None:
    """A PointEvent was inserted (ledger.pay): add it to the person's boards once the
    transaction commits."""
    if user is None or user.id is None or store_for(session) is None:
        return
    cohorts = session.execute(
        select(CohortMember.cohort_id).where(
            CohortMember.user_id == user.id, CohortMember.status == MemberStatus.ACTIVE.value
        )
    ).scalars()
    scopes = tuple(("cohort", cohort_id) for cohort_id in cohorts)
    if user.org_id is not None:
        scopes += (("org", user.org_id),)
    _pending(session).payments.append(Payment(user.id, rule, ref, points, week, scopes))


def totals_rebuilt(session: Session) -> None:
    """ledger.rebuild rewrote the totals: every board is built again after the commit."""
    if store_for(session) is not None:
        _pending(session).stale.add(EVERY_BOARD)


# --- who is on which board: unit-of-work changes, and bulk statements --------------------


def _changed(obj: Any, *names: str) -> tuple[set[Any], bool]:
    """(old and new values of the attributes that changed, whether any did)."""
    state, changed = inspect(obj), False
    values: set[Any] = set()
    for name in names:
        history = state.attrs[name].history
        if history.has_changes():
            changed = True
            values.update(v for v in (*history.added, *history.deleted) if v is not None)
    return values, changed


def _cohorts_of(session: OrmSession, user_id: int) -> set[tuple[str, int]]:
    rows = session.connection().execute(
        select(CohortMember.cohort_id).where(CohortMember.user_id == user_id)
    )
    return {("cohort", cohort_id) for (cohort_id,) in rows}


def _member_changes(session: OrmSession) -> set[tuple[str, int]]:
    stale: set[tuple[str, int]] = set()
    for obj in (*session.new, *session.deleted):
        if isinstance(obj, User) and obj.org_id is not None:
            stale.add(("org", obj.org_id))
        elif isinstance(obj, CohortMember):
            stale.add(("cohort", obj.cohort_id))
    for obj in session.dirty:
        if isinstance(obj, User):
            orgs, moved = _changed(obj, "org_id")
            _, shown_differently = _changed(obj, "leaderboard_visibility")
            stale |= {("org", org_id) for org_id in orgs}
            if shown_differently:
                stale |= {("org", obj.org_id)} if obj.org_id is not None else set()
                stale |= _cohorts_of(session, obj.id)
        elif isinstance(obj, CohortMember):
            cohorts, _ = _changed(obj, "cohort_id", "status")
            stale |= {("cohort", cohort_id) for cohort_id in cohorts}
            if _changed(obj, "status")[1]:
                stale.add(("cohort", obj.cohort_id))
    return stale


@event.listens_for(OrmSession, "before_flush")
def _note_member_changes(session: OrmSession, _context: Any, _instances: Any) -> None:
    if store_for(session) is None:  # type: ignore[arg-type]
        return
    stale = _member_changes(session)
    if stale:
        _pending(session).stale |= stale


@event.listens_for(OrmSession, "do_orm_execute")
def _note_bulk_changes(state: ORMExecuteState) -> None:
    """A bulk INSERT/UPDATE/DELETE of people or memberships (the roster import): which
    boards it touches is not known here, so every board is built again."""
    if state.is_select or store_for(state.session) is None:  # type: ignore[arg-type]
        return
    mapper = state.bind_mapper
    if mapper is not None and mapper.class_ in (User, CohortMember):
        _pending(state.session).stale.add(EVERY_BOARD)


# --- around the commit ----------------------------------------------------------------


@event.listens_for(OrmSession, "before_commit")
def _register(session: OrmSession) -> None:
    """Payments about to commit are in flight until applied (boards_inflight.py)."""
    pending: Pending | None = session.info.get(PENDING)
    if pending is None or not pending.payments or pending.inflight is not None:
        return
    store = store_for(session)  # type: ignore[arg-type]
    if store is None:
        return
    token = boards_inflight.register(store.redis)
    if token is not None:
        pending.inflight = (store.redis, token)


def _land(pending: Pending) -> None:
    if pending.inflight is not None:
        boards_inflight.unregister(*pending.inflight)
        pending.inflight = None


@event.listens_for(OrmSession, "after_commit")
def _send(session: OrmSession) -> None:
    pending: Pending | None = session.info.pop(PENDING, None)
    if pending is None:
        return
    store = store_for(session)  # type: ignore[arg-type]
    try:
        if store is not None and (pending.payments or pending.stale):
            store.invalidate(pending.stale)
            store.apply(pending.payments)
    except Exception:  # the commit stands; the board catches up when its keys expire
        log.exception("leaderboards: Redis missed %d payments", len(pending.payments))
    finally:
        _land(pending)  # only once applied: a build waiting for it may finish now


@event.listens_for(OrmSession, "after_transaction_end")
def _forget(session: OrmSession, transaction: Any) -> None:
    # After `after_commit` (nothing left) or a rollback or close: what it noted never happened.
    if transaction.parent is None:
        pending: Pending | None = session.info.pop(PENDING, None)
        if pending is not None:
            _land(pending)
