"""Notices: every notice lands in the in-app inbox first; then, once the caller's
transaction commits, a job pushes it to each device the person subscribed."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, or_, update
from sqlmodel import Session, select

from server.access import is_independent, may_review, owned
from server.models import (
    Credential,
    NoticeKind,
    Notification,
    Org,
    Role,
    Submission,
    User,
    utcnow,
)
from server.notify import push_queue

INBOX_LIMIT = 100


def send(
    *, session: Session, user_id: int, kind: str, title: str, body: str = "", url: str = "/"
) -> Notification:
    """Add a notice to the user's inbox inside the caller's transaction (caller commits);
    Web Push delivery is queued for after that commit."""
    notification = Notification(user_id=user_id, kind=kind, title=title, body=body, url=url)
    session.add(notification)
    push_queue.queue_delivery(session=session, notification=notification)
    return notification


def inbox(*, session: Session, user_id: int, limit: int = INBOX_LIMIT) -> list[Notification]:
    """The user's notices, newest first."""
    return list(
        session.exec(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def unread_count(*, session: Session, user_id: int) -> int:
    """For the header badge on every page: one COUNT over the user_id index."""
    return session.exec(
        select(func.count(Notification.id)).where(
            Notification.user_id == user_id, Notification.read_at.is_(None)
        )
    ).one()


def open_notice(
    *, session: Session, user_id: int, notice_id: int, now: datetime | None = None
) -> Notification:
    """Mark one of the user's own notices read; anyone else's is NotFound."""
    notice = owned(
        session, Notification, notice_id, user_id, "We couldn't find that notice in your inbox."
    )
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


# --- the review queue notice -----------------------------------------------------------

REVIEW_QUEUE_KIND = NoticeKind.REVIEW_QUEUE.value
REVIEW_QUEUE_TITLE = "New submissions in your review queue"
REVIEW_QUEUE_EVERY = timedelta(hours=1)


def notify_assessors_of_new_submission(*, session: Session, submission: Submission) -> int:
    """Tell every assessor who may review it (qualified, same district, not the submitter)
    that work is waiting: at most one such notice per assessor per hour, so a busy morning
    is one buzz, not twenty.
    Returns how many were told; the caller commits."""
    credential = session.get_one(Credential, submission.credential_id)
    teacher = session.get_one(User, submission.user_id)
    # Only reviewers of the teacher's pool: their district; or, for the independent pool,
    # people outside every district and districts that opted in to review it.
    pool = (
        or_(User.org_id.is_(None), User.org_id.in_(select(Org.id).where(Org.reviews_independent)))
        if is_independent(teacher)
        else User.org_id == teacher.org_id
    )
    candidates = session.exec(
        select(User).where(
            User.id != submission.user_id,
            pool,
            or_(User.roles.contains(Role.ASSESSOR.value), User.roles.contains(Role.ADMIN.value)),
        )
    ).all()
    recently_told = set(
        session.exec(
            select(Notification.user_id).where(
                Notification.kind == REVIEW_QUEUE_KIND,
                Notification.created_at > utcnow() - REVIEW_QUEUE_EVERY,
            )
        ).all()
    )
    told = 0
    for user in candidates:
        if user.id in recently_told:
            continue
        if not may_review(session=session, user=user, submission=submission):
            continue
        send(
            session=session,
            user_id=user.id,
            kind=REVIEW_QUEUE_KIND,
            title=REVIEW_QUEUE_TITLE,
            body=f"{credential.title} is waiting for a reviewer.",
            url="/review",
        )
        told += 1
    return told
