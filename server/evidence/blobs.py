"""Evidence files in the store: a checked upload written to storage (type by magic bytes,
photos cleaned of EXIF and thumbnailed, size limits while streaming), blobs deleted, and
the invariant every deletion keeps (each stored blob has its row, each row its blob). No
Flask here; storage is passed in."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from sqlmodel import Session, select

from server.errors import InvalidInput, TooLarge
from server.evidence import images
from server.evidence.limits import UploadLimits
from server.evidence.sniff import require_allowed
from server.models import EvidenceItem
from server.storage import Storage, new_key, too_large_message


def delete_blobs(storage: Storage, keys: Iterable[str | None]) -> None:
    for key in keys:
        if key:
            storage.delete(key)


def store_file(
    item: EvidenceItem, stream: BinaryIO, kind: str, storage: Storage, limits: UploadLimits
) -> None:
    max_bytes = limits.for_kind(kind)
    size = _stream_size(stream)
    if size > max_bytes:
        raise TooLarge(too_large_message(max_bytes))
    if size == 0:
        raise InvalidInput("That file is empty.", field="file")
    file_type = require_allowed(kind, stream)
    if file_type.is_image:
        image = images.clean_image(
            stream, file_type, max_pixels=limits.photo_pixels, workers=limits.image_workers
        )
        file_type, stream = image.file_type, image.body
        item.width, item.height = image.width, image.height
        item.thumb_key = new_key("th", ".jpg")
        storage.save_stream(item.thumb_key, image.thumb, max_bytes)
    item.mime = file_type.mime
    item.blob_key = new_key("ev", file_type.extension)
    try:
        # A re-encoded photo can come out a little larger than the original.
        item.bytes, item.sha256 = storage.save_stream(item.blob_key, stream, max_bytes * 2)
    except BaseException:
        delete_blobs(storage, [item.thumb_key])
        raise


def _stream_size(stream: BinaryIO) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


@dataclass
class StoreProblems:
    orphan_blobs: list[str]  # stored, but no row points at them
    missing_blobs: list[str]  # a row points at them, but they are not stored

    def __bool__(self) -> bool:
        return bool(self.orphan_blobs or self.missing_blobs)


def store_problems(*, session: Session, storage: Storage) -> StoreProblems:
    """The invariant every deletion keeps: each stored blob has its row and each row's
    blob is stored. Empty (falsy) when the store is consistent. Check it while no upload
    is in flight: an upload's blob is written just before its row is committed."""
    rows = session.exec(select(EvidenceItem.blob_key, EvidenceItem.thumb_key)).all()
    referenced = {key for row in rows for key in row if key}
    stored = set(storage.keys())
    return StoreProblems(
        orphan_blobs=sorted(stored - referenced), missing_blobs=sorted(referenced - stored)
    )
