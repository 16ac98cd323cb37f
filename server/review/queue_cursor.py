"""Keyset paging of the review queue: a page starts after the last live row of the page
before, named by its place in the queue's order (submitted_at, id). Skipping rows by
OFFSET made a deep page pay the per-row checks (availability, appeals, qualification)
for every row it skipped; seeking to the cursor pays them only for the rows shown.

The cursor is written into "Next page" links as `2026-03-01T09:30:00.000000_1234`: the
UTC submission time with microseconds, then the submission id. It is read back strictly
(ASCII digits only, a real date and time, an id in range); anything else is refused with
a clear message, never passed to the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, and_, or_

from server.errors import InvalidInput
from server.ids import parse_id
from server.models import Submission

_TOKEN = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})\.([0-9]{6})_([0-9]{1,10})"
)
BAD_CURSOR = (
    "That place in the queue isn't one we can find. Start again from the oldest submissions."
)


@dataclass(frozen=True)
class QueueCursor:
    """The last live row of the page before: its submission time and id."""

    submitted_at: datetime  # aware UTC
    submission_id: int

    def token(self) -> str:
        return f"{self.submitted_at.astimezone(UTC):%Y-%m-%dT%H:%M:%S.%f}_{self.submission_id}"


def parse(value: str | None) -> QueueCursor | None:
    """The cursor in a query string's `after` (None when absent or empty: the first page);
    InvalidInput when it is not one we wrote: garbage, unicode digits, an impossible date,
    an id out of range."""
    if not value:
        return None
    match = _TOKEN.fullmatch(value)
    if match is None:
        raise InvalidInput(BAD_CURSOR, field="after")
    year, month, day, hour, minute, second, micro = map(int, match.groups()[:7])
    submission_id = parse_id(match[8])
    try:
        at = datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)
    except ValueError:  # month 13, 30 February, year 0, hour 24
        raise InvalidInput(BAD_CURSOR, field="after") from None
    if submission_id is None:  # 0, or past the INTEGER id columns
        raise InvalidInput(BAD_CURSOR, field="after")
    return QueueCursor(at, submission_id)


def after_clause(cursor: QueueCursor) -> ColumnElement[bool]:
    """Rows after `cursor` in (submitted_at, id) order, written portably (no row values).
    The leading `>=` repeats what the OR says so that the planner can start an index range
    scan on submitted_at at the cursor instead of filtering every row."""
    at, last_id = cursor.submitted_at, cursor.submission_id
    return and_(
        Submission.submitted_at >= at,
        or_(
            Submission.submitted_at > at,
            and_(Submission.submitted_at == at, Submission.id > last_id),
        ),
    )
