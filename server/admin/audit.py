"""The admin audit log: every admin action records who, what, when, before and after.
Callers add the entry in the same transaction as the change (no commit here), so the log
never claims a change that was rolled back."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, select

from server.models import AuditEntry, Org, User


def record(
    *,
    session: Session,
    org: Org,
    actor: User,
    action: str,
    target: str,
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    entry = AuditEntry(
        org_id=org.id,
        actor_id=actor.id,
        action=action,
        target=target[:200],
        before=_as_text(before),
        after=_as_text(after),
    )
    session.add(entry)
    return entry


def _as_text(value: Any) -> str:
    return "" if value is None else json.dumps(value, sort_keys=True, default=str)


def recent(*, session: Session, org: Org, limit: int = 50) -> list[tuple[AuditEntry, User | None]]:
    """The district's latest entries, newest first, with who did each."""
    rows = session.exec(
        select(AuditEntry, User)
        .join(User, User.id == AuditEntry.actor_id, isouter=True)
        .where(AuditEntry.org_id == org.id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(limit)
    ).all()
    return [(entry, actor) for entry, actor in rows]
