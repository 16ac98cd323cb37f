"""Queueing Web Push: a notice is remembered on the session and, just before the commit,
the session's notices become delivery jobs (push.py sends them) queued to start after it:
none for users without a device, held until the person's quiet hours are over, batched
when one transaction notifies many (a nudge to a whole cohort). No Flask here."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import event
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session, select

from server import jobs, quiet_hours
from server.models import Notification, PushSubscription, User, utcnow

DELIVER_JOB = "server.notify.jobs.deliver"  # the job entry points (notify/jobs.py)
BATCH_JOB = "server.notify.jobs.deliver_batch"
BATCH_SIZE = 50
PENDING_KEY = "chalkmark_push_pending"  # notices waiting for their transaction to commit
QUEUED_KEY = "chalkmark_push_queued"  # ids already handed to the job queue
LISTENING_KEY = "chalkmark_push_listening"


def queue_delivery(*, session: Session, notification: Notification) -> None:
    """Push this notice to the user's devices once the caller's transaction commits.

    Nothing is sent here: the notice is remembered, and just before the commit all the
    session's notices are checked in one query (users with no device need no job) and
    their jobs queued to start after it. Calling it twice for one notice queues it once.
    """
    pending = session.info.setdefault(PENDING_KEY, {})
    if id(notification) in pending or notification.id in session.info.get(QUEUED_KEY, ()):
        return
    pending[id(notification)] = notification
    if not session.info.get(LISTENING_KEY):
        session.info[LISTENING_KEY] = True
        event.listen(session, "before_commit", _queue_pending)
        event.listen(session, "after_soft_rollback", _forget_pending)


def _queue_pending(session: Session) -> None:
    notices = list(session.info.pop(PENDING_KEY, {}).values())
    if not notices:
        return
    session.flush()  # ids for the jobs
    with_devices = _users_with_devices(session, {n.user_id for n in notices})
    queued = session.info.setdefault(QUEUED_KEY, set())
    held: dict[float, list[int]] = defaultdict(list)  # seconds to wait: notice ids
    districts: dict[int | None, quiet_hours.QuietHours | None] = {}
    for notice in notices:
        if notice.user_id in with_devices and notice.id not in queued:
            held[_quiet_hold(session, notice.user_id, districts)].append(notice.id)
            queued.add(notice.id)
    for delay, ids in held.items():
        if len(ids) == 1:
            jobs.run_after_commit(session, DELIVER_JOB, ids[0], delay=delay)
            continue
        # Many notices in one transaction (a nudge to a whole cohort): fewer, bigger jobs.
        for start in range(0, len(ids), BATCH_SIZE):
            jobs.run_after_commit(session, BATCH_JOB, ids[start : start + BATCH_SIZE], delay=delay)


def _quiet_hold(
    session: Session, user_id: int, districts: dict[int | None, quiet_hours.QuietHours | None]
) -> float:
    """Seconds until the quiet hours the person's district set are over (0 outside them,
    or when their district set none): the push waits; the inbox already has the notice.
    `districts` keeps each district's answer for the other notices of the commit."""
    user = session.get(User, user_id)
    if user is None:
        return 0.0
    if user.org_id not in districts:
        districts[user.org_id] = quiet_hours.of_district(session, user.org_id)
    quiet = districts[user.org_id]
    if quiet is None:
        return 0.0
    now = utcnow()
    return (quiet_hours.until(now, user.timezone, quiet) - now).total_seconds()


def _forget_pending(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.parent is None:  # the outer transaction, not a savepoint
        session.info.pop(PENDING_KEY, None)


def _users_with_devices(session: Session, user_ids: set[int]) -> set[int]:
    found: set[int] = set()
    ordered = sorted(user_ids)
    for start in range(0, len(ordered), 500):
        found.update(
            session.exec(
                select(PushSubscription.user_id)
                .distinct()
                .where(PushSubscription.user_id.in_(ordered[start : start + 500]))
            ).all()
        )
    return found
