"""Pending WebAuthn ceremonies, kept server-side with an expiry.

A challenge is taken exactly once: `take_challenge` deletes the row and commits BEFORE the
caller verifies anything, so a replayed response (or two racing ones) finds nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, delete

from server.errors import Expired
from server.models import WebAuthnChallenge, utcnow

EXPIRED = "This sign-in request expired. Please try again."


@dataclass(frozen=True)
class PendingCeremony:
    """A taken (already deleted) challenge row, copied so it outlives its session."""

    purpose: str
    challenge: bytes
    user_id: int | None
    expires_at: datetime
    payload: dict[str, Any] = field(default_factory=dict[str, Any])


def store_challenge(
    *,
    session: Session,
    ttl_seconds: int,
    purpose: str,
    challenge: bytes,
    user_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> WebAuthnChallenge:
    now = utcnow()
    # Abandoned ceremonies are swept here, so the table never grows without bound.
    session.exec(delete(WebAuthnChallenge).where(WebAuthnChallenge.expires_at < now))
    row = WebAuthnChallenge(
        purpose=purpose,
        challenge=challenge,
        user_id=user_id,
        payload=json.dumps(payload or {}),
        expires_at=now + timedelta(seconds=ttl_seconds),
    )
    session.add(row)
    session.commit()
    return row


def take_challenge(*, session: Session, challenge_id: Any, purpose: str) -> PendingCeremony:
    """Delete the challenge and commit, then check it: one use, before any verification."""
    if not isinstance(challenge_id, str) or not challenge_id or len(challenge_id) > 36:
        raise Expired(EXPIRED)
    row = session.get(WebAuthnChallenge, challenge_id)
    if row is None:
        raise Expired(EXPIRED)
    pending = PendingCeremony(
        row.purpose,
        bytes(row.challenge),
        row.user_id,
        row.expires_at,
        json.loads(row.payload or "{}"),
    )
    session.expunge(row)
    # Only the request whose DELETE removed the row may go on; a racing twin removes nothing.
    deleted = session.exec(
        delete(WebAuthnChallenge).where(WebAuthnChallenge.id == challenge_id)
    ).rowcount
    session.commit()
    if deleted != 1 or pending.purpose != purpose or pending.expires_at <= utcnow():
        raise Expired(EXPIRED)
    return pending
