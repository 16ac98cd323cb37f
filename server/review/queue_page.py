"""One page of the assessor's queue as the queue page shows it: 50 live rows after the
cursor (queue_cursor.py), the hidden items whose made-up time falls among them, and
the cursor of the page after, if any."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from server.models import User, utcnow
from server.review import hidden_rows
from server.review.queue import QUEUE_PAGE, QueueRow, queue
from server.review.queue_cursor import QueueCursor


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]  # live and hidden, oldest submitted first
    after: QueueCursor | None  # where this page starts; None: the oldest work
    next_after: QueueCursor | None  # the last live row shown, when more follow


def queue_page(
    *,
    session: Session,
    assessor: User,
    only_mine: bool,
    blind_key: str,
    after: QueueCursor | None = None,
    now: datetime | None = None,
) -> QueuePage:
    now = now or utcnow()
    live = queue(
        session=session,
        assessor=assessor,
        only_mine=only_mine,
        now=now,
        blind_key=blind_key,
        limit=QUEUE_PAGE + 1,
        after=after,
    )
    more = len(live) > QUEUE_PAGE
    live = live[:QUEUE_PAGE]
    hidden = hidden_rows.queue_rows(
        session=session, assessor=assessor, blind_key=blind_key, only_mine=only_mine, now=now
    )
    last = live[-1] if more else None
    return QueuePage(
        rows=hidden_rows.merge(
            live, hidden, since=after.submitted_at if after else None, more=more
        ),
        after=after,
        next_after=(
            QueueCursor(last.submitted_at, last.submission_id)
            if last and last.submitted_at
            else None
        ),
    )
