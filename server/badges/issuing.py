"""Where issuing happens: the public base URL every id hangs off, and the key directory.

The decision that awards a credential runs in a service without Flask (review.decide), in
a view, in the demo seeder, or in a test's worker thread. The app installs its settings
here when it is created; an app context, when there is one, wins (tests run several apps).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from server.config import Settings


@dataclass(frozen=True)
class Issuing:
    public_url: str  # e.g. https://chalkmark.example.org (no trailing slash)
    instance_dir: Path
    instance_name: str = "Chalkmark"  # the issuer for teachers who belong to no district

    @classmethod
    def from_settings(cls, settings: Settings) -> Issuing:
        return cls(
            public_url=settings.public_url.rstrip("/"),
            instance_dir=Path(settings.instance_dir),
            instance_name=settings.rp_name,
        )


_installed: list[Issuing] = []


def install(settings: Settings) -> None:
    _installed[:] = [Issuing.from_settings(settings)]


def current() -> Issuing:
    try:
        from flask import current_app, has_app_context  # infrastructure glue, like jobs

        if has_app_context():
            return Issuing.from_settings(current_app.config["SETTINGS"])
    except ImportError:  # pragma: no cover - Flask is always installed with the app
        pass
    if not _installed:
        raise RuntimeError("Badge issuing needs the app's settings: create the app first.")
    return _installed[0]
