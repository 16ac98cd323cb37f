"""Keyset paging of the review queue (review/queue_cursor.py), walked through "Next page"
links as an assessor would: every waiting attempt once and in order (ties in the
submission time broken by id), "Assigned to me" kept across pages, blind and double-blind
rows still right past the first page. On SQLite and PostgreSQL (the `client` fixture)."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlmodel import Session

from server.models import Credential, Submission, utcnow
from server.review.queue import QUEUE_PAGE
from tests.support.factories import (
    appoint,
    make_credential,
    make_org,
    make_review,
    make_stack,
    make_submission,
    make_user,
)
from tests.support.queue_pages import NEXT, row_ids, walk
from tests.support.web import sign_in_as

WAITING = 2 * QUEUE_PAGE + 25  # three pages, the last one short
ROW_ITEM = re.compile(r'<li class="card review-queue-item">(.*?)\n        </li>', re.S)


def in_queue_order(submissions: list[Submission]) -> list[int]:
    return [s.id for s in sorted(submissions, key=lambda s: (s.submitted_at, s.id))]


def seed(session: Session, *, org_blind: bool = False, pair_every: int = 0, in_review=None):
    """WAITING attempts three to a submission time, created newest first so that id order
    and queue order disagree; every `pair_every`-th on a double-blind credential; the
    n-th oldest in review (its lease lapsed) where `in_review(n)`."""
    org = make_org(session, blind_review=org_blind)
    stack = make_stack(session)
    single = make_credential(session, stack=stack, title="Single scored")
    pair = make_credential(session, stack=stack, title="Pair scored", scoring_mode="double_blind")
    assessor = make_user(session, "assessor", org_id=org.id)
    appoint(session, assessor, single)
    start = utcnow() - timedelta(days=20)
    made = []
    for n in reversed(range(WAITING)):
        credential = pair if pair_every and n % pair_every == 0 else single
        teacher = make_user(session, org_id=org.id, name=f"Named Teacher {n}", school="Elm School")
        made.append(
            make_submission(
                session,
                teacher,
                credential,
                with_evidence=False,
                submitted_at=start + timedelta(minutes=n // 3),
                status="in_review" if in_review and in_review(n) else "submitted",
            )
        )
    return assessor, made


def test_paging_visits_every_waiting_attempt_once_in_order(client, session):
    assessor, made = seed(session)
    sign_in_as(client, assessor)
    pages = walk(client)
    assert [len(row_ids(html)) for html in pages] == [QUEUE_PAGE, QUEUE_PAGE, 25]
    seen = [row for html in pages for row in row_ids(html)]
    assert seen == in_queue_order(made)
    assert "Back to the oldest" not in pages[0]
    for later in pages[1:]:
        assert '<a href="/review" hx-get="/review"' in later
    assert "the end of the queue" in pages[-1] and 'rel="next"' not in pages[-1]


@pytest.mark.parametrize(
    "in_review",
    [
        lambda n: n % 2 == 0,  # the statuses alternate, within a submission time too
        lambda n: n < QUEUE_PAGE + 10,  # the whole first page in review, then mixed
    ],
    ids=["alternating", "oldest-in-review"],
)
def test_both_waiting_statuses_share_one_order(client, session, in_review):
    """SQLite reads each waiting status in order on its own (queue.py): the pages still
    follow one order across both."""
    assessor, made = seed(session, in_review=in_review)
    sign_in_as(client, assessor)
    pages = walk(client)
    assert {s.status for s in made} == {"submitted", "in_review"}
    assert [len(row_ids(html)) for html in pages] == [QUEUE_PAGE, QUEUE_PAGE, 25]
    assert [row for html in pages for row in row_ids(html)] == in_queue_order(made)


def test_pages_as_htmx_fragments_carry_on_the_same_way(client, session):
    assessor, made = seed(session)
    sign_in_as(client, assessor)
    pages = walk(client, **{"HX-Request": "true"})
    assert all("<html" not in html and 'id="review-queue"' in html for html in pages)
    assert [row for html in pages for row in row_ids(html)] == in_queue_order(made)


def test_assigned_to_me_pages_keep_the_filter(client, session):
    assessor, made = seed(session)
    claimed = made[: QUEUE_PAGE + 3]
    for submission in claimed:
        make_review(session, submission, assessor)
    sign_in_as(client, assessor)
    pages = walk(client, "/review?show=mine")
    assert [len(row_ids(html)) for html in pages] == [QUEUE_PAGE, 3]
    assert NEXT.search(pages[0])[1].startswith("/review?show=mine&amp;after=")  # type: ignore[index]
    assert '<a href="/review?show=mine" hx-get="/review?show=mine"' in pages[1]
    assert [row for html in pages for row in row_ids(html)] == in_queue_order(claimed)
    assert all(html.count("Assigned to you</span>") == len(row_ids(html)) for html in pages)


def test_blind_and_double_blind_rows_stay_right_past_the_first_page(client, session):
    assessor, made = seed(session, org_blind=True, pair_every=4)
    sign_in_as(client, assessor)
    pages = walk(client)
    pairs = {s.id for s in made if session.get_one(Credential, s.credential_id).scoring_mode}
    assert 0 < len(pairs) < WAITING
    for html in pages[1:]:
        items = ROW_ITEM.findall(html)
        assert len(items) == len(row_ids(html)) > 0
        for row_id, item in zip(row_ids(html), items, strict=True):
            assert "Named Teacher" not in item and "Elm School" not in item
            assert "Teacher #" in item
            assert ("Double blind" in item) == (row_id in pairs)


@pytest.mark.parametrize("taken", [0, QUEUE_PAGE - 1])
def test_a_row_taken_meanwhile_moves_nothing_else(client, session, taken):
    """Offset pages slid by one when a row before them left the queue (a row skipped);
    a cursor page starts after the last row shown, whatever left before it."""
    assessor, made = seed(session)
    sign_in_as(client, assessor)
    first = client.get("/review").get_data(as_text=True)
    on_first = row_ids(first)
    gone = session.get_one(Submission, on_first[taken])
    make_review(session, gone, make_user(session, "assessor"))  # someone else claims it
    second = row_ids(client.get(unescape(NEXT.search(first)[1])).get_data(as_text=True))  # type: ignore[index]
    assert second == in_queue_order(made)[QUEUE_PAGE : 2 * QUEUE_PAGE]


@pytest.mark.parametrize(
    ("after", "rows"),
    [
        ("", QUEUE_PAGE),  # no cursor: the first page
        ("0001-01-01T00:00:00.000000_1", QUEUE_PAGE),
        ("9999-12-31T23:59:59.999999_2147483647", 0),
    ],
)
def test_a_cursor_at_the_ends_of_time_reaches_every_database(client, session, after, rows):
    assessor, made = seed(session)
    sign_in_as(client, assessor)
    response = client.get("/review", query_string={"after": after})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert row_ids(html) == in_queue_order(made)[:rows]
    assert ("Nothing more is waiting past this point" in html) == (rows == 0)
