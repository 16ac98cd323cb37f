"""What the review benches share: an app on a fresh SQLite file or a PostgreSQL database
(its tables dropped and made anew), a test client signed in as someone, and timing GETs
of one page through the whole Flask app (routing, session, queries, templates)."""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

from sqlalchemy import text
from sqlmodel import SQLModel

from bench.common import summary_ms

ROWS = re.compile(r'class="card review-queue-item"')


def review_app(pg_url: str | None = None):
    """A Chalkmark app with every table and no rows, on SQLite or on `pg_url`."""
    from server import create_app
    from server.config import Settings

    root = Path(tempfile.mkdtemp(prefix="chalkmark-bench-review-"))
    settings = Settings(
        instance_dir=root / "instance",
        database_url=pg_url or f"sqlite:///{root / 'bench.db'}",
        secret_key="bench",
        storage_dir=root / "evidence",
        public_url="http://localhost:5000",
        ratelimit_enabled=False,
    )
    app = create_app(settings)
    engine = app.extensions["db_engine"]
    if pg_url:
        SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    return app


def analyze(app) -> None:
    """Planner statistics after a bulk load, as autovacuum would soon gather them: without,
    PostgreSQL plans the fresh tables as empty."""
    engine = app.extensions["db_engine"]
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("ANALYZE"))
            connection.commit()


def signed_in(app, user_id: int):
    """A test client with a real server-side session for the user (as a passkey sign-in)."""
    from server.models import User
    from tests.support.web import sign_in_as

    client = app.test_client()
    sign_in_as(client, User(id=user_id, handle="-", display_name="-"))
    return client


def time_page(client, path: str, *, runs: int, warmup: int = 5) -> tuple[dict, str]:
    """p50 / p95 / max of `runs` GETs after `warmup`, and the last page's HTML."""
    for _ in range(warmup):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    html = response.get_data(as_text=True)
    return {**summary_ms(samples), "html_bytes": len(html.encode())}, html


def database_label(pg_url: str | None) -> str:
    return "postgresql" if pg_url else "sqlite"
