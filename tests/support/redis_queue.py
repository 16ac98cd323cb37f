"""The real Redis the machine runs, for RQ tests (import the fixture into a test module)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

TEST_REDIS_URL = "redis://127.0.0.1:6379/15"


def emptied(url: str) -> Iterator[str]:
    """The real Redis db at `url`, emptied before and after (FLUSHDB: that db only)."""
    from redis import Redis

    client = Redis.from_url(url)
    client.ping()  # the machine runs Redis; a missing one must fail, not skip
    client.flushdb()
    yield url
    client.flushdb()


@pytest.fixture
def redis_url():
    yield from emptied(TEST_REDIS_URL)
