"""Leaderboards in Redis sorted sets (CHALKMARK_REDIS_URL set): one set per scope (a
district or a cohort) and period (all time, or one ISO week), holding every member the
SQL board would show to someone else (hidden people are never in it), zero points too.

Order: the SQL board ranks by points, then the lower user id first. A set orders equal
scores by member name, so the score carries both: points * 2^31 + (2^31 - 1 - id) (ids
stop at 2^31 - 1, see server/ids.py); ZINCRBY by points * 2^31 keeps the tie-break.
Whole numbers up to 2^53 are exact in a double: a few million points per person.

Keys (`chalkmark:board:...`):
  -gen, -gen:<kind>:<id>                  generations: INCR makes a scope's boards (or all) stale
  <kind>:<id>:<gen>.<gen>:<all|week>      the set, with a sentinel member at -inf so that an
                                          empty board still exists; expires after BOARD_TTL
  ...:journal                             while a set is built: payments that arrived meanwhile

A missing set is built lazily from the database (`build`): one request takes the journal
(others use SQL meanwhile), reads the scores in one snapshot, loads a temporary key, adds
the journalled payments the snapshot did not contain, and RENAMEs it into place in a
script that first checks nothing was journalled since and no generation moved. Between
the snapshot and the rename it waits for the payments in flight (committed, maybe, but not
yet applied: boards_inflight.py, where the argument is). So a payment is counted once
whether it committed before, during or after the build.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from redis import Redis
from sqlalchemy import select, tuple_
from sqlalchemy.engine import Connection, Engine

from server.game import boards_inflight, ranking
from server.game.board_events import EVERY_BOARD, Payment
from server.models import PointEvent

ROOT = "chalkmark:board"
SHIFT = 2**31
SENTINEL = "-"
BOARD_TTL = 24 * 3600  # a board missing a payment (a crash after commit) heals within a day
JOURNAL_TTL = 300
BUILD_ATTEMPTS = 5
LOAD_CHUNK = 10_000

# KEYS board, journal · ARGV member, scaled delta, journal entry
_APPLY = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
    redis.call('ZINCRBY', KEYS[1], ARGV[2], ARGV[1])
  end
  return 1
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('RPUSH', KEYS[2], ARGV[3])
  return 2
end
return 0
"""
# KEYS journal · ARGV ttl: the one builder of a board
_START = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('RPUSH', KEYS[1], '*')
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1
"""
# KEYS temp, board, journal, global gen, scope gen
# ARGV journal length seen, ttl, global gen, scope gen, then member/delta pairs to add
_FINISH = """
if (redis.call('GET', KEYS[4]) or '0') ~= ARGV[3]
   or (redis.call('GET', KEYS[5]) or '0') ~= ARGV[4] then
  redis.call('DEL', KEYS[1], KEYS[3])
  return -1
end
if redis.call('LLEN', KEYS[3]) ~= tonumber(ARGV[1]) then return 0 end
for i = 5, #ARGV, 2 do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    redis.call('ZINCRBY', KEYS[1], ARGV[i + 1], ARGV[i])
  end
end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('EXPIRE', KEYS[2], ARGV[2])
redis.call('DEL', KEYS[3])
return 1
"""


def score(points: int, user_id: int) -> int:
    return points * SHIFT + (SHIFT - 1 - user_id)


def points_of(value: float) -> int:
    return int(value) // SHIFT


def tag_for(period: str, week: str | None) -> str:
    return week if period == "week" and week else "all"


def _gens_in(board: str) -> tuple[str, str]:
    """The generations a board's key was named with."""
    every, scope = board.split(":")[-2].split(".")
    return every, scope


def _gen_keys(kind: str, scope_id: int) -> tuple[str, str]:
    return f"{ROOT}-gen", f"{ROOT}-gen:{kind}:{scope_id}"


@dataclass
class RedisBoards:
    redis: Redis

    def __post_init__(self) -> None:
        self._apply = self.redis.register_script(_APPLY)
        self._start = self.redis.register_script(_START)
        self._finish = self.redis.register_script(_FINISH)

    @classmethod
    def from_url(cls, url: str) -> RedisBoards:
        return cls(Redis.from_url(url))

    # --- names -------------------------------------------------------------------------

    def _gens(self, scopes: Iterable[tuple[str, int]]) -> dict[tuple[str, int], tuple[str, str]]:
        scopes = list(dict.fromkeys(scopes))
        names = [f"{ROOT}-gen"] + [_gen_keys(kind, sid)[1] for kind, sid in scopes]
        values = [(v or b"0").decode() for v in self.redis.mget(names)]  # type: ignore[union-attr]
        return {scope: (values[0], values[n + 1]) for n, scope in enumerate(scopes)}

    @staticmethod
    def _key(kind: str, scope_id: int, gens: tuple[str, str], tag: str) -> str:
        return f"{ROOT}:{kind}:{scope_id}:{gens[0]}.{gens[1]}:{tag}"

    def key(self, kind: str, scope_id: int, tag: str) -> tuple[str, tuple[str, str]]:
        gens = self._gens([(kind, scope_id)])[(kind, scope_id)]
        return self._key(kind, scope_id, gens, tag), gens

    # --- writes (after the commit, see board_events) ---------------------------------------

    def invalidate(self, scopes: Iterable[tuple[str, int]]) -> None:
        pipe = self.redis.pipeline(transaction=False)
        for kind, scope_id in scopes:
            pipe.incr(
                f"{ROOT}-gen" if (kind, scope_id) == EVERY_BOARD else _gen_keys(kind, scope_id)[1]
            )
        pipe.execute()

    def apply(self, payments: list[Payment]) -> None:
        if not payments:
            return
        gens = self._gens(scope for p in payments for scope in p.scopes)
        pipe = self.redis.pipeline(transaction=False)
        for p in payments:
            entry = json.dumps([p.user_id, p.rule, p.ref, p.points])
            for kind, scope_id in p.scopes:
                for tag in ("all", p.week):
                    board = self._key(kind, scope_id, gens[(kind, scope_id)], tag)
                    args = (str(p.user_id), p.points * SHIFT, entry)
                    self._apply(keys=(board, f"{board}:journal"), args=args, client=pipe)
        pipe.execute()

    # --- the lazy build --------------------------------------------------------------------

    def look(self, kind: str, scope_id: int, tag: str, viewer_id: int):
        """(key, its size with the sentinel — 0 when missing —, the viewer's 0-based rank)."""
        board, _ = self.key(kind, scope_id, tag)
        pipe = self.redis.pipeline(transaction=False)
        pipe.zcard(board)
        pipe.zrevrank(board, str(viewer_id))
        card, rank = pipe.execute()
        return board, int(card), rank

    def build(
        self,
        engine: Engine,
        board: str,
        *,
        kind: str,
        scope_id: int,
        period: str,
        week: str | None,
    ) -> bool:
        """Build the missing board `board` from the database. False when another request
        is building it, or the scope went stale meanwhile."""
        gens = _gens_in(board)
        params = ranking.params(scope_id, None, week if period == "week" else None)
        journal, temp = f"{board}:journal", f"{board}:build:{secrets.token_hex(6)}"
        if not self._start(keys=(journal,), args=(JOURNAL_TTL,)):
            return False
        finished = False
        try:
            with _snapshot(engine) as conn:
                rows = conn.execute(ranking.scores_query(kind, period), params)
                self._load(temp, ((uid, score(points, uid)) for uid, points in rows))
                if not boards_inflight.settle(self.redis):  # after the snapshot, before FINISH
                    return False
                for _ in range(BUILD_ATTEMPTS):
                    done = self._try_finish(conn, temp, board, journal, gens, kind, scope_id)
                    if done != 0:
                        finished = done == 1
                        return finished
            return False
        finally:
            if not finished:
                self.redis.delete(temp, journal)

    def _load(self, temp: str, scores: Iterator[tuple[int, int]]) -> None:
        pipe = self.redis.pipeline(transaction=False)
        pipe.zadd(temp, {SENTINEL: float("-inf")})
        chunk: dict[str, int] = {}
        for uid, value in scores:
            chunk[str(uid)] = value
            if len(chunk) >= LOAD_CHUNK:
                pipe.zadd(temp, chunk)
                chunk = {}
        if chunk:
            pipe.zadd(temp, chunk)
        pipe.expire(temp, JOURNAL_TTL)
        pipe.execute()

    def _try_finish(
        self,
        conn: Connection,
        temp: str,
        board: str,
        journal: str,
        gens: tuple[str, str],
        kind: str,
        scope_id: int,
    ) -> int:
        """1 done, -1 the scope went stale, 0 journalled meanwhile (try again)."""
        raw = self.redis.lrange(journal, 1, -1)
        entries = [json.loads(item) for item in raw]
        seen = _in_snapshot(conn, entries)
        missing: list[Any] = []
        for user_id, rule, ref, points in entries:
            if (user_id, rule, ref) not in seen:
                missing += [str(user_id), points * SHIFT]
        keys = (temp, board, journal, *_gen_keys(kind, scope_id))
        args = (len(entries) + 1, BOARD_TTL, *gens, *missing)
        return int(self._finish(keys=keys, args=args))


def _in_snapshot(conn: Connection, entries: list[list[Any]]) -> set[tuple[int, str, str]]:
    """The journalled payments the snapshot already counts."""
    if not entries:
        return set()
    wanted = {(e[0], e[1], e[2]) for e in entries}
    key = tuple_(PointEvent.user_id, PointEvent.rule, PointEvent.ref)
    rows = conn.execute(
        select(PointEvent.user_id, PointEvent.rule, PointEvent.ref).where(key.in_(list(wanted)))
    )
    return {(uid, rule, ref) for uid, rule, ref in rows}


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection whose reads all see one moment of the database."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
            yield conn
            conn.rollback()
        return
    with engine.connect() as conn:
        # pysqlite opens no transaction for a SELECT: each would see a newer database.
        conn.exec_driver_sql("BEGIN")
        try:
            yield conn
        finally:
            conn.rollback()
