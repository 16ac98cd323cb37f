"""The server-side session stores, one contract for both: the database (SQLite and
PostgreSQL) and Redis (the real one at 127.0.0.1:6379 db 15, or CHALKMARK_TEST_REDIS_URL).
Time is a clock the test moves, never a wait."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Delete
from sqlmodel import Session, select

from server.auth import service
from server.auth.sessions import DatabaseSessions, SessionPolicy, session_hash
from server.auth.sessions_redis import RedisSessions
from server.errors import Forbidden
from server.models import SessionReveal, UserSession, utcnow
from tests.support.factories import make_user

# The fixture `redis_url`: the real Redis, db 15, emptied around each test.
pytest_plugins = ["tests.support.redis_queue"]
CHROME_ON_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
)


class Clock:
    def __init__(self):
        self.now = utcnow()

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture(params=["database", "redis"])
def store(request, clock):
    policy = SessionPolicy(idle=timedelta(days=14), absolute=timedelta(days=30))
    if request.param == "database":
        return DatabaseSessions(policy=policy, clock=clock)
    from redis import Redis

    url = request.getfixturevalue("redis_url")
    return RedisSessions(Redis.from_url(url), policy=policy, clock=clock)


def start(store, session, user, passkey_id=None):
    return store.start(
        session=session, user=user, passkey_id=passkey_id, user_agent=CHROME_ON_ANDROID
    )


def test_a_session_finds_its_user_until_it_is_ended(store, session):
    user = make_user(session)
    session_id = start(store, session, user)
    assert store.user_for(session=session, session_id=session_id).id == user.id
    assert store.user_for(session=session, session_id=session_id + "x") is None
    store.end(session=session, session_id=session_id)
    assert store.user_for(session=session, session_id=session_id) is None


def test_only_a_hash_of_the_id_is_stored(session, clock):
    store = DatabaseSessions(clock=clock)
    session_id = start(store, session, make_user(session))
    row = session.exec(select(UserSession)).one()
    assert row.id_hash == session_hash(session_id) and session_id not in row.id_hash
    assert row.user_agent == "Chrome on Android"
    assert row.expires_at == clock.now + timedelta(days=30)


def test_idle_sessions_expire_and_use_keeps_them_alive(store, session, clock):
    user = make_user(session)
    busy, idle = start(store, session, user), start(store, session, user)
    for _ in range(3):  # used every 9 days: 27 days in, still alive
        clock.advance(days=9)
        assert store.user_for(session=session, session_id=busy) is not None
    assert store.user_for(session=session, session_id=idle) is None


def test_every_session_ends_at_its_absolute_age(store, session, clock):
    session_id = start(store, session, make_user(session))
    for _ in range(4):
        clock.advance(days=7)
        assert store.user_for(session=session, session_id=session_id) is not None
    clock.advance(days=2, seconds=1)  # 30 days and a second since sign-in
    assert store.user_for(session=session, session_id=session_id) is None


def test_last_seen_is_written_only_every_few_minutes(store, session, clock):
    user = make_user(session)
    session_id = start(store, session, user)
    signed_in_at = clock.now

    def last_seen():
        return store.list_for(session=session, user_id=user.id, current_id=session_id)[
            0
        ].last_seen_at

    clock.advance(minutes=4)
    store.user_for(session=session, session_id=session_id)
    assert last_seen() == signed_in_at  # no write for a request 4 minutes later
    clock.advance(minutes=2)
    store.user_for(session=session, session_id=session_id)
    assert last_seen() == clock.now


def test_sign_out_everywhere_and_one_device(store, session):
    user, other = make_user(session), make_user(session)
    phone, laptop, tablet = (start(store, session, user) for _ in range(3))
    theirs = start(store, session, other)
    listed = store.list_for(session=session, user_id=user.id, current_id=laptop)
    assert len(listed) == 3 and [d.current for d in listed].count(True) == 1
    assert not store.end_one(session=session, user_id=other.id, key=session_hash(phone))
    assert store.end_one(session=session, user_id=user.id, key=session_hash(phone))
    assert store.user_for(session=session, session_id=phone) is None
    assert store.user_for(session=session, session_id=laptop) is not None
    store.end_all(session=session, user_id=user.id)
    assert [store.user_for(session=session, session_id=s) for s in (laptop, tablet)] == [None] * 2
    assert store.list_for(session=session, user_id=user.id, current_id=None) == []
    assert store.user_for(session=session, session_id=theirs).id == other.id


def test_removing_a_passkey_ends_the_sessions_it_made(store, session):
    user = make_user(session)
    with_key, with_other = start(store, session, user, 7), start(store, session, user, 8)
    with_code = start(store, session, user)
    store.end_made_with(session=session, user_id=user.id, passkey_id=7)
    assert store.user_for(session=session, session_id=with_key) is None
    assert store.user_for(session=session, session_id=with_other) is not None
    assert store.user_for(session=session, session_id=with_code) is not None


def test_a_deactivated_person_is_signed_out_and_cannot_sign_in(store, session):
    user = make_user(session)
    session_id = start(store, session, user)
    service.deactivate_user(session=session, user=user, sessions=store)
    assert store.user_for(session=session, session_id=session_id) is None
    assert store.list_for(session=session, user_id=user.id, current_id=None) == []
    with pytest.raises(Forbidden, match="switched off"):
        start(store, session, user)


def test_a_revealed_value_is_shown_once_and_only_to_its_session(store, session):
    user = make_user(session)
    mine, other = start(store, session, user), start(store, session, user)
    store.put_reveal(
        session=session,
        session_id=mine,
        kind="recovery-codes",
        value={"codes": ["abcd-efgh-jkmn"]},
        ttl_seconds=600,
    )
    assert store.take_reveal(session=session, session_id=other, kind="recovery-codes") is None
    assert store.take_reveal(session=session, session_id=mine, kind="recovery-codes") == {
        "codes": ["abcd-efgh-jkmn"]
    }
    assert store.take_reveal(session=session, session_id=mine, kind="recovery-codes") is None


def test_revealed_values_are_stored_encrypted(session):
    store = DatabaseSessions()
    session_id = start(store, session, make_user(session))
    store.put_reveal(
        session=session,
        session_id=session_id,
        kind="recovery-codes",
        value={"codes": ["abcd-efgh-jkmn"]},
        ttl_seconds=600,
    )
    row = session.exec(select(SessionReveal)).one()
    assert "abcd" not in row.payload and session_id not in row.session_hash


def test_two_looks_at_once_show_a_revealed_value_once(session, engine):
    """A copied cookie read at the same moment as the real one: the second reader reads
    the row, the first claims it meanwhile, and the second's delete finds nothing."""
    store = DatabaseSessions()
    session_id = start(store, session, make_user(session))
    codes = {"codes": ["abcd-efgh-jkmn"]}
    store.put_reveal(
        session=session, session_id=session_id, kind="recovery-codes", value=codes, ttl_seconds=600
    )
    session.commit()
    first_look: list[object] = []

    class Overtaken:
        """The late reader's session: just before its delete, the other look claims it."""

        def __getattr__(self, name):
            return getattr(session, name)

        def exec(self, statement, *args, **kwargs):
            if isinstance(statement, Delete) and not first_look:
                with Session(engine) as other:
                    first_look.append(
                        store.take_reveal(
                            session=other, session_id=session_id, kind="recovery-codes"
                        )
                    )
            return session.exec(statement, *args, **kwargs)

    late_look = store.take_reveal(session=Overtaken(), session_id=session_id, kind="recovery-codes")
    assert first_look == [codes] and late_look is None
