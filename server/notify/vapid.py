"""VAPID keys: the server's identity towards push services (RFC 8292).

The private key comes from CHALKMARK_VAPID_PRIVATE_KEY, or is generated on first start
and kept in the instance directory (mode 0600, never in the repository). Browsers bind a
subscription to the public key, so losing the file means every device must subscribe
again: it is created once and then only read.
"""

from __future__ import annotations

import base64
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid

from server.config import Settings

KEY_FILE = "vapid_private_key"

_cache: dict[tuple, VapidKeys] = {}
_lock = threading.Lock()


class VapidKeyError(RuntimeError):
    """The configured key cannot be used (a deployment problem, not a user error)."""


@dataclass(frozen=True)
class VapidKeys:
    signer: Vapid  # pywebpush accepts the instance and signs a fresh JWT per send
    public_key: str  # base64url uncompressed P-256 point: the page's applicationServerKey
    subject: str  # mailto: or https: contact the push service may use


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def keys_for(settings: Settings) -> VapidKeys:
    """The keys for these settings, loaded (or generated) once per process."""
    cache_key = (
        str(settings.instance_dir),
        settings.vapid_private_key,
        settings.vapid_subject,
        settings.rp_id,
    )
    with _lock:
        if cache_key not in _cache:
            _cache[cache_key] = _load(settings)
        return _cache[cache_key]


def current_keys() -> VapidKeys:
    """The running app's keys; jobs and views both run inside an app context."""
    from flask import current_app  # infrastructure glue, like server.jobs

    return keys_for(current_app.config["SETTINGS"])


def default_subject(settings: Settings) -> str:
    return settings.vapid_subject or f"mailto:admin@{settings.rp_id}"


def _load(settings: Settings) -> VapidKeys:
    raw = settings.vapid_private_key or _stored_or_new_key(Path(settings.instance_dir))
    try:
        signer = Vapid.from_string(raw.strip())
    except Exception as err:  # py_vapid raises several types for a malformed key
        raise VapidKeyError(
            "CHALKMARK_VAPID_PRIVATE_KEY is not a usable P-256 private key "
            "(give the raw 32-byte key or DER, base64url encoded)."
        ) from err
    public = signer.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return VapidKeys(signer=signer, public_key=b64url(public), subject=default_subject(settings))


def _stored_or_new_key(instance_dir: Path) -> str:
    path = instance_dir / KEY_FILE
    if path.exists():
        return path.read_text().strip()
    instance_dir.mkdir(parents=True, exist_ok=True)
    private = ec.generate_private_key(ec.SECP256R1())
    encoded = b64url(private.private_numbers().private_value.to_bytes(32, "big"))
    temp = instance_dir / f".{KEY_FILE}.{os.getpid()}.{threading.get_ident()}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(encoded + "\n")
    try:
        # A hard link appears whole or not at all: when two processes start at once,
        # the first key linked wins and the other reads it.
        os.link(temp, path)
    except FileExistsError:
        encoded = path.read_text().strip()
    finally:
        temp.unlink()
    return encoded
