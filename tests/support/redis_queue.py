"""The real Redis the machine runs, for RQ tests (import the fixture into a test module).

Db 15 unless CHALKMARK_TEST_REDIS_URL names another (parallel runs on one machine)."""

from __future__ import annotations

import os

import pytest

TEST_REDIS_URL = os.environ.get("CHALKMARK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url():
    from redis import Redis

    client = Redis.from_url(TEST_REDIS_URL)
    client.ping()  # the machine runs Redis; a missing one must fail, not skip
    client.flushdb()
    yield TEST_REDIS_URL
    client.flushdb()
