"""One Settings object, read from CHALKMARK_* environment variables.

Defaults are the embedded setup: SQLite file, in-process jobs, local evidence directory,
memory rate limits. Every scale-out part is switched on by setting its URL.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, overload
from urllib.parse import urlparse

from server.evidence import limits
from server.game import levels, rules

# The Web Push services browsers subscribe with: FCM (Chrome, Edge on Android), Mozilla
# autopush (Firefox), Apple (Safari), WNS (Edge on Windows). `*.` matches sub-domains.
DEFAULT_PUSH_HOSTS = (
    "fcm.googleapis.com",
    "android.googleapis.com",
    "updates.push.services.mozilla.com",
    "*.push.services.mozilla.com",
    "*.push.apple.com",
    "*.notify.windows.com",
)
_PUSH_HOST_ENTRY = re.compile(r"(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:[0-9]{1,5})?")


@overload
def _env(name: str) -> str | None: ...
@overload
def _env(name: str, default: str) -> str: ...
def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"CHALKMARK_{name}", default)


def _flag(name: str, default: bool = False) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@overload
def _number(name: str, default: int) -> int: ...
@overload
def _number(name: str, default: None) -> int | None: ...
def _number(name: str, default: int | None) -> int | None:
    value = _env(name)
    if value is None or not value.strip():
        return default
    value = value.strip()
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise ValueError(f"CHALKMARK_{name} must be a whole number above 0, not {value!r}")
    return int(value)


def _s3_encryption(value: str | None) -> str | None:
    """CHALKMARK_S3_SSE: unset means AES256 (SSE-S3); `none` sends no encryption header
    (a store that refuses it); `aws:kms` and the like are passed on."""
    if value is None or not value.strip():
        return "AES256"
    value = value.strip()
    return None if value.lower() in {"none", "off", "0"} else value


def push_hosts_from(text: str | None) -> tuple[str, ...]:
    """CHALKMARK_PUSH_HOSTS: comma-separated `host`, `*.domain`, optionally `:port`."""
    entries = tuple(e.strip().lower() for e in (text or "").split(",") if e.strip())
    for entry in entries:
        if not _PUSH_HOST_ENTRY.fullmatch(entry):
            raise ValueError(
                f"CHALKMARK_PUSH_HOSTS: {entry!r} is not a host, *.domain or host:port"
            )
    return entries or DEFAULT_PUSH_HOSTS


def _persistent_secret(instance_dir: Path) -> str:
    """A secret key that survives restarts without ever living in the repository."""
    path = instance_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


@dataclass
class Settings:
    instance_dir: Path = Path("instance")
    database_url: str = ""
    secret_key: str = ""
    public_url: str = ""
    port: int = 5000
    demo: bool = False
    redis_url: str | None = None
    # Web Push (VAPID): generated under instance_dir when no key is given.
    vapid_private_key: str | None = None
    vapid_subject: str = ""
    storage_dir: Path | None = None
    # Evidence on an S3-compatible store when a bucket is named (see server/storage_s3.py);
    # the local directory above otherwise.
    s3_bucket: str | None = None
    s3_prefix: str = ""
    s3_endpoint_url: str | None = None
    s3_region: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = field(default=None, repr=False)
    s3_sse: str | None = "AES256"
    rp_name: str = "Chalkmark"
    challenge_ttl_seconds: int = 300
    device_link_ttl_seconds: int = 900
    # A sign-in ends after this many days without use, and after the second number in any case.
    session_idle_days: int = 14
    session_max_days: int = 30
    review_lease_hours: int = 48
    # Upload limits: read through server/evidence/limits.py UploadLimits (defaults there).
    max_photo_bytes: int = limits.DEFAULT_PHOTO_BYTES
    max_file_bytes: int = limits.DEFAULT_FILE_BYTES
    max_video_bytes: int = limits.DEFAULT_VIDEO_BYTES
    # Photos that would decode to more pixels are refused before decoding (evidence/images.py).
    max_photo_pixels: int = limits.DEFAULT_PHOTO_PIXELS
    image_workers: int = limits.DEFAULT_IMAGE_WORKERS  # photos decoded at once per process
    upload_chunk_bytes: int = limits.DEFAULT_CHUNK_BYTES  # one PATCH of a resumable upload
    evidence_retention_days: int | None = None  # None: keep evidence of decided attempts
    signin_rate_limit: str = "30 per minute"
    ratelimit_enabled: bool = True
    # Web Push endpoints must be https on one of these hosts (see server/notify/endpoints.py).
    push_hosts: tuple[str, ...] = DEFAULT_PUSH_HOSTS
    # Tests only, never from the environment: lets pushes reach the tests' local push
    # service (plain http on a loopback port).
    push_allow_private_addresses: bool = False
    # `chalkmark serve` (waitress): see README, "Serving".
    serve_threads: int = 8
    serve_connection_limit: int = 1000
    serve_backlog: int = 2048
    serve_channel_timeout: int = 30
    # Point values per rule (only the ones set) and level thresholds: server/game/.
    game_points: dict[str, int] = field(default_factory=dict)
    game_levels: tuple[int, ...] = levels.DEFAULT_THRESHOLDS
    # One JSON line per request on stderr from `chalkmark serve` and gunicorn (server/ops/).
    request_log: bool = True
    testing: bool = False

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        instance_dir = Path(_env("INSTANCE_DIR", "instance")).resolve()
        port = int(os.environ.get("PORT", "5000"))
        settings = cls(
            instance_dir=instance_dir,
            database_url=_env("DATABASE_URL", f"sqlite:///{instance_dir / 'chalkmark.db'}"),
            secret_key=_env("SECRET_KEY") or "",
            public_url=_env("PUBLIC_URL", f"http://localhost:{port}"),
            port=port,
            demo=_flag("DEMO"),
            redis_url=_env("REDIS_URL") or None,
            vapid_private_key=_env("VAPID_PRIVATE_KEY") or None,
            vapid_subject=_env("VAPID_SUBJECT", "") or "",
            storage_dir=Path(_env("STORAGE_DIR", str(instance_dir / "evidence"))),
            s3_bucket=_env("S3_BUCKET") or None,
            s3_prefix=_env("S3_PREFIX", ""),
            s3_endpoint_url=_env("S3_ENDPOINT_URL") or None,
            s3_region=_env("S3_REGION") or None,
            s3_access_key_id=_env("S3_ACCESS_KEY_ID") or None,
            s3_secret_access_key=_env("S3_SECRET_ACCESS_KEY") or None,
            s3_sse=_s3_encryption(_env("S3_SSE")),
            ratelimit_enabled=_flag("RATELIMIT", True),
            request_log=_flag("REQUEST_LOG", True),
            push_hosts=push_hosts_from(_env("PUSH_HOSTS")),
            serve_threads=_number("SERVE_THREADS", cls.serve_threads),
            serve_connection_limit=_number("SERVE_CONNECTION_LIMIT", cls.serve_connection_limit),
            serve_backlog=_number("SERVE_BACKLOG", cls.serve_backlog),
            serve_channel_timeout=_number("SERVE_CHANNEL_TIMEOUT", cls.serve_channel_timeout),
            session_idle_days=_number("SESSION_IDLE_DAYS", cls.session_idle_days),
            session_max_days=_number("SESSION_MAX_DAYS", cls.session_max_days),
            max_photo_pixels=_number("MAX_PHOTO_PIXELS", cls.max_photo_pixels),
            image_workers=_number("IMAGE_WORKERS", cls.image_workers),
            evidence_retention_days=_number("EVIDENCE_RETENTION_DAYS", None),
            game_points=rules.parse_points(_env("GAME_POINTS")),
            game_levels=levels.parse_thresholds(_env("GAME_LEVELS")),
        )
        for key, value in overrides.items():
            if key not in {f.name for f in fields(cls)}:
                raise TypeError(f"unknown setting {key!r}")
            setattr(settings, key, value)
        if not settings.secret_key:
            settings.secret_key = _persistent_secret(settings.instance_dir)
        if settings.storage_dir is None:
            settings.storage_dir = settings.instance_dir / "evidence"
        return settings

    @property
    def rp_id(self) -> str:
        """WebAuthn relying-party id: the public host name (never an IP address)."""
        return urlparse(self.public_url).hostname or "localhost"

    @property
    def origin(self) -> str:
        parsed = urlparse(self.public_url)
        return f"{parsed.scheme}://{parsed.netloc}"

    @property
    def secure_cookies(self) -> bool:
        return urlparse(self.public_url).scheme == "https"
