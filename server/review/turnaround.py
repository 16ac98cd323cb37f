"""Turnaround: how long a waiting submission has waited against its district's target
(DistrictSettings.review_target_days, read through server/admin/settings.py).

The one definition of "past the target", shared by the review queue and the admin home.
Days are calendar days (24-hour spans from the moment of submitting), not business days:
the setting reads "decided within N days", and calendar days need no district calendar of
weekends and holidays, which Chalkmark does not have. A submission is past the target as
soon as it has waited longer than N days; `days_past` counts whole days beyond that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

DAY = timedelta(days=1)


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class Turnaround:
    waited: timedelta
    target_days: int

    @property
    def overdue(self) -> bool:
        return self.waited > self.target_days * DAY

    @property
    def days_past(self) -> int:
        """Whole days beyond the target (0 while within it, or past it by under a day)."""
        return max(0, (self.waited - self.target_days * DAY) // DAY)

    @property
    def label(self) -> str:
        """E.g. "3 days — target 5 days" or "2 days past the target"."""
        if not self.overdue:
            return f"{_days(self.waited // DAY)} — target {_days(self.target_days)}"
        if self.days_past == 0:
            return "past the target by under a day"
        return f"{_days(self.days_past)} past the target"


def turnaround(since: datetime | None, now: datetime, target_days: int) -> Turnaround | None:
    """None for a submission with no submitting time (nothing to measure)."""
    if since is None:
        return None
    return Turnaround(waited=max(timedelta(0), now - since), target_days=target_days)


def overdue_before(now: datetime, target_days: int) -> datetime:
    """Submitted before this instant = past the target (the SQL side of `overdue`)."""
    return now - target_days * DAY
