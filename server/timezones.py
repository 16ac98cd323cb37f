"""Time zones: the one place a UTC moment becomes a person's own wall-clock time.

Everything is stored as aware UTC; a person's zone is an IANA name on their profile.
An unknown or empty name means UTC, so a bad profile value never breaks a page.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from server.errors import InvalidInput

# Offered first when a district has few people yet to learn its own common zones from.
DEFAULT_COMMON = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "UTC",
)


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


@lru_cache(maxsize=1)
def names() -> tuple[str, ...]:
    """Every IANA zone this server knows, sorted (about 600)."""
    return tuple(sorted(available_timezones() | {"UTC"}))


def clean_name(value: str | None, *, blank: str | None = "UTC") -> str:
    """A known IANA zone name, or InvalidInput for the `timezone` field. A blank value is
    `blank` (a browser that reports no zone gets UTC), refused when that is None."""
    name = (value or "").strip()
    if not name and blank is None:
        raise InvalidInput("Please pick a time zone, like America/Chicago.", field="timezone")
    if not name:
        return blank or "UTC"
    if len(name) > 64 or name not in names():
        raise InvalidInput(
            f"We don't know the time zone “{name[:64]}”. Please pick one from the list, "
            "like America/Chicago.",
            field="timezone",
        )
    return name
