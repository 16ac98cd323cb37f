"""Quiet hours: when nothing should buzz a person's phone, in their own time zone.

Nudges always respect them (a district's own, else DEFAULT); other pushes wait for the
end of a district's quiet hours once its admin has set them on /admin/settings. The
in-app inbox is never held back: only the push to a device waits.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlmodel import Session

from server.models import DistrictSettings
from server.timezones import zone

QuietHours = tuple[time, time]  # (from, until); equal times: no quiet hours
DEFAULT: QuietHours = (time(21, 0), time(7, 0))


def until(now: datetime, timezone: str | None, quiet: QuietHours = DEFAULT) -> datetime:
    """`now`, or the end of the quiet hours in that time zone when `now` falls in them.
    Quiet hours may run over midnight (21:00-07:00) or within a day (12:00-14:00)."""
    start, end = quiet
    tz = zone(timezone)
    local = now.astimezone(tz)
    clock = local.time()
    if start == end:
        return now
    if start > end:  # over midnight
        if end <= clock < start:
            return now
        morning = local.date() + timedelta(days=1) if clock >= start else local.date()
    else:
        if not start <= clock < end:
            return now
        morning = local.date()
    return datetime.combine(morning, end, tzinfo=tz).astimezone(now.tzinfo)


def of_district(session: Session, org_id: int | None) -> QuietHours | None:
    """The quiet hours a district's admin set; None when it never chose (or no district)."""
    row = session.get(DistrictSettings, org_id) if org_id is not None else None
    if row is None:
        return None
    return time(row.quiet_start_hour), time(row.quiet_end_hour)
