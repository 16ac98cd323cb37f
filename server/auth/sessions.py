"""Server-side sign-in sessions: one record per signed-in browser, ended at sign-out, when
the passkey that made it is removed, when the account is switched off, after some idle
days, and at an absolute age. No Flask here; the cookie glue is in session.py.

The browser holds a random session id; the store keeps only its SHA-256 (a copied table
signs nobody in). Two stores share one interface: the database (default) and Redis (when
CHALKMARK_REDIS_URL is set; see sessions_redis.py).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import ColumnElement, bindparam
from sqlmodel import Session, delete, select, update

from server.errors import Forbidden
from server.models import SessionReveal, User, UserSession, utcnow

DEACTIVATED = (
    "This account has been switched off, so it can't sign in. Ask your district's "
    "Chalkmark admin if you think that's a mistake."
)
PLATFORMS = (
    ("iphone", "iPhone"),
    ("ipad", "iPad"),
    ("android", "Android"),
    ("cros", "Chromebook"),
    ("windows", "Windows"),
    ("macintosh", "Mac"),
    ("mac os", "Mac"),
    ("linux", "Linux"),
)
# Order matters: Edge and Chrome both say "Chrome", Chrome and Safari both say "Safari".
BROWSERS = (("edg/", "Edge"), ("firefox", "Firefox"), ("chrome", "Chrome"), ("safari", "Safari"))
KEY_LENGTH = 64  # hex SHA-256
RECOVERY_CODES, DEVICE_LINK = "recovery-codes", "device-link"
# An admin's: the sign-up links of a roster import, a device link made for someone else.
ROSTER_LINKS, ADMIN_LINK = "roster-links", "admin-link"
REVEAL_KINDS = (RECOVERY_CODES, DEVICE_LINK, ROSTER_LINKS, ADMIN_LINK)


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def session_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def platform_name(user_agent: str | None) -> str | None:
    agent = (user_agent or "").lower()
    return next((name for needle, name in PLATFORMS if needle in agent), None)


def device_summary(user_agent: str | None) -> str:
    """A short, human name for a browser ("Chrome on Android"), never the raw header."""
    agent = (user_agent or "").lower()
    browser = next((name for needle, name in BROWSERS if needle in agent), "A browser")
    platform = platform_name(user_agent)
    return f"{browser} on {platform}" if platform else browser


@dataclass(frozen=True)
class SessionPolicy:
    idle: timedelta = timedelta(days=14)
    absolute: timedelta = timedelta(days=30)
    # last_seen_at is written at most this often: not a write on every request.
    touch_every: timedelta = timedelta(minutes=5)

    def is_live(self, *, last_seen_at: datetime, expires_at: datetime, now: datetime) -> bool:
        return now < expires_at and now < last_seen_at + self.idle

    def needs_touch(self, last_seen_at: datetime, now: datetime) -> bool:
        return now - last_seen_at >= self.touch_every


@dataclass(frozen=True)
class DeviceSession:
    """One signed-in browser as the account page lists it."""

    key: str  # the id's hash: names the session without being able to sign in
    device: str
    created_at: datetime
    last_seen_at: datetime
    passkey_id: int | None
    current: bool = False


def ensure_active(user: User) -> None:
    if user.deactivated_at is not None:
        raise Forbidden(DEACTIVATED)


class SessionStore(Protocol):
    """What both stores offer (DatabaseSessions below, RedisSessions in sessions_redis)."""

    def start(
        self, *, session: Session, user: User, passkey_id: int | None, user_agent: str | None
    ) -> str: ...
    def user_for(self, *, session: Session, session_id: str) -> User | None: ...
    def end(self, *, session: Session, session_id: str) -> None: ...
    def end_one(self, *, session: Session, user_id: int, key: str) -> bool: ...
    def end_all(self, *, session: Session, user_id: int) -> None: ...
    def end_made_with(self, *, session: Session, user_id: int, passkey_id: int) -> None: ...
    def list_for(
        self, *, session: Session, user_id: int, current_id: str | None
    ) -> list[DeviceSession]: ...
    def put_reveal(
        self, *, session: Session, session_id: str, kind: str, value: Any, ttl_seconds: int
    ) -> None: ...
    def take_reveal(self, *, session: Session, session_id: str, kind: str) -> Any: ...


# --- values shown once, readable only with the session id ----------------------------


def _fernet(session_id: str) -> Fernet:
    key = hashlib.sha256(b"chalkmark-reveal:" + session_id.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(session_id: str, value: Any) -> str:
    return _fernet(session_id).encrypt(json.dumps(value).encode()).decode()


def unseal(session_id: str, payload: str | bytes | None) -> Any:
    if payload is None:
        return None
    try:
        return json.loads(_fernet(session_id).decrypt(payload))
    except (InvalidToken, ValueError):
        return None


# --- the database store --------------------------------------------------------------

# Every signed-in request runs this: built once, and only the session columns it reads.
SIGNED_IN = (
    select(UserSession.id, UserSession.last_seen_at, UserSession.expires_at, User)
    .join(User, User.id == UserSession.user_id)
    .where(UserSession.id_hash == bindparam("id_hash"), UserSession.revoked_at.is_(None))
)


@dataclass
class DatabaseSessions:
    policy: SessionPolicy = field(default_factory=SessionPolicy)
    clock: Callable[[], datetime] = utcnow

    def start(
        self, *, session: Session, user: User, passkey_id: int | None, user_agent: str | None
    ) -> str:
        """A new session for the person; returns the id for the cookie (shown nowhere else)."""
        ensure_active(user)
        session_id, now = new_session_id(), self.clock()
        session.add(
            UserSession(
                id_hash=session_hash(session_id),
                user_id=user.id,
                passkey_id=passkey_id,
                user_agent=device_summary(user_agent),
                created_at=now,
                last_seen_at=now,
                expires_at=now + self.policy.absolute,
            )
        )
        session.commit()
        return session_id

    def user_for(self, *, session: Session, session_id: str) -> User | None:
        """The signed-in person, in one query (session joined to user); None when ended."""
        row = session.execute(SIGNED_IN, {"id_hash": session_hash(session_id)}).first()
        if row is None:
            return None
        record_id, last_seen_at, expires_at = row[:3]
        user: User = row[3]
        now = self.clock()
        if user.deactivated_at is not None or not self.policy.is_live(
            last_seen_at=last_seen_at, expires_at=expires_at, now=now
        ):
            return None
        if self.policy.needs_touch(last_seen_at, now):
            session.exec(
                update(UserSession).where(UserSession.id == record_id).values(last_seen_at=now)
            )
            session.commit()
        return user

    def _revoke(self, session: Session, *conditions: ColumnElement[bool]) -> int:
        result = session.exec(
            update(UserSession)
            .where(UserSession.revoked_at.is_(None), *conditions)
            .values(revoked_at=self.clock())
        )
        session.exec(delete(SessionReveal).where(SessionReveal.expires_at <= self.clock()))
        session.commit()
        return result.rowcount

    def end(self, *, session: Session, session_id: str) -> None:
        self._revoke(session, UserSession.id_hash == session_hash(session_id))
        session.exec(
            delete(SessionReveal).where(SessionReveal.session_hash == session_hash(session_id))
        )
        session.commit()

    def end_one(self, *, session: Session, user_id: int, key: str) -> bool:
        """Ends one of the person's own sessions; someone else's key ends nothing."""
        return (
            self._revoke(session, UserSession.id_hash == key, UserSession.user_id == user_id) == 1
        )

    def end_all(self, *, session: Session, user_id: int) -> None:
        self._revoke(session, UserSession.user_id == user_id)

    def end_made_with(self, *, session: Session, user_id: int, passkey_id: int) -> None:
        self._revoke(session, UserSession.user_id == user_id, UserSession.passkey_id == passkey_id)

    def list_for(
        self, *, session: Session, user_id: int, current_id: str | None
    ) -> list[DeviceSession]:
        now = self.clock()
        rows = session.exec(
            select(UserSession)
            .where(
                UserSession.user_id == user_id,
                UserSession.revoked_at.is_(None),
                UserSession.expires_at > now,
            )
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
        ).all()
        current = session_hash(current_id) if current_id else None
        return [
            DeviceSession(
                key=r.id_hash,
                device=r.user_agent,
                created_at=r.created_at,
                last_seen_at=r.last_seen_at,
                passkey_id=r.passkey_id,
                current=r.id_hash == current,
            )
            for r in rows
            if self.policy.is_live(last_seen_at=r.last_seen_at, expires_at=r.expires_at, now=now)
        ]

    def put_reveal(
        self, *, session: Session, session_id: str, kind: str, value: Any, ttl_seconds: int
    ) -> None:
        key = session_hash(session_id)
        session.exec(
            delete(SessionReveal).where(
                SessionReveal.session_hash == key, SessionReveal.kind == kind
            )
        )
        session.add(
            SessionReveal(
                session_hash=key,
                kind=kind,
                payload=seal(session_id, value),
                expires_at=self.clock() + timedelta(seconds=ttl_seconds),
            )
        )
        session.commit()

    def take_reveal(self, *, session: Session, session_id: str, kind: str) -> Any:
        """The value once: deleting the row is the claim, so two readers never both see it."""
        row = session.exec(
            select(SessionReveal).where(
                SessionReveal.session_hash == session_hash(session_id), SessionReveal.kind == kind
            )
        ).first()
        if row is None:
            return None
        claimed = session.exec(delete(SessionReveal).where(SessionReveal.id == row.id)).rowcount
        session.commit()
        if claimed != 1 or row.expires_at <= self.clock():
            return None
        return unseal(session_id, row.payload)


def make_store(*, redis_url: str | None, policy: SessionPolicy) -> SessionStore:
    if redis_url:
        from server.auth.sessions_redis import RedisSessions

        return RedisSessions.from_url(redis_url, policy=policy)
    return DatabaseSessions(policy=policy)
