"""The Storage contract, held by both stores: the local directory and an S3 bucket (moto's
standalone server over HTTP). Put, read, ranged read, size, delete, missing keys, keys(),
a refused upload leaves nothing, a large upload goes in parts without being read whole."""

import hashlib
import io

import pytest

from server.config import Settings
from server.errors import NotFound, TooLarge
from server.storage import CHUNK_BYTES, LocalStorage, new_key, storage_from_settings
from server.storage_s3 import MULTIPART_BYTES, S3Storage
from tests.support.s3 import ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY
from tests.unit.test_storage import CountingReader

MB = 1024 * 1024


@pytest.fixture(params=["local", "s3"])
def storage(request, tmp_path):
    if request.param == "local":
        return LocalStorage(tmp_path / "evidence")
    bucket = request.getfixturevalue("s3_bucket")
    return S3Storage(
        bucket.name,
        prefix="chalkmark/evidence",
        endpoint_url=bucket.endpoint_url,
        region=REGION,
        access_key_id=ACCESS_KEY_ID,
        secret_access_key=SECRET_ACCESS_KEY,
    )


def test_put_then_read_size_exists_and_keys(storage):
    data = bytes(range(256)) * 4000
    key = new_key("ev", ".bin")
    size, digest = storage.save_stream(key, io.BytesIO(data), max_bytes=10 * MB)
    assert (size, digest) == (len(data), hashlib.sha256(data).hexdigest())
    assert storage.exists(key) and storage.size(key) == len(data)
    with storage.open(key) as stored:
        assert stored.read() == data
    assert list(storage.keys()) == [key]


def test_reads_stream_in_chunks_and_seek(storage):
    data = bytes(range(256)) * 12_000  # ~3 MB
    key = new_key("ev", ".mp4")
    storage.save_stream(key, io.BytesIO(data), max_bytes=10 * MB)
    with storage.open(key) as stored:
        assert stored.read(1000) == data[:1000]
        stored.seek(2 * MB)  # a video seeking: a Range request
        assert stored.tell() == 2 * MB
        assert stored.read(5000) == data[2 * MB : 2 * MB + 5000]
        stored.seek(10)
        assert stored.read(10) == data[10:20]
        stored.seek(-4, io.SEEK_END)
        assert stored.read() == data[-4:]


def test_waitress_serves_the_opened_file(storage):
    """`chalkmark serve` hands the opened file to waitress's file wrapper (seek, tell, read)."""
    from waitress.buffers import ReadOnlyFileBasedBuffer

    data = bytes(range(256)) * 5000
    key = new_key("ev", ".mp4")
    storage.save_stream(key, io.BytesIO(data), max_bytes=10 * MB)
    gets = []
    if isinstance(storage, S3Storage):
        storage.client.meta.events.register(
            "before-send.s3.GetObject", lambda request, **_: gets.append(request)
        )
    with storage.open(key) as stored:
        served = ReadOnlyFileBasedBuffer(stored, block_size=CHUNK_BYTES)
        assert served.prepare() == len(data)
        assert b"".join(served) == data
    assert len(gets) == (1 if isinstance(storage, S3Storage) else 0)  # measuring costs no GET


def test_delete_is_idempotent(storage):
    key = new_key("th", ".jpg")
    storage.save_stream(key, io.BytesIO(b"abc"), max_bytes=10)
    storage.delete(key)
    assert not storage.exists(key)
    assert list(storage.keys()) == []
    storage.delete(key)  # deleting twice is fine


def test_a_missing_key_is_not_found_never_a_server_error(storage):
    key = new_key("ev", ".jpg")
    assert not storage.exists(key)
    with pytest.raises(NotFound):
        storage.size(key)
    with pytest.raises(NotFound):
        storage.open(key)


def test_a_too_large_stream_is_refused_and_nothing_is_kept(storage):
    key = new_key("ev", ".mp4")
    with pytest.raises(TooLarge) as refused:
        storage.save_stream(key, io.BytesIO(b"x" * (3 * MB)), max_bytes=MB)
    assert "larger than 1 MB" in refused.value.message
    assert not storage.exists(key)
    assert list(storage.keys()) == []


def test_bad_keys_are_refused_and_keys_are_random(storage):
    assert new_key("ev", ".jpg") != new_key("ev", ".jpg")
    for bad in ("../secret", "/etc/passwd", "ev/../../x", "ev/photo name.jpg"):
        with pytest.raises(ValueError):
            storage.exists(bad)


def test_a_large_upload_streams_in_parts(storage):
    data = hashlib.sha256(b"seed").digest() * (12 * MB // 32)  # 12 MB: two S3 parts
    reader = CountingReader(data)
    key = new_key("ev", ".mp4")
    size, digest = storage.save_stream(key, reader, max_bytes=20 * MB)
    assert (size, digest) == (len(data), hashlib.sha256(data).hexdigest())
    # Never read whole: every read asks for at most one part (S3) or one chunk (local).
    assert len(reader.reads) > 1
    assert all(0 < n <= max(CHUNK_BYTES, MULTIPART_BYTES) for n in reader.reads)
    assert storage.size(key) == len(data)
    with storage.open(key) as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == digest


def test_s3_large_upload_is_multipart_private_encrypted_and_prefixed(s3_bucket):
    storage = S3Storage(
        s3_bucket.name, prefix="/district/", client=s3_bucket.client, multipart_bytes=5 * MB
    )
    sent = []  # the headers of every request boto3 sends
    s3_bucket.client.meta.events.register(
        "before-send.s3", lambda request, **_: sent.append(dict(request.headers))
    )
    key = new_key("ev", ".mp4")
    storage.save_stream(key, io.BytesIO(b"v" * (12 * MB)), max_bytes=20 * MB)
    head = s3_bucket.client.head_object(Bucket=s3_bucket.name, Key=f"district/{key}")
    assert head["ETag"].strip('"').endswith("-3")  # three parts of 5, 5, 2 MB
    assert head["ServerSideEncryption"] == "AES256"
    # Private: no ACL is ever sent (the bucket's default: the owner only).
    assert sent and not [h for h in sent if any(k.lower() == "x-amz-acl" for k in h)]
    assert list(storage.keys()) == [key]


def test_s3_a_refused_multipart_upload_is_aborted(s3_bucket):
    storage = S3Storage(s3_bucket.name, client=s3_bucket.client, multipart_bytes=5 * MB)
    key = new_key("ev", ".mp4")
    with pytest.raises(TooLarge):
        storage.save_stream(key, io.BytesIO(b"v" * (12 * MB)), max_bytes=7 * MB)
    assert not storage.exists(key)
    pending = s3_bucket.client.list_multipart_uploads(Bucket=s3_bucket.name)
    assert pending.get("Uploads", []) == []


def test_s3_without_encryption_sends_no_header(s3_bucket):
    storage = S3Storage(s3_bucket.name, client=s3_bucket.client, server_side_encryption=None)
    key = new_key("th", ".jpg")
    storage.save_stream(key, io.BytesIO(b"abc"), max_bytes=10)
    head = s3_bucket.client.head_object(Bucket=s3_bucket.name, Key=key)
    assert "ServerSideEncryption" not in head


def test_settings_pick_the_store(monkeypatch, tmp_path, s3_bucket):
    monkeypatch.setenv("CHALKMARK_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("CHALKMARK_SECRET_KEY", "x")
    local = Settings.from_env()
    assert local.s3_bucket is None
    assert isinstance(storage_from_settings(local), LocalStorage)  # the default, unchanged

    for name, value in {
        "BUCKET": s3_bucket.name,
        "ENDPOINT_URL": s3_bucket.endpoint_url,
        "REGION": REGION,
        "ACCESS_KEY_ID": ACCESS_KEY_ID,
        "SECRET_ACCESS_KEY": "never-shown-secret",  # moto checks no signature
        "PREFIX": "evidence/",
    }.items():
        monkeypatch.setenv(f"CHALKMARK_S3_{name}", value)
    settings = Settings.from_env()
    assert settings.s3_sse == "AES256"
    assert settings.s3_secret_access_key == "never-shown-secret"
    assert "never-shown-secret" not in repr(settings)
    storage = storage_from_settings(settings)
    assert isinstance(storage, S3Storage) and storage.prefix == "evidence"
    key = new_key("ev", ".bin")
    storage.save_stream(key, io.BytesIO(b"data"), max_bytes=10)
    assert s3_bucket.client.head_object(Bucket=s3_bucket.name, Key=f"evidence/{key}")

    monkeypatch.setenv("CHALKMARK_S3_SSE", "none")
    assert Settings.from_env().s3_sse is None
