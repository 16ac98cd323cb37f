"""Notices: every notice lands in the in-app inbox first; then, once the caller's
transaction commits, a job pushes it to each device the person subscribed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import Session, select

from server.errors import NotFound
from server.models import Notification, utcnow
from server.notify import push

INBOX_LIMIT = 100


def send(*, session: Session, user_id: int, kind: str, title: str, body: str = "",
         url: str = "/") -> Notification:
    """Add a notice to the user's inbox inside the caller's transaction (caller commits);
    Web Push delivery is queued for after that commit."""
    notification = Notification(user_id=user_id, kind=kind, title=title, body=body, url=url)
    session.add(notification)
    push.queue_delivery(session=session, notification=notification)
    return notification


def inbox(*, session: Session, user_id: int, limit: int = INBOX_LIMIT) -> list[Notification]:
    """The user's notices, newest first."""
    return list(session.exec(
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    ))


def unread_count(*, session: Session, user_id: int) -> int:
    """For the header badge on every page: one COUNT over the user_id index."""
    return session.exec(
        select(func.count(Notification.id))
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
    ).one()


def open_notice(*, session: Session, user_id: int, notice_id: int,
                now: datetime | None = None) -> Notification:
    """Mark one of the user's own notices read; anyone else's is NotFound."""
    notice = session.get(Notification, notice_id)
    if notice is None or notice.user_id != user_id:
        raise NotFound("We couldn't find that notice in your inbox.")
    if notice.read_at is None:
        notice.read_at = now or utcnow()
        session.add(notice)
    return notice


def mark_all_read(*, session: Session, user_id: int, now: datetime | None = None) -> int:
    result = session.exec(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
