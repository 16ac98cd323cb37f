"""The real Redis the machine runs, for RQ tests (import the fixture into a test module).

Db 15 unless CHALKMARK_TEST_REDIS_URL names another. Each test empties its db, so the tests
that use one db take turns across processes (pytest-xdist workers): an exclusive lock on a
file named after the URL, held for the test."""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

TEST_REDIS_URL = os.environ.get("CHALKMARK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def emptied(url: str) -> Iterator[str]:
    """The real Redis db at `url`, held by this test alone and emptied before and after
    (FLUSHDB: that db only)."""
    from redis import Redis

    name = hashlib.sha256(url.encode()).hexdigest()[:16]
    lock_path = Path(tempfile.gettempdir()) / f"chalkmark-test-redis-{name}.lock"
    with lock_path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        client = Redis.from_url(url)
        client.ping()  # the machine runs Redis; a missing one must fail, not skip
        client.flushdb()
        yield url
        client.flushdb()


@pytest.fixture
def redis_url():
    yield from emptied(TEST_REDIS_URL)
