"""Payments in flight between their commit and their Redis apply, so that a lazy board
build (boards_redis.build) never counts one twice.

The race it closes: a payment commits before a build's database snapshot (the snapshot
counts it), but its after-commit apply reaches Redis only after the build renamed the
board into place; the board exists, so ZINCRBY adds it again. The build's journal covers
only the applies that happen while the build runs.

So every transaction that pays registers a token in one sorted set (KEY, scored by the
Redis clock) in `before_commit`, and takes it away after its apply (`after_commit`), or
on a rollback (`after_transaction_end`). A build, once its snapshot is taken, notes the
tokens present and waits until all of them are gone before it finishes (`settle`).

Why a payment is counted exactly once. Per payment: register < commit < apply <
unregister. Per build: START (journal) < snapshot < note tokens < wait < FINISH (rename,
journal deleted; both atomic Lua scripts, as is apply).
- Committed before the snapshot: it registered before the snapshot, hence before the
  tokens were noted. Either it had already unregistered (so applied before FINISH) or the
  build waits until it unregisters (applied before FINISH again). Its apply came before
  START (no board, no journal: dropped, the snapshot counts it) or between START and
  FINISH (journalled; `_in_snapshot` finds it in the snapshot: not added). Never after.
- Committed after the snapshot: the snapshot lacks it, and its apply is after START:
  before FINISH it is journalled and added by FINISH; after FINISH it is a ZINCRBY.
A token found but not yet committed (it commits after the snapshot) only makes the
build wait a little longer. A build that waits more than WAIT gives up: the journal and
temp key go, SQL serves this request, the next one builds again (no board, no count).

Limits. Tokens older than STALE are ignored and pruned: a process that died between its
registration and its apply (its payment is in the database, the board never heard of it).
A payment slower than STALE between before_commit and its apply could still be counted
twice, as could one whose unregistering failed (Redis down just then) for STALE seconds
of builds being held up instead. Redis down at registration is logged and the payment
commits anyway, as with apply: the boards heal when their keys expire.
"""

from __future__ import annotations

import logging
import secrets
import time

from redis import Redis

log = logging.getLogger(__name__)

KEY = "chalkmark:board-inflight"
STALE = 30.0  # seconds: a token this old belongs to a process that died
WAIT = 2.0  # seconds a build waits for the payments in flight at its snapshot
POLL = 0.01

# KEYS set · ARGV token, stale: add the token at the Redis time, prune the dead ones
_REGISTER = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
redis.call('ZADD', KEYS[1], now, ARGV[1])
return 1
"""
# KEYS set · ARGV stale: the tokens registered in the last `stale` seconds
_LIVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
return redis.call('ZRANGEBYSCORE', KEYS[1], now - tonumber(ARGV[1]), '+inf')
"""


def redis_now(redis: Redis) -> float:
    seconds, micros = redis.time()
    return seconds + micros / 1_000_000


def register(redis: Redis) -> str | None:
    """A new token in flight (None: Redis is down; the commit goes on)."""
    token = secrets.token_hex(8)
    try:
        redis.eval(_REGISTER, 1, KEY, token, STALE)
    except Exception:
        log.exception("leaderboards: could not register a payment in flight")
        return None
    return token


def unregister(redis: Redis, token: str) -> None:
    try:
        redis.zrem(KEY, token)
    except Exception:  # it goes stale after STALE seconds
        log.exception("leaderboards: could not take a payment in flight away")


def settle(redis: Redis) -> bool:
    """Wait until every payment in flight now has applied (call it after the snapshot is
    taken). False when some are still there after WAIT seconds."""
    tokens = redis.eval(_LIVE, 1, KEY, STALE)
    deadline = time.monotonic() + WAIT
    while tokens:
        left = redis.zmscore(KEY, tokens)
        tokens = [token for token, at in zip(tokens, left, strict=True) if at is not None]
        if not tokens:
            break
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL)
    return True
