"""LocalStorage: chunked writes, atomic rename, TooLarge leaves nothing behind. What every
store does (local and S3) is in test_storage_contract.py."""

import hashlib
import io

import pytest

from server.errors import TooLarge
from server.storage import CHUNK_BYTES, LocalStorage, new_key


class CountingReader(io.BytesIO):
    """Records the size of every read, to prove the copy never asks for everything."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.reads: list[int] = []

    def read(self, size=-1):
        self.reads.append(size)
        return super().read(size)


def test_save_stream_writes_in_chunks_and_returns_size_and_sha256(tmp_path):
    storage = LocalStorage(tmp_path)
    data = bytes(range(256)) * 10_000  # 2.5 MB: several chunks
    reader = CountingReader(data)
    key = new_key("ev", ".bin")

    size, digest = storage.save_stream(key, reader, max_bytes=10 * CHUNK_BYTES)

    assert size == len(data)
    assert digest == hashlib.sha256(data).hexdigest()
    assert reader.reads and all(0 < n <= CHUNK_BYTES for n in reader.reads)
    assert storage.exists(key) and storage.size(key) == len(data)
    with storage.open(key) as stored:
        assert stored.read() == data


def test_too_large_stream_is_refused_and_the_partial_file_deleted(tmp_path):
    storage = LocalStorage(tmp_path)
    key = new_key("ev", ".mp4")

    with pytest.raises(TooLarge) as refused:
        storage.save_stream(key, io.BytesIO(b"x" * (3 * CHUNK_BYTES)), max_bytes=CHUNK_BYTES)

    assert "larger than 1 MB" in refused.value.message
    assert not storage.exists(key)
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert leftovers == []
