"""The Redis session store's keys themselves (test_auth_sessions.py checks the behaviour
both stores share): Redis forgets a session when it expires, idle or absolute, and
signing out deletes it at once. The real Redis, db 4 (emptied around each test)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from redis import Redis

from server.auth.sessions import RECOVERY_CODES, SessionPolicy, session_hash
from server.auth.sessions_redis import RedisSessions, _session_key, _user_key
from server.models import utcnow
from tests.support.factories import make_user

pytest_plugins = ["tests.support.boards"]
DAY = 24 * 3600


class Clock:
    def __init__(self):
        self.now = utcnow()

    def __call__(self):
        return self.now


@pytest.fixture
def redis(boards_redis_url):
    return Redis.from_url(boards_redis_url)


def _store(redis, clock=utcnow, **policy):
    return RedisSessions(redis, policy=SessionPolicy(**policy), clock=clock)


def test_a_session_key_lives_no_longer_than_the_session(redis, session):
    clock = Clock()
    store = _store(redis, clock, idle=timedelta(days=14), absolute=timedelta(days=30))
    user = make_user(session)
    session_id = store.start(session=session, user=user, passkey_id=None, user_agent=None)
    key = _session_key(session_hash(session_id))
    assert 14 * DAY - 60 < redis.ttl(key) <= 14 * DAY  # idle
    assert 0 < redis.ttl(_user_key(user.id)) <= 30 * DAY
    for _ in range(5):  # used every five days: kept alive, but never past the absolute age
        clock.now += timedelta(days=5)
        assert store.user_for(session=session, session_id=session_id) is not None
    assert 5 * DAY - 60 < redis.ttl(key) <= 5 * DAY  # 30 days from the start, not 14 from now


def test_redis_itself_forgets_an_expired_session(redis, session):
    store = _store(redis, idle=timedelta(seconds=1), absolute=timedelta(days=1))
    user = make_user(session)
    session_id = store.start(session=session, user=user, passkey_id=None, user_agent=None)
    assert redis.exists(_session_key(session_hash(session_id)))
    time.sleep(2.1)
    assert not redis.exists(_session_key(session_hash(session_id)))
    assert store.user_for(session=session, session_id=session_id) is None


def test_signing_out_deletes_the_session_and_what_it_revealed(redis, session):
    store = _store(redis)
    user = make_user(session)
    kept = store.start(session=session, user=user, passkey_id=None, user_agent=None)
    ended = store.start(session=session, user=user, passkey_id=None, user_agent=None)
    store.put_reveal(
        session=session, session_id=ended, kind=RECOVERY_CODES, value=["a"], ttl_seconds=60
    )
    store.end(session=session, session_id=ended)
    assert not redis.exists(_session_key(session_hash(ended)))
    assert redis.smembers(_user_key(user.id)) == {session_hash(kept).encode()}
    assert not list(redis.scan_iter("chalkmark:reveal:*"))
    assert store.user_for(session=session, session_id=ended) is None
    assert store.user_for(session=session, session_id=kept).id == user.id
