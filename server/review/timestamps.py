"""[m:ss] markers in an assessor's comments and feedback, shown as buttons that seek the
attempt's video (static/js/review/video.js). The text is escaped first and only the
markers become markup, so whatever else a comment holds stays text."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# [1:23], [12:05] or [1:02:03]: minutes (and hours) with two-digit seconds.
MARKER = re.compile(r"\[(?:(\d{1,2}):)?(\d{1,3}):([0-5]\d)\]")


def seconds_of(match: re.Match) -> int:
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def clock(seconds: int) -> str:
    """83 → '1:23'; 3723 → '1:02:03' (the form's "Comment at" label says the same)."""
    hours, rest = divmod(max(0, int(seconds)), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _button(match: re.Match) -> str:
    at = seconds_of(match)
    return (
        f'<button type="button" class="timestamp-seek" data-seek="{at}">'
        f'{match[0]}<span class="visually-hidden"> play the video from {clock(at)}</span></button>'
    )


def render(text: str | None) -> Markup:
    """The Jinja filter `timestamps`: escaped text with each marker a seek button."""
    return Markup(MARKER.sub(_button, str(escape(text or ""))))
