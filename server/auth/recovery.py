"""Recovery codes: the last way in when every passkey is lost.

Ten random codes, each good once, shown to the person once and stored only as hashes.
A code is random enough (about 59 bits) to identify its owner without a username, and for
a plain SHA-256 to be safe: nobody can guess one from its hash.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import func
from sqlmodel import Session, delete, select, update

from server.auth.sessions import ensure_active
from server.errors import InvalidInput
from server.models import RecoveryCode, User, utcnow

CODE_COUNT = 10
# No 0/o, 1/l/i: codes are copied by hand from paper.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
GROUPS, GROUP_LENGTH = 3, 4
NOT_ACCEPTED = "That recovery code wasn't accepted. Check it for typos; each code works only once."


def normalize(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def code_hash(code: str) -> str:
    return hashlib.sha256(normalize(code).encode()).hexdigest()


def _new_code() -> str:
    groups = ("".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS))
    return "-".join(groups)


def replace_codes(*, session: Session, user: User, count: int = CODE_COUNT) -> list[str]:
    """New codes for the person; every earlier code stops working. Returns the plain codes."""
    session.exec(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_code() for _ in range(count)]
    for code in codes:
        session.add(RecoveryCode(user_id=user.id, code_hash=code_hash(code)))
    session.commit()
    return codes


def unused_count(*, session: Session, user: User) -> int:
    return session.exec(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).one()


def redeem(*, session: Session, code: str) -> User:
    """The owner of an unused code, marking it used (once only, even under a race)."""
    if len(normalize(code)) != GROUPS * GROUP_LENGTH:
        raise InvalidInput(NOT_ACCEPTED, field="code")
    row = session.exec(
        select(RecoveryCode).where(RecoveryCode.code_hash == code_hash(code))
    ).first()
    if row is None or row.used_at is not None:
        raise InvalidInput(NOT_ACCEPTED, field="code")
    owner = session.get(User, row.user_id)
    if owner is not None:
        ensure_active(owner)  # before the code is spent: it may be needed once reactivated
    result = session.exec(
        update(RecoveryCode)
        .where(RecoveryCode.id == row.id, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
    )
    session.commit()
    user = session.get(User, row.user_id) if result.rowcount == 1 else None
    if user is None:
        raise InvalidInput(NOT_ACCEPTED, field="code")
    return user
