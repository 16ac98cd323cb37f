"""Job entry points of the coach area (run by server/jobs.py by dotted path, inside an
app context): each takes the app's session and hands it to nudge_delivery.py."""

from __future__ import annotations

from server.coach import nudge_delivery
from server.db import get_session


def deliver_nudges(nudge_ids: list[int]) -> int:
    """Deliver the due, unsent nudges among `nudge_ids`; returns how many."""
    return nudge_delivery.deliver_due(session=get_session(), nudge_ids=nudge_ids)


def reschedule_pending() -> int:
    """Queue every unsent nudge again (run at start-up); returns how many."""
    return nudge_delivery.requeue_unsent(session=get_session())
