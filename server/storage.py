"""Evidence blobs. A local directory by default; an S3-compatible store when
CHALKMARK_S3_BUCKET is set (server/storage_s3.py). Callers see only the Storage protocol.

Blobs are written in chunks to a temp file and renamed into place, so a large video never
sits in memory and a half-written upload is never visible under its key.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol

from server.errors import NotFound, TooLarge

if TYPE_CHECKING:
    from server.config import Settings

CHUNK_BYTES = 1024 * 1024
# Keys are made by new_key(); refusing anything else keeps a key from escaping the root.
KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:/[a-z0-9]+)*(?:\.[a-z0-9]+)?$")


class Storage(Protocol):
    def save_stream(self, key: str, readable: BinaryIO, max_bytes: int) -> tuple[int, str]:
        """Store everything `readable` yields under `key`; return (size, sha256 hex).
        Raise TooLarge (and keep nothing) once the stream passes `max_bytes`."""

    def open(self, key: str) -> BinaryIO: ...

    def size(self, key: str) -> int: ...

    def delete(self, key: str) -> None: ...

    def exists(self, key: str) -> bool: ...

    def keys(self) -> Iterator[str]:
        """Every stored key (not files still being written)."""


def new_key(prefix: str, suffix: str = "") -> str:
    """A random key that says nothing about the person or the file's original name."""
    month = datetime.now(UTC).strftime("%Y%m")
    return f"{prefix}/{month}/{secrets.token_hex(16)}{suffix}"


def too_large_message(max_bytes: int) -> str:
    mb = max_bytes / (1024 * 1024)
    size = f"{mb:g} MB" if mb >= 1 else f"{max(max_bytes // 1024, 1)} KB"
    return f"That file is larger than {size}, the most we accept here."


class LocalStorage:
    def __init__(self, root: Path | str):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not KEY_PATTERN.match(key):
            raise ValueError(f"not a storage key: {key!r}")
        return self.root / key

    def save_stream(self, key: str, readable: BinaryIO, max_bytes: int) -> tuple[int, str]:
        final = self._path(key)
        final.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, temp_name = tempfile.mkstemp(dir=final.parent, prefix=".partial-")
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := readable.read(CHUNK_BYTES):
                    size += len(chunk)
                    if size > max_bytes:
                        raise TooLarge(too_large_message(max_bytes))
                    digest.update(chunk)
                    out.write(chunk)
            os.replace(temp_name, final)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
        return size, digest.hexdigest()

    def open(self, key: str) -> BinaryIO:
        try:
            return self._path(key).open("rb")
        except FileNotFoundError:
            raise NotFound("That file is no longer stored.") from None

    def size(self, key: str) -> int:
        try:
            return self._path(key).stat().st_size
        except FileNotFoundError:
            raise NotFound("That file is no longer stored.") from None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def keys(self) -> Iterator[str]:
        # Partial uploads (".partial" folder, ".partial-*" temp files) are not keys yet.
        for path in sorted(self.root.rglob("*")):
            key = path.relative_to(self.root).as_posix()
            if path.is_file() and KEY_PATTERN.match(key):
                yield key


def storage_from_settings(settings: Settings) -> Storage:
    if settings.s3_bucket:
        from server.storage_s3 import S3Storage  # boto3 loads only when S3 is configured

        return S3Storage(
            settings.s3_bucket,
            prefix=settings.s3_prefix,
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=settings.s3_secret_access_key,
            server_side_encryption=settings.s3_sse,
        )
    assert settings.storage_dir is not None, "Settings fills in its default"
    return LocalStorage(settings.storage_dir)
