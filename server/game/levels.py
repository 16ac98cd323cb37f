"""Levels from point thresholds: Explorer → Practitioner → Mentor → Master.

Thresholds are configurable with CHALKMARK_GAME_LEVELS, e.g. "0,250,750,1500"
(four ascending numbers, the first 0): Settings.from_env parses it once (parse_thresholds)
and the app installs it here (configure). Those are the defaults; a district may set its
own on /admin/settings (read through values.for_user).
"""

from __future__ import annotations

from dataclasses import dataclass

NAMES = ("Explorer", "Practitioner", "Mentor", "Master")
DEFAULT_THRESHOLDS = (0, 250, 750, 1500)


@dataclass(frozen=True)
class Level:
    number: int  # 1-based
    name: str
    floor: int  # points at which this level starts
    next_name: str | None
    next_at: int | None  # points needed for the next level (None at the top)

    def progress(self, total: int) -> tuple[int, int]:
        """(points into this level, points this level spans) for a <progress> bar."""
        if self.next_at is None:
            return 1, 1
        return max(0, total - self.floor), self.next_at - self.floor

    def to_next(self, total: int) -> int:
        return 0 if self.next_at is None else max(0, self.next_at - total)


_configured: list[tuple[int, ...]] = [DEFAULT_THRESHOLDS]


def parse_thresholds(text: str | None) -> tuple[int, ...]:
    """CHALKMARK_GAME_LEVELS: unset means the defaults; anything else must be valid."""
    if text is None or not text.strip():
        return DEFAULT_THRESHOLDS
    parts = [part.strip() for part in text.split(",")]
    if not all(part.isascii() and part.isdigit() for part in parts):
        raise ValueError(f"CHALKMARK_GAME_LEVELS must be whole numbers, not {text!r}")
    values = tuple(int(part) for part in parts)
    ascending = all(a < b for a, b in zip(values, values[1:], strict=False))
    if len(values) != len(NAMES) or values[0] != 0 or not ascending:
        raise ValueError(
            f"CHALKMARK_GAME_LEVELS needs {len(NAMES)} ascending numbers "
            f'starting at 0 (e.g. "0,250,750,1500"), not {text!r}'
        )
    return values


def configure(values: tuple[int, ...]) -> None:
    """Install the app's thresholds (Settings.game_levels)."""
    _configured[:] = [values]


def thresholds() -> tuple[int, ...]:
    return _configured[0]


def level_for(total: int, limits: tuple[int, ...] | None = None) -> Level:
    """The level `total` reaches with `limits` (the installed thresholds unless given;
    the game passes a district's, see values.py)."""
    limits = limits or thresholds()
    index = max(i for i, floor in enumerate(limits) if total >= floor or i == 0)
    last = index == len(limits) - 1
    return Level(
        number=index + 1,
        name=NAMES[index],
        floor=limits[index],
        next_name=None if last else NAMES[index + 1],
        next_at=None if last else limits[index + 1],
    )
