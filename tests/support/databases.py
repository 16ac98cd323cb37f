"""The test databases: one PostgreSQL database per pytest-xdist worker, emptied between tests
without TRUNCATE, and a SQLite schema built once and copied for each test.

Every test still starts on an empty database with every table and its ids starting at 1;
only the way there is cheaper (TRUNCATE of ~50 tables rewrites and fsyncs ~150 files on every
test; deleting the rows of small tables and resetting the sequences does not).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import SQLModel

from server.db import make_engine


def worker_postgres_url(url: str | None) -> str | None:
    """Under pytest-xdist, worker gw1 uses `<database>_gw1` beside the configured one."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


def create_postgres_database(url: str) -> None:
    """CREATE DATABASE for `url` unless it exists (connecting to the server's `postgres`)."""
    parsed = make_url(url)
    admin = make_engine(parsed.set(database="postgres").render_as_string(hide_password=False))
    try:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            found = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": parsed.database},
            ).first()
            if found is None:
                conn.exec_driver_sql(f'CREATE DATABASE "{parsed.database}"')
    finally:
        admin.dispose()


def _reset_sql() -> str:
    """Children before parents, then every sequence that has handed out a value restarts."""
    deletes = "".join(f'DELETE FROM "{t.name}";' for t in reversed(SQLModel.metadata.sorted_tables))
    restart = (
        "SELECT setval((quote_ident(schemaname) || '.' || quote_ident(sequencename))::regclass,"
        " start_value, false)"
        " FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL"
    )
    return deletes + restart


def empty_postgres(engine: Engine) -> None:
    """The state TRUNCATE ... RESTART IDENTITY leaves, in one round trip."""
    with engine.begin() as conn:
        conn.exec_driver_sql(_reset_sql())


def build_sqlite_template(directory: Path) -> Path:
    """A SQLite file with every table, closed (so no -wal file holds part of it)."""
    template = directory / "template.db"
    engine = make_engine(f"sqlite:///{template}")
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    assert not template.with_name("template.db-wal").exists()
    return template


def copy_sqlite_template(template: Path, target: Path) -> str:
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"
