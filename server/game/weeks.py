"""ISO weeks in a person's own time zone: a Sunday-night submission in Honolulu belongs
to the week it was in Honolulu, not to the next UTC week."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from server.timezones import in_zone


def local_date(at: datetime, tz: str | None) -> date:
    return in_zone(at, tz).date()


def label(day: date) -> str:
    """'2026-W07': sorts in time order as a plain string."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def iso_week(at: datetime, tz: str | None) -> str:
    return label(local_date(at, tz))


def monday_of(week_label: str) -> date:
    year, week = week_label.split("-W")
    return date.fromisocalendar(int(year), int(week), 1)


def previous(week_label: str, weeks: int = 1) -> str:
    return label(monday_of(week_label) - timedelta(weeks=weeks))


def recent(at: datetime, tz: str | None, count: int) -> list[str]:
    """The last `count` ISO weeks up to and including the one holding `at`, oldest first."""
    current = iso_week(at, tz)
    return [previous(current, back) for back in range(count - 1, -1, -1)]
