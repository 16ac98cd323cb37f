"""Shared fixtures. Every DB-touching test runs on SQLite, and again on PostgreSQL when
CHALKMARK_TEST_POSTGRES_URL is set (the `db_url` fixture is parametrized over both).
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text
from sqlmodel import Session, SQLModel

from server import create_app
from server.config import Settings
from server.db import make_engine

# Fixtures shared by several test modules (coach, cohort).
pytest_plugins = ["tests.support.coaching", "tests.support.s3"]

POSTGRES_URL = os.environ.get("CHALKMARK_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])


@pytest.fixture(scope="session")
def _postgres_engine():
    engine = make_engine(POSTGRES_URL)
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


def _truncate(engine) -> None:
    names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A fresh, empty database with every table: a temp SQLite file, or truncated Postgres."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
        engine = make_engine(url)
        SQLModel.metadata.create_all(engine)
        engine.dispose()
        return url
    engine = request.getfixturevalue("_postgres_engine")
    _truncate(engine)
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
def session(engine):
    with Session(engine, expire_on_commit=False) as session:
        yield session
