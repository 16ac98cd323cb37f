"""What keeps key pages cheap at district scale (issue 14), asserted as behaviour, never
timing: the review queue pages by 50, public catalog pages are cached per catalog version
with ETag/304 (and change when the catalog does), GET /me writes nothing."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import event
from sqlmodel import Session

from server.models import Credential, User, UserPoints, utcnow
from server.review.queue import QUEUE_PAGE
from tests.support.factories import appoint, make_credential, make_org, make_submission, make_user
from tests.support.web import sign_in_as

QUEUE_ITEM = 'class="card review-queue-item"'
NEXT = re.compile(r'<a href="([^"]+)" rel="next"')


# --- the review queue --------------------------------------------------------------------


@pytest.fixture
def queue_world(engine):
    with Session(engine, expire_on_commit=False) as session:
        org = make_org(session)
        credential = make_credential(session)
        assessor = make_user(session, "assessor", org_id=org.id)
        appoint(session, assessor, credential)
        start = utcnow() - timedelta(days=30)
        for n in range(QUEUE_PAGE + 5):
            make_submission(
                session,
                make_user(session, org_id=org.id, name=f"Teacher {n:03d}"),
                credential,
                submitted_at=start + timedelta(minutes=n),
            )
        return assessor


def test_queue_shows_one_page_of_the_oldest_and_links_the_next(client, queue_world):
    sign_in_as(client, queue_world)
    html = client.get("/review").get_data(as_text=True)
    assert html.count(QUEUE_ITEM) == QUEUE_PAGE
    assert "Teacher 000" in html and f"Teacher {QUEUE_PAGE - 1:03d}" in html
    assert f"Teacher {QUEUE_PAGE:03d}" not in html
    assert f"The {QUEUE_PAGE} oldest submissions waiting; more follow" in html
    assert "Back to the oldest" not in html
    [href] = NEXT.findall(html)
    assert href.startswith("/review?after=")

    second = client.get(unescape(href)).get_data(as_text=True)
    assert second.count(QUEUE_ITEM) == 5
    assert f"Teacher {QUEUE_PAGE:03d}" in second and "Teacher 000" not in second
    assert "5 later submissions waiting, oldest first: the end of the queue" in second
    assert '<a href="/review" hx-get="/review"' in second and "Back to the oldest" in second
    assert 'rel="next"' not in second


def test_queue_page_fragment_for_htmx(client, queue_world):
    sign_in_as(client, queue_world)
    [href] = NEXT.findall(client.get("/review").get_data(as_text=True))
    response = client.get(unescape(href), headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.count(QUEUE_ITEM) == 5
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize("page", ["1", "2", "0", "-1", "abc", "1001", "99999999999999999999"])
def test_an_old_page_link_answers_the_first_page(client, queue_world, page):
    """Offset pages are gone (review/queue_cursor.py): a bookmarked ?page= is the start."""
    sign_in_as(client, queue_world)
    html = client.get(f"/review?page={page}").get_data(as_text=True)
    assert html.count(QUEUE_ITEM) == QUEUE_PAGE and "Teacher 000" in html


def test_a_cursor_past_the_end_is_empty_not_an_error(client, queue_world):
    sign_in_as(client, queue_world)
    response = client.get("/review?after=2999-01-01T00:00:00.000000_1")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and QUEUE_ITEM not in html
    assert "Nothing more is waiting past this point" in html and 'href="/review"' in html


# --- public catalog pages: cached per version, ETag/304 -----------------------------------


@pytest.fixture
def credential(engine) -> Credential:
    with Session(engine, expire_on_commit=False) as session:
        return make_credential(session, title="Think-Pair-Share")


def _csrf(html: str) -> str:
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    assert match
    return match.group(1)


@pytest.mark.parametrize("kind", ["stack", "credential"])
def test_anonymous_catalog_page_revalidates_with_304(client, credential, kind):
    path = (
        f"/credentials/{credential.slug}"
        if kind == "credential"
        else f"/stacks/{_stack_slug(client, credential)}"
    )
    first = client.get(path)
    assert first.status_code == 200 and "Think-Pair-Share" in first.get_data(as_text=True)
    etag = first.headers["ETag"]
    assert etag.startswith('W/"') and first.headers["Cache-Control"] == "no-cache"
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag
    # The kept page still carries this browser's own CSRF token, never a placeholder.
    html = client.get(path).get_data(as_text=True)
    assert "\x00" not in html and _csrf(html)


def _stack_slug(client, credential: Credential) -> str:
    from server.models import Stack

    with client.application.app_context():
        from server.db import get_session

        return get_session().get_one(Stack, credential.stack_id).slug


def test_a_catalog_change_invalidates_the_kept_page(client, engine, credential):
    path = f"/credentials/{credential.slug}"
    etag = client.get(path).headers["ETag"]
    with Session(engine) as session:
        row = session.get_one(Credential, credential.id)
        row.title = "Think-Pair-Share, revised"
        session.add(row)
        session.commit()
    response = client.get(path, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "Think-Pair-Share, revised" in response.get_data(as_text=True)
    assert response.headers["ETag"] != etag


def test_two_visitors_get_their_own_csrf_token_from_the_kept_page(app, credential):
    path = f"/credentials/{credential.slug}"
    one, two = app.test_client(), app.test_client()
    first = _csrf(one.get(path).get_data(as_text=True))
    second = _csrf(two.get(path).get_data(as_text=True))
    assert first != second
    with two.session_transaction() as flask_session:
        assert flask_session.get("csrf_token")  # the token two's page carries is two's


def test_signed_in_catalog_page_is_personal_and_never_kept(client, engine, credential):
    path = f"/credentials/{credential.slug}"
    anonymous = client.get(path)
    with Session(engine, expire_on_commit=False) as session:
        teacher = make_user(session)
        make_submission(session, teacher, credential)
    sign_in_as(client, teacher)
    response = client.get(path, headers={"If-None-Match": anonymous.headers["ETag"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "View your submission" in html
    assert "ETag" not in response.headers
    assert response.headers["Cache-Control"] == "private, no-store"


def test_a_flash_message_is_not_kept_in_the_page(client, credential):
    path = f"/credentials/{credential.slug}"
    with client.session_transaction() as flask_session:
        flask_session["_flashes"] = [("success", "Only for you.")]
    assert "Only for you." in client.get(path).get_data(as_text=True)
    assert "Only for you." not in client.get(path).get_data(as_text=True)


def test_unknown_slug_is_still_404(client, credential):
    assert client.get("/credentials/no-such-thing").status_code == 404
    assert client.get("/stacks/no-such-thing").status_code == 404


# --- GET /me writes nothing ---------------------------------------------------------------


def _count_writes(engine):
    writes: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        if statement.lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            writes.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    return writes, lambda: event.remove(engine, "before_cursor_execute", note)


def test_progress_page_writes_nothing_on_get(app, client, engine):
    with Session(engine, expire_on_commit=False) as session:
        teacher = make_user(session)
        session.add(UserPoints(user_id=teacher.id, total=40))
        session.commit()
    sign_in_as(client, teacher)
    assert client.get("/me").status_code == 200  # the session's first touch may write
    writes, stop = _count_writes(app.extensions["db_engine"])
    try:
        for _ in range(3):
            assert client.get("/me").status_code == 200
    finally:
        stop()
    assert writes == []


def test_progress_page_celebrates_a_new_level_once(app, client, engine):
    with Session(engine, expire_on_commit=False) as session:
        teacher = make_user(session)
        session.add(UserPoints(user_id=teacher.id, total=300, seen_level=1))
        session.commit()
    sign_in_as(client, teacher)
    assert "You reached level 2" in client.get("/me").get_data(as_text=True)
    writes, stop = _count_writes(app.extensions["db_engine"])
    try:
        assert "You reached level" not in client.get("/me").get_data(as_text=True)
    finally:
        stop()
    assert writes == []
    with Session(engine) as session:
        assert session.get_one(UserPoints, teacher.id).seen_level == 2
    assert isinstance(teacher, User)
