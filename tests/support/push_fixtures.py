"""Fixture `receiver`: a running local push service (tests/support/push_service.py).

Load it with `pytest_plugins = ["tests.support.push_fixtures"]` in a test module. It turns
on the test-only `push_allow_private_addresses` of the test's settings: the service is
plain http on 127.0.0.1, which the default settings refuse (as they must).
"""

from __future__ import annotations

import pytest

from tests.support.push_service import PushServiceReceiver


@pytest.fixture
def receiver(settings):
    settings.push_allow_private_addresses = True
    service = PushServiceReceiver()
    yield service
    service.close()
