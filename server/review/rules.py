"""Review presentation shared by the queue, the review page and the teacher's pages:
blind-review labels and "waiting …" text. The claim/decide guards live in guards.py.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from sqlmodel import Session

from server.models import Org, User

# --- blind review ----------------------------------------------------------------------


def is_blind(*, session: Session, assessor: User, teacher: User) -> bool:
    """Blind when the assessor's district or the teacher's district asks for it."""
    return org_is_blind(session, assessor.org_id) or org_is_blind(session, teacher.org_id)


def org_is_blind(session: Session, org_id: int | None) -> bool:
    if org_id is None:
        return False
    org = session.get(Org, org_id)
    return bool(org and org.blind_review)


def pseudonym(user_id: int, key: str = "") -> str:
    """A short label that stays the same for one teacher and can't be reversed to an id
    without the key (the app's secret)."""
    digest = hmac.new(key.encode(), f"teacher:{user_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:6].upper()


def teacher_label(teacher: User, *, blind: bool, key: str = "") -> str:
    return f"Teacher #{pseudonym(teacher.id, key)}" if blind else teacher.display_name


def waiting_text(since: datetime | None, now: datetime) -> str:
    if since is None:
        return "waiting"
    seconds = max(0, int((now - since).total_seconds()))
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = seconds // size
            return f"waiting {count} {unit}{'' if count == 1 else 's'}"
    return "waiting less than a minute"
