"""Evidence blobs on an S3-compatible object store (AWS S3, MinIO, Ceph, R2...) through boto3.

Chosen by storage_from_settings when CHALKMARK_S3_BUCKET is set; the callers see the same
Storage interface as the local directory.

- Uploads stream: boto3's upload_fileobj reads the request body part by part (a multipart
  upload above MULTIPART_BYTES), so a video is never held in memory whole. The object appears
  under its key only when the upload completes; a refused (TooLarge) or failed upload is
  aborted and leaves nothing.
- Objects are private (no ACL is ever sent: the bucket's default, owner only) and encrypted
  at rest (ServerSideEncryption, AES256 unless CHALKMARK_S3_SSE says otherwise).
- Downloads go through the app (server/evidence/routes.py), so the access check and the
  AccessLog row come first exactly as with the local store; `open` returns a seekable
  reader that fetches byte ranges on demand, so a Range request (a video seeking) never
  downloads what it skips.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from typing import Any, BinaryIO

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

from server.errors import NotFound, TooLarge
from server.storage import CHUNK_BYTES, KEY_PATTERN, too_large_message

MULTIPART_BYTES = 8 * 1024 * 1024  # above this an upload is sent in parts of this size
GONE = "That file is no longer stored."
_MISSING_CODES = {"404", "NoSuchKey", "NotFound"}


def _is_missing(error: ClientError) -> bool:
    return str(error.response.get("Error", {}).get("Code")) in _MISSING_CODES


class _MeteredReader(io.RawIOBase):
    """Counts and hashes what boto3 reads from the upload and refuses it past `max_bytes`.

    Not seekable on purpose: boto3 then reads the body once, in order (so the hash is of
    the bytes sent), a part at a time."""

    def __init__(self, source: BinaryIO, max_bytes: int):
        self.source = source
        self.max_bytes = max_bytes
        self.size = 0
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        chunk = self.source.read(size if size is not None and size >= 0 else CHUNK_BYTES)
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise TooLarge(too_large_message(self.max_bytes))
        self.digest.update(chunk)
        return chunk

    def readinto(self, buffer: Any) -> int:
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


class _ObjectReader(io.RawIOBase):
    """A stored object as a seekable file: reads stream the GET body; a read after a seek
    elsewhere starts a new ranged GET at that offset."""

    def __init__(self, client: Any, bucket: str, name: str, size: int, body: Any):
        self.client = client
        self.bucket = bucket
        self.name = name
        self.length = size
        self.position = 0
        self.body: Any = body  # the open GET body (or None)...
        self.body_at = 0  # ...and the offset its next byte is at

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.length}[whence]
        # Only moves the position: waitress seeks to the end and back to measure the file,
        # which must not cost a request. The next read fetches from wherever it ends up.
        self.position = max(base + offset, 0)
        return self.position

    def readinto(self, buffer: Any) -> int:
        if self.position >= self.length or len(buffer) == 0:
            return 0
        if self.body is not None and self.body_at != self.position:
            self._close_body()
        if self.body is None:
            try:
                answer = self.client.get_object(
                    Bucket=self.bucket, Key=self.name, Range=f"bytes={self.position}-"
                )
            except ClientError as error:
                if _is_missing(error):
                    raise NotFound(GONE) from None
                raise
            self.body, self.body_at = answer["Body"], self.position
        chunk = self.body.read(len(buffer))
        buffer[: len(chunk)] = chunk
        self.position += len(chunk)
        self.body_at = self.position
        return len(chunk)

    def _close_body(self) -> None:
        if self.body is not None:
            self.body.close()
            self.body = None

    def close(self) -> None:
        self._close_body()
        super().close()


class S3Storage:
    def __init__(
        self,
        bucket: str,
        *,
        prefix: str = "",
        client: Any = None,
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        server_side_encryption: str | None = "AES256",
        multipart_bytes: int = MULTIPART_BYTES,
    ):
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.encryption = server_side_encryption or None
        if client is None:
            # Without a key pair boto3 finds credentials itself (AWS_* variables, an
            # instance role). A custom endpoint (MinIO, a test server) is addressed by path.
            client = boto3.session.Session().client(
                "s3",
                endpoint_url=endpoint_url,
                region_name=region,
                aws_access_key_id=access_key_id,
                aws_secret_access_key=secret_access_key,
                config=Config(
                    signature_version="s3v4",
                    s3={"addressing_style": "path" if endpoint_url else "auto"},
                    retries={"mode": "standard"},
                ),
            )
        self.client = client
        self.transfer = TransferConfig(
            multipart_threshold=multipart_bytes,
            multipart_chunksize=multipart_bytes,
            max_concurrency=4,
            preferred_transfer_client="classic",
        )
        # Parts read ahead of the uploads in flight (s3transfer's default is 10).
        self.transfer.max_in_memory_upload_chunks = 4

    def _name(self, key: str) -> str:
        if not KEY_PATTERN.match(key):
            raise ValueError(f"not a storage key: {key!r}")
        return f"{self.prefix}/{key}" if self.prefix else key

    def _head(self, key: str) -> dict[str, Any] | None:
        try:
            head: dict[str, Any] = self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as error:
            if _is_missing(error):
                return None
            raise
        return head

    def save_stream(self, key: str, readable: BinaryIO, max_bytes: int) -> tuple[int, str]:
        metered = _MeteredReader(readable, max_bytes)
        extra = {"ServerSideEncryption": self.encryption} if self.encryption else {}
        self.client.upload_fileobj(
            metered, self.bucket, self._name(key), ExtraArgs=extra, Config=self.transfer
        )
        return metered.size, metered.digest.hexdigest()

    def open(self, key: str) -> BinaryIO:
        name = self._name(key)
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=name)
        except ClientError as error:
            if _is_missing(error):
                raise NotFound(GONE) from None
            raise
        raw = _ObjectReader(self.client, self.bucket, name, answer["ContentLength"], answer["Body"])
        return io.BufferedReader(raw, CHUNK_BYTES)

    def size(self, key: str) -> int:
        head = self._head(key)
        if head is None:
            raise NotFound(GONE)
        return int(head["ContentLength"])

    def delete(self, key: str) -> None:
        # S3 answers a delete of a missing key with success: deleting twice is fine.
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def exists(self, key: str) -> bool:
        return self._head(key) is not None

    def keys(self) -> Iterator[str]:
        # Uploads in progress are not listed: an object exists only once complete.
        start = f"{self.prefix}/" if self.prefix else ""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=start
        )
        for page in pages:
            for entry in page.get("Contents", []):
                key = entry["Key"][len(start) :]
                if KEY_PATTERN.match(key):
                    yield key
