"""Issuer signing keys: Ed25519, one keyring per issuer (district), in the instance dir.

Each key is a file `badge-keys/<issuer>/key-<n>` (mode 0600, raw private key, base64url).
The highest n signs; older keys stay listed so credentials they signed still verify after
a rotation. A keyring is created only for an issuer that has never issued: the caller says
so, because losing the file of an issuer with credentials out there must be noticed, not
papered over with a fresh key that would make every earlier credential unverifiable.
"""

from __future__ import annotations

import base64
import os
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from server.badges.multibase import ed25519_multikey

KEY_DIR = "badge-keys"
KEY_NAME = re.compile(r"^key-(\d+)$")


class IssuerKeyMissing(RuntimeError):
    """An issuer that has issued credentials has no key file: a deployment problem."""


@dataclass(frozen=True)
class IssuerKey:
    key_id: str  # "key-1": the fragment of the verification method id
    private_key: Ed25519PrivateKey

    @property
    def public_bytes(self) -> bytes:
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    @property
    def multikey(self) -> str:
        return ed25519_multikey(self.public_bytes)


def _dir(instance_dir: Path, issuer: str) -> Path:
    return Path(instance_dir) / KEY_DIR / issuer


def keyring(instance_dir: Path, issuer: str, *, may_create: bool) -> list[IssuerKey]:
    """Every key of the issuer, oldest first (the last one signs)."""
    folder = _dir(instance_dir, issuer)
    keys = _read(folder)
    if keys:
        return keys
    if not may_create:
        raise IssuerKeyMissing(
            f"The signing key of issuer {issuer!r} is missing from {folder}. It has issued "
            "credentials, so a new key would make them unverifiable: restore the key files "
            "from backup (or set them up again) before issuing or verifying."
        )
    _write_new(folder, 1)
    return _read(folder)


def rotate(instance_dir: Path, issuer: str) -> IssuerKey:
    """Add a newer key; the older ones stay so their credentials still verify."""
    folder = _dir(instance_dir, issuer)
    numbers = [int(m.group(1)) for k in _read(folder) if (m := KEY_NAME.match(k.key_id))]
    _write_new(folder, max(numbers, default=0) + 1)
    return _read(folder)[-1]


def _read(folder: Path) -> list[IssuerKey]:
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = KEY_NAME.match(path.name)
        if match:
            raw = base64.urlsafe_b64decode(path.read_text().strip() + "==")
            found.append(
                (
                    int(match.group(1)),
                    IssuerKey(path.name, Ed25519PrivateKey.from_private_bytes(raw)),
                )
            )
    return [key for _, key in sorted(found, key=lambda pair: pair[0])]


def _write_new(folder: Path, number: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    try:
        # O_EXCL: two processes starting at once keep the first key, never overwrite it.
        fd = os.open(folder / f"key-{number}", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w") as handle:
        handle.write(base64.urlsafe_b64encode(raw).decode().rstrip("=") + "\n")
