"""One-time links that let a person add a passkey on another device (phone, new laptop).

Only a hash of the token is stored; the link works once and expires soon after it is made.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlmodel import Session, select, update

from server.errors import Expired, NotFound
from server.models import DeviceLink, User, utcnow

INVALID = (
    "This link isn't valid. Check that you copied all of it, or make a new one "
    "from your account page on a signed-in device."
)
USED = (
    "This link has already been used. Make a new one from your account page on a signed-in device."
)
EXPIRED = "This link has expired. Make a new one from your account page on a signed-in device."


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_device_link(*, session: Session, user: User, ttl_seconds: int) -> str:
    """Stores the link (hashed) and returns the raw token, which is shown once."""
    token = secrets.token_urlsafe(32)
    session.add(
        DeviceLink(
            token_hash=token_hash(token),
            user_id=user.id,
            expires_at=utcnow() + timedelta(seconds=ttl_seconds),
        )
    )
    session.commit()
    return token


def usable_link(*, session: Session, token: str) -> DeviceLink:
    """The link if it can still be used; otherwise a clear reason (not found, used, expired)."""
    if not token or len(token) > 200:
        raise NotFound(INVALID)
    link = session.exec(
        select(DeviceLink).where(DeviceLink.token_hash == token_hash(token))
    ).first()
    if link is None:
        raise NotFound(INVALID)
    if link.used_at is not None:
        raise Expired(USED)
    if link.expires_at <= utcnow():
        raise Expired(EXPIRED)
    return link


def is_usable(*, session: Session, token: str) -> bool:
    try:
        usable_link(session=session, token=token)
    except (NotFound, Expired):
        return False
    return True


def consume_link(*, session: Session, link_id: int) -> None:
    """Marks the link used, exactly once even when two devices race (no commit here:
    the caller commits it with the new passkey)."""
    now = utcnow()
    result = session.exec(
        update(DeviceLink)
        .where(DeviceLink.id == link_id, DeviceLink.used_at.is_(None), DeviceLink.expires_at > now)
        .values(used_at=now)
    )
    if result.rowcount != 1:
        raise Expired(USED)
