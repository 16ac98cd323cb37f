"""Fixture `receiver`: a running local push service (tests/support/push_service.py).

Load it with `pytest_plugins = ["tests.support.push_fixtures"]` in a test module.
"""

from __future__ import annotations

import pytest

from tests.support.push_service import PushServiceReceiver


@pytest.fixture
def receiver():
    service = PushServiceReceiver()
    yield service
    service.close()
