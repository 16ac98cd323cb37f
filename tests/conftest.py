"""Shared fixtures. Every DB-touching test runs on SQLite, and again on PostgreSQL when
CHALKMARK_TEST_POSTGRES_URL is set (the `db_url` fixture is parametrized over both).

`make test` runs the suite on pytest-xdist workers: each worker has its own PostgreSQL database
(`<name>_gw0`, ...; tests/support/databases.py); the tests that use the one Redis db take
turns (tests/support/redis_queue.py).
"""

from __future__ import annotations

import os

import pytest
from sqlmodel import Session, SQLModel

from server import create_app
from server.badges import issuing
from server.config import Settings
from server.db import make_engine
from tests.support import route_builders
from tests.support.databases import (
    build_sqlite_template,
    copy_sqlite_template,
    create_postgres_database,
    empty_postgres,
    worker_postgres_url,
)

# Fixtures shared by several test modules (coach, cohort).
pytest_plugins = ["tests.support.coaching", "tests.support.s3"]

POSTGRES_URL = worker_postgres_url(os.environ.get("CHALKMARK_TEST_POSTGRES_URL"))
BACKENDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])


def pytest_configure(config):
    route_builders.install()  # each test's create_app reuses the URL builders compiled before


def pytest_sessionstart(session):
    if POSTGRES_URL and os.environ.get("PYTEST_XDIST_WORKER"):
        create_postgres_database(POSTGRES_URL)


@pytest.fixture(scope="session")
def _postgres_engine():
    engine = make_engine(POSTGRES_URL)
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory):
    return build_sqlite_template(tmp_path_factory.mktemp("schema"))


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A fresh, empty database with every table: a temp SQLite file (a copy of one built with
    create_all), or the worker's PostgreSQL database emptied and its ids restarted."""
    if request.param == "sqlite":
        return copy_sqlite_template(
            request.getfixturevalue("_sqlite_template"), tmp_path / "test.db"
        )
    engine = request.getfixturevalue("_postgres_engine")
    empty_postgres(engine)
    return POSTGRES_URL


@pytest.fixture
def settings(db_url, tmp_path) -> Settings:
    return Settings(
        instance_dir=tmp_path / "instance",
        database_url=db_url,
        secret_key="test-secret",
        public_url="http://localhost",
        storage_dir=tmp_path / "evidence",
        testing=True,
    )


@pytest.fixture
def app(settings):
    app = create_app(settings)
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def engine(db_url):
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine, settings):
    # Awarding signs a badge, which reads the issuer's settings that creating an app
    # installs: install this test's own, so a unit test passes alone or after any other.
    issuing.install(settings)
    with Session(engine, expire_on_commit=False) as session:
        yield session
