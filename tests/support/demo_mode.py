"""The fixture `demo_app`: the app in demo mode (one-click sign-in as the demo people).
Load it with `pytest_plugins = ["tests.support.demo_mode"]`."""

from __future__ import annotations

import pytest

from server import create_app


@pytest.fixture
def demo_app(settings):
    settings.demo = True
    app = create_app(settings)
    yield app
    app.extensions["db_engine"].dispose()
