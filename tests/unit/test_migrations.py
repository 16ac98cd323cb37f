"""The Alembic migrations build exactly the schema server/models.py describes."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

from server import migrate
from server.db import make_engine
from tests.conftest import POSTGRES_URL


def _fresh_url(backend: str, tmp_path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'migrated.db'}"
    engine = make_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS migration_check CASCADE"))
        conn.execute(text("CREATE SCHEMA migration_check"))
    engine.dispose()
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options=-csearch_path%3Dmigration_check"


@pytest.mark.parametrize("backend", ["sqlite"] + (["postgres"] if POSTGRES_URL else []))
def test_upgrade_head_matches_models(backend, tmp_path):
    url = _fresh_url(backend, tmp_path)
    migrate.upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations differ; run `make migration m=...`: {diff}"
