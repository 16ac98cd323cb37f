"""ISO weeks in a person's own time zone: a Sunday-night submission in Honolulu belongs
to the week it was in Honolulu, not to the next UTC week."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_date(at: datetime, tz: str | None) -> date:
    aware = at if at.utcoffset() is not None else at.replace(tzinfo=UTC)
    return aware.astimezone(zone(tz)).date()


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
