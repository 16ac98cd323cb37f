"""Redis leaderboards in tests: the real Redis at 127.0.0.1:6379, db 4, emptied around
each test (use as a plugin: pytest_plugins = ["tests.support.boards"])."""

from __future__ import annotations

import pytest

from server.game import board_events
from server.game.boards_redis import RedisBoards
from tests.support.redis_queue import emptied

# db 4 while helpers share the machine; the suite's own is 15 (redis_queue.TEST_REDIS_URL).
BOARDS_REDIS_URL = "redis://127.0.0.1:6379/4"


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
