"""The leaderboard page renders the same whether the boards come from SQL (the embedded
default) or from Redis sorted sets (CHALKMARK_REDIS_URL set): two apps on one database,
every person signed in on both, every board and period they may open, and the CSV."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from sqlalchemy import select
from sqlmodel import Session

from server import create_app
from server.game import board_events
from server.game import leaderboard as boards
from server.models import User
from tests.support.boards_data import district, pay_some
from tests.support.web import htmx_headers, sign_in_as

pytest_plugins = ["tests.support.boards"]

# What differs between any two responses: CSRF tokens and nonces.
CSRF = re.compile(r'(value=|content=|nonce=|"X-CSRFToken": )"[^"]*"')


@pytest.fixture
def apps(settings, boards_redis_url):
    """(the SQL app, the Redis app) on the same database."""
    sql_app = create_app(settings)
    redis_app = create_app(replace(settings, redis_url=boards_redis_url))
    yield sql_app, redis_app
    for app in (sql_app, redis_app):
        board_events.install(app.extensions["db_engine"], None)
        app.extensions["db_engine"].dispose()


def _pages(app, viewers: list[User], *, fragment: bool) -> dict:
    client, seen = app.test_client(), {}
    headers = htmx_headers() if fragment else {}
    with Session(app.extensions["db_engine"]) as db:
        for viewer in viewers:
            sign_in_as(client, viewer)
            for scope in boards.boards_for(session=db, viewer=viewer):
                for period in boards.PERIODS:
                    query = f"board={scope.key}&period={period}"
                    page = client.get(f"/leaderboards?{query}", headers=headers)
                    seen[(viewer.id, query)] = CSRF.sub("", page.get_data(as_text=True))
                    if boards.may_export(viewer=viewer, scope=scope):
                        csv = client.get(f"/leaderboards/export.csv?{query}")
                        seen[(viewer.id, query, "csv")] = csv.get_data(as_text=True)
    return seen


def test_the_leaderboard_page_is_the_same_from_redis_as_from_sql(apps):
    sql_app, redis_app = apps
    with Session(sql_app.extensions["db_engine"], expire_on_commit=False) as db:
        world = district(db)
        # Paid through the Redis app's engine: its boards follow by ZINCRBY once built.
        pay_some(db, world, 40, "a")
        viewers = list(db.execute(select(User).order_by(User.id)).scalars())
    assert board_events.store_for(Session(redis_app.extensions["db_engine"])) is not None
    assert _pages(redis_app, viewers, fragment=True) == _pages(sql_app, viewers, fragment=True)
    with Session(redis_app.extensions["db_engine"], expire_on_commit=False) as db:
        world["people"] = list(db.execute(select(User).order_by(User.id)).scalars())[:40]
        pay_some(db, world, 40, "b")
    redis_pages = _pages(redis_app, viewers[:12], fragment=False)
    assert redis_pages == _pages(sql_app, viewers[:12], fragment=False)
    assert any("you (hidden)" in page for page in redis_pages.values())
    assert any("Anonymous teacher" in page for page in redis_pages.values())
