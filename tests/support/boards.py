"""Redis leaderboards in tests: the real Redis at 127.0.0.1:6379, db 4, emptied around
each test (use as a plugin: pytest_plugins = ["tests.support.boards"])."""

from __future__ import annotations

import os

import pytest

from server.game import board_events
from server.game.boards_redis import RedisBoards
from tests.support.redis_queue import emptied

# Its own db (and so its own lock, redis_queue.emptied): a test may hold both this and the
# suite's redis_url (sessions) at once.
BOARDS_REDIS_URL = os.environ.get("CHALKMARK_TEST_BOARDS_REDIS_URL", "redis://127.0.0.1:6379/4")


@pytest.fixture
def boards_redis_url():
    yield from emptied(BOARDS_REDIS_URL)


@pytest.fixture
def store(engine, boards_redis_url):
    """Redis boards for the test database, as the game blueprint installs them."""
    redis_boards = RedisBoards.from_url(boards_redis_url)
    board_events.install(engine, redis_boards)
    yield redis_boards
    board_events.install(engine, None)
