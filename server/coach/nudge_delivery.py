"""Delivering nudges: one job per batch of nudges due at the same moment (queued after the
coach's transaction commits), each nudge claimed once by a conditional UPDATE, and a
start-up sweep that queues again what the in-process queue forgot. No Flask here."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlmodel import Session, select

from server import jobs
from server.models import NoticeKind, Nudge, User, utcnow
from server.notify import service as notify

BATCH = 200  # nudges per delivery job
DELIVER_JOB = "server.coach.jobs.deliver_nudges"  # the job entry points (coach/jobs.py)
RESCHEDULE_NUDGES_JOB = "server.coach.jobs.reschedule_pending"
NUDGE_URL = "/me/credentials"  # where the member picks their work up again

log = logging.getLogger(__name__)


def schedule(*, session: Session, due: list[tuple[int, datetime]], now: datetime) -> None:
    """One job per batch of nudges (id, deliver_after) due at the same moment, queued
    after commit."""
    by_time: dict[datetime, list[int]] = defaultdict(list)
    for nudge_id, deliver_at in due:
        by_time[deliver_at].append(nudge_id)
    for moment, ids in by_time.items():
        delay = max(0.0, (moment - now).total_seconds())
        for start in range(0, len(ids), BATCH):
            jobs.run_after_commit(session, DELIVER_JOB, ids[start : start + BATCH], delay=delay)


def deliver_due(*, session: Session, nudge_ids: list[int]) -> int:
    """Deliver the due, unsent nudges among `nudge_ids`; returns how many.

    Each nudge is claimed with one conditional UPDATE, so a job that runs twice (a retry,
    a second worker, the start-up sweep) never sends a nudge twice."""
    now = utcnow()
    claimed = session.execute(
        update(Nudge)
        .where(Nudge.id.in_(nudge_ids), Nudge.sent_at.is_(None), Nudge.deliver_after <= now)
        .values(sent_at=now)
        .returning(Nudge.id, Nudge.user_id, Nudge.coach_id, Nudge.message)
        .execution_options(synchronize_session=False)
    ).all()
    coaches = _names(session, {row.coach_id for row in claimed})
    for row in claimed:
        notify.send(
            session=session,
            user_id=row.user_id,
            kind=NoticeKind.NUDGE,
            title=f"A nudge from {coaches.get(row.coach_id, 'your coach')}",
            body=row.message,
            url=NUDGE_URL,
        )
    session.commit()
    _reschedule_early(session, set(nudge_ids) - {row.id for row in claimed}, now)
    return len(claimed)


def _names(session: Session, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = session.exec(select(User.id, User.display_name).where(User.id.in_(user_ids)))
    return dict(rows.all())


def _reschedule_early(session: Session, nudge_ids: set[int], now: datetime) -> None:
    """A job that ran before its nudges were due (clock skew) puts them back in line."""
    if not nudge_ids:
        return
    waiting = session.exec(
        select(Nudge).where(Nudge.id.in_(sorted(nudge_ids)), Nudge.sent_at.is_(None))
    ).all()
    for nudge in waiting:
        delay = max(1.0, (nudge.deliver_after - now).total_seconds())
        jobs.run_later(DELIVER_JOB, [nudge.id], delay=delay)


def requeue_unsent(*, session: Session) -> int:
    """Queue every unsent nudge again. The in-process queue forgets delayed jobs when
    the app restarts; this sweep (run at start-up) makes sure none is lost."""
    now = utcnow()
    try:
        pending = session.exec(select(Nudge).where(Nudge.sent_at.is_(None))).all()
    except (OperationalError, ProgrammingError):
        log.info("no nudge table yet (database not migrated): nothing to requeue")
        return 0
    session.commit()
    by_time: dict[datetime, list[int]] = defaultdict(list)
    for nudge in pending:
        by_time[max(nudge.deliver_after, now)].append(nudge.id)
    for due, ids in by_time.items():
        for start in range(0, len(ids), BATCH):
            jobs.run_later(
                DELIVER_JOB, ids[start : start + BATCH], delay=max(0.0, (due - now).total_seconds())
            )
    return len(pending)
