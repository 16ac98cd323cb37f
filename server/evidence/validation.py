"""Checks on the plain values of an evidence upload; each refusal says what to fix."""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import UTC, datetime
from urllib.parse import urlsplit

from server.errors import InvalidInput
from server.evidence.limits import (
    MAX_FILENAME_CHARS,
    MAX_NOTE_CHARS,
    MAX_TEXT_CHARS,
    MAX_URL_CHARS,
)

# A classroom photo from a device whose clock is plausible.
FIRST_CAPTURE_YEAR, LAST_CAPTURE_YEAR = 2000, 2100


def client_uuid(value: str | None) -> str:
    """The device's id for this item, normalised so retries with any casing match."""
    try:
        return str(uuid.UUID((value or "").strip()))
    except ValueError:
        raise InvalidInput(
            "This upload is missing its id; please reload the page and try again.",
            field="client_uuid",
        ) from None


def text(value: str | None, *, allow_empty: bool = False) -> str:
    cleaned = (value or "").replace("\r\n", "\n").strip()
    if not cleaned and not allow_empty:
        raise InvalidInput("Please write something before saving.", field="text")
    if len(cleaned) > MAX_TEXT_CHARS:
        raise InvalidInput(
            f"Please keep this under {MAX_TEXT_CHARS:,} characters (it has {len(cleaned):,}).",
            field="text",
        )
    return cleaned


def link(value: str | None) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise InvalidInput("Please paste a link.", field="url")
    if len(cleaned) > MAX_URL_CHARS:
        raise InvalidInput("That link is too long.", field="url")
    parts = urlsplit(cleaned)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InvalidInput("Links must start with http:// or https://.", field="url")
    if any(ch.isspace() for ch in cleaned):
        raise InvalidInput("A link can't contain spaces.", field="url")
    return cleaned


def note(value: str | None) -> str | None:
    cleaned = (value or "").strip()
    if len(cleaned) > MAX_NOTE_CHARS:
        raise InvalidInput(f"Please keep the note under {MAX_NOTE_CHARS} characters.", field="note")
    return cleaned or None


def captured_at(value: str | None) -> datetime | None:
    """An ISO 8601 time from the device; a time without a zone is taken as UTC."""
    cleaned = (value or "").strip()
    if not cleaned:
        return None
    try:
        parsed = datetime.fromisoformat(cleaned.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        # Year 9999 with a -23:59 offset is past datetime's end once in UTC: OverflowError.
        parsed = parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        raise InvalidInput(
            "The capture time isn't a date we understand.", field="captured_at"
        ) from None
    if not FIRST_CAPTURE_YEAR <= parsed.year <= LAST_CAPTURE_YEAR:
        raise InvalidInput(
            f"The capture time must be between {FIRST_CAPTURE_YEAR} and "
            f"{LAST_CAPTURE_YEAR}; check the device's clock.",
            field="captured_at",
        )
    return parsed


_UNSAFE_NAME_CHARS = re.compile(r"[\x00-\x1f\x7f/\\]")


def display_filename(value: str | None) -> str | None:
    """The original name, kept only to show the teacher (never used as a storage key)."""
    if not value:
        return None
    name = value.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME_CHARS.sub("", unicodedata.normalize("NFC", name)).strip()
    return name[:MAX_FILENAME_CHARS] or None
