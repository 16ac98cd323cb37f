"""Time zones: the one place a UTC moment becomes a person's own wall-clock time.

Everything is stored as aware UTC; a person's zone is an IANA name on their profile.
An unknown or empty name means UTC, so a bad profile value never breaks a page.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def as_utc(at: datetime) -> datetime:
    """Aware UTC; a naive value (some aggregate queries return one) is read as UTC."""
    return at.astimezone(UTC) if at.utcoffset() is not None else at.replace(tzinfo=UTC)


def in_zone(at: datetime, zone_name: str | None) -> datetime:
    """The UTC moment `at` as wall-clock time in the named zone (UTC when unknown)."""
    return as_utc(at).astimezone(zone(zone_name))


def iso_utc(at: datetime) -> str:
    """ISO 8601 in UTC to the second: '2026-05-03T14:05:00Z' (for datetime= and JSON)."""
    return as_utc(at).replace(microsecond=0).isoformat().replace("+00:00", "Z")
