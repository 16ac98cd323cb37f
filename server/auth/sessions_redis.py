"""The Redis session store (CHALKMARK_REDIS_URL set): the same interface as
sessions.DatabaseSessions, for many app servers without a session query on the database.

Keys: `chalkmark:session:<hash>` holds one session as JSON and expires with it;
`chalkmark:user-sessions:<user id>` is the set of that person's session hashes, so
"sign out everywhere", passkey removal and deactivation find them; `chalkmark:reveal:...`
holds a value shown once (GETDEL is the claim).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from redis import Redis
from sqlmodel import Session

from server.auth.sessions import (
    REVEAL_KINDS,
    DeviceSession,
    SessionPolicy,
    device_summary,
    ensure_active,
    new_session_id,
    seal,
    session_hash,
    unseal,
)
from server.models import User, utcnow

PREFIX = "chalkmark:"


def _session_key(key: str) -> str:
    return f"{PREFIX}session:{key}"


def _user_key(user_id: int) -> str:
    return f"{PREFIX}user-sessions:{user_id}"


def _reveal_key(key: str, kind: str) -> str:
    return f"{PREFIX}reveal:{key}:{kind}"


@dataclass
class RedisSessions:
    redis: Redis
    policy: SessionPolicy = field(default_factory=SessionPolicy)
    clock: Callable[[], datetime] = utcnow

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> RedisSessions:
        return cls(Redis.from_url(url), **kwargs)

    def _ttl(self, record: dict[str, Any], now: datetime) -> int:
        """Redis forgets the session when it would expire anyway (idle or absolute)."""
        absolute = datetime.fromisoformat(record["expires_at"]) - now
        return max(1, int(min(self.policy.idle, absolute).total_seconds()))

    def _save(self, key: str, record: dict[str, Any], now: datetime) -> None:
        self.redis.set(_session_key(key), json.dumps(record), ex=self._ttl(record, now))

    def _load(self, key: str) -> dict[str, Any] | None:
        raw = self.redis.get(_session_key(key))
        return json.loads(raw) if raw else None

    def _live(self, record: dict[str, Any], now: datetime) -> bool:
        return self.policy.is_live(
            last_seen_at=datetime.fromisoformat(record["last_seen_at"]),
            expires_at=datetime.fromisoformat(record["expires_at"]),
            now=now,
        )

    def start(
        self, *, session: Session, user: User, passkey_id: int | None, user_agent: str | None
    ) -> str:
        ensure_active(user)
        session_id, now = new_session_id(), self.clock()
        key = session_hash(session_id)
        record = {
            "user_id": user.id,
            "passkey_id": passkey_id,
            "device": device_summary(user_agent),
            "created_at": now.isoformat(),
            "last_seen_at": now.isoformat(),
            "expires_at": (now + self.policy.absolute).isoformat(),
        }
        self._save(key, record, now)
        self.redis.sadd(_user_key(user.id), key)
        self.redis.expire(_user_key(user.id), int(self.policy.absolute.total_seconds()))
        return session_id

    def user_for(self, *, session: Session, session_id: str) -> User | None:
        key, now = session_hash(session_id), self.clock()
        record = self._load(key)
        if record is None or not self._live(record, now):
            return None
        user = session.get(User, record["user_id"])
        if user is None or user.deactivated_at is not None:
            return None
        if self.policy.needs_touch(datetime.fromisoformat(record["last_seen_at"]), now):
            record["last_seen_at"] = now.isoformat()
            # XX: never bring back a session that was ended between the read and this write.
            self.redis.set(
                _session_key(key), json.dumps(record), ex=self._ttl(record, now), xx=True
            )
        return user

    def _end_keys(self, user_id: int | None, keys: list[str]) -> int:
        if not keys:
            return 0
        ended = self.redis.delete(*(_session_key(k) for k in keys))
        if user_id is not None:
            self.redis.srem(_user_key(user_id), *keys)
        return ended

    def end(self, *, session: Session, session_id: str) -> None:
        key = session_hash(session_id)
        record = self._load(key)
        self._end_keys(record["user_id"] if record else None, [key])
        self.redis.delete(*(_reveal_key(key, kind) for kind in REVEAL_KINDS))

    def _records(self, user_id: int) -> dict[str, dict[str, Any]]:
        # This client returns bytes (decode_responses is off); redis-py types it loosely.
        keys = [k.decode() for k in self.redis.smembers(_user_key(user_id))]  # type: ignore[union-attr]
        values = self.redis.mget([_session_key(k) for k in keys]) if keys else []
        gone = [k for k, v in zip(keys, values, strict=True) if v is None]
        if gone:
            self.redis.srem(_user_key(user_id), *gone)
        return {k: json.loads(v) for k, v in zip(keys, values, strict=True) if v is not None}

    def end_one(self, *, session: Session, user_id: int, key: str) -> bool:
        if key not in self._records(user_id):
            return False
        return self._end_keys(user_id, [key]) == 1

    def end_all(self, *, session: Session, user_id: int) -> None:
        self._end_keys(user_id, list(self._records(user_id)))

    def end_made_with(self, *, session: Session, user_id: int, passkey_id: int) -> None:
        self._end_keys(
            user_id,
            [k for k, r in self._records(user_id).items() if r.get("passkey_id") == passkey_id],
        )

    def list_for(
        self, *, session: Session, user_id: int, current_id: str | None
    ) -> list[DeviceSession]:
        now = self.clock()
        current = session_hash(current_id) if current_id else None
        found = [
            DeviceSession(
                key=k,
                device=r["device"],
                created_at=datetime.fromisoformat(r["created_at"]),
                last_seen_at=datetime.fromisoformat(r["last_seen_at"]),
                passkey_id=r.get("passkey_id"),
                current=k == current,
            )
            for k, r in self._records(user_id).items()
            if self._live(r, now)
        ]
        return sorted(found, key=lambda s: s.last_seen_at, reverse=True)

    def put_reveal(
        self, *, session: Session, session_id: str, kind: str, value: Any, ttl_seconds: int
    ) -> None:
        self.redis.set(
            _reveal_key(session_hash(session_id), kind), seal(session_id, value), ex=ttl_seconds
        )

    def take_reveal(self, *, session: Session, session_id: str, kind: str) -> Any:
        return unseal(session_id, self.redis.getdel(_reveal_key(session_hash(session_id), kind)))
