"""e2e fixtures: the app served on 127.0.0.1 with a fresh seeded SQLite database, browsed
as http://localhost:PORT (WebAuthn needs a domain name), in Debian's headless Chromium."""

from __future__ import annotations

import shutil
import socket
import threading

import pytest
from playwright.sync_api import sync_playwright
from sqlmodel import Session, SQLModel
from werkzeug.serving import make_server

from server import create_app
from server.config import Settings
from server.demo.seed import seed_demo
from server.storage import LocalStorage
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, PHONE


def pytest_collection_modifyitems(items):
    # Everything under tests/e2e drives a browser: `-m "not e2e"` leaves it out.
    for item in items:
        if "/tests/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs it")
    root = tmp_path_factory.mktemp("live")
    port = _free_port()
    settings = Settings(
        instance_dir=root / "instance",
        database_url=f"sqlite:///{root / 'e2e.db'}",
        secret_key="e2e-secret",
        public_url=f"http://localhost:{port}",
        port=port,
        storage_dir=root / "evidence",
        demo=True,
    )
    app = create_app(settings)
    engine = app.extensions["db_engine"]
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        seed_demo(session=session, storage=LocalStorage(settings.storage_dir))
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["BASE_URL"] = settings.public_url
    yield app
    server.shutdown()
    engine.dispose()


@pytest.fixture(scope="session")
def base_url(live_app) -> str:
    return live_app.config["BASE_URL"]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def context(browser, base_url):
    context = browser.new_context(base_url=base_url, viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    yield page
    assert not errors, f"JavaScript errors on the page: {errors}"
