"""A hidden item (review/hidden.py) among keyset pages of the queue: it shows on the one
page whose live rows span its made-up time, in time order, exactly once, wherever that
time falls: before every live row, on a page boundary, inside a later page, after all."""

from __future__ import annotations

from datetime import timedelta

import pytest

from server.models import HiddenItem, utcnow
from server.review.queue import QUEUE_PAGE
from tests.support.factories import make_submission, make_user
from tests.support.hidden_data import make_hidden_world, open_item
from tests.support.queue_pages import row_ids, walk

pytest_plugins = ["tests.support.admin_world"]  # the `db` fixture

EXTRA = 2 * QUEUE_PAGE  # pages 1 and 2; the hidden world's own live attempts make page 3


@pytest.mark.parametrize(
    ("when", "page", "after_rows"),
    [
        ("before every live row", 0, 0),
        ("at page 1's last live row", 0, QUEUE_PAGE),  # the cursor's own time
        ("inside page 2", 1, QUEUE_PAGE + 21),
        ("after every live row", 2, None),
    ],
)
def test_a_hidden_item_shows_once_where_its_time_falls(client, db, when, page, after_rows):
    world = make_hidden_world(db)
    start = utcnow() - timedelta(days=10)
    extra = [
        make_submission(
            db,
            make_user(db, org_id=world.org.id),
            world.credential,
            with_evidence=False,
            submitted_at=start + timedelta(minutes=n),
        )
        for n in range(EXTRA)
    ]
    item = open_item(client, db, world)
    item.shown_at = {
        "before every live row": start - timedelta(days=1),
        "at page 1's last live row": start + timedelta(minutes=QUEUE_PAGE - 1),
        "inside page 2": start + timedelta(minutes=QUEUE_PAGE + 20, seconds=30),
        "after every live row": utcnow(),
    }[when]
    db.add(item)
    db.commit()

    pages = [row_ids(html) for html in walk(client)]
    live = [s.id for s in extra] + [s.id for s in world.lives]  # type: ignore[attr-defined]
    assert [row for rows in pages for row in rows] == (
        live + [item.id]
        if after_rows is None
        else live[:after_rows] + [item.id] + live[after_rows:]
    )
    assert [item.id in rows for rows in pages] == [n == page for n in range(len(pages))]
    assert db.get_one(HiddenItem, item.id).decided_at is None
