"""The in-app inbox: your own notices only, unread marked in words, opening and marking read,
and the unread count in the header."""

import pytest
from sqlmodel import Session

from server.models import Notification
from server.notify.service import send
from tests.support.factories import make_user
from tests.support.web import htmx_headers, post_form, sign_in_as


@pytest.fixture
def db(app):
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        yield session


@pytest.fixture
def people(db):
    me, someone = make_user(db, name="Maya Patel"), make_user(db, name="Ravi Singh")
    send(
        session=db,
        user_id=me.id,
        kind="award",
        title="You earned Working Memory!",
        body="Lovely <em>routine</em>.",
        url="/submissions/7",
    )
    send(
        session=db,
        user_id=me.id,
        kind="not_yet",
        title="Not yet: Motivation",
        body="Show the routine in use.",
        url="/submissions/8",
    )
    send(
        session=db,
        user_id=someone.id,
        kind="award",
        title="Ravi's private notice",
        url="/submissions/9",
    )
    db.commit()
    return me, someone


def _notices(db, user):
    from sqlmodel import select

    db.expire_all()
    return db.exec(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    ).all()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/inbox")
    assert response.status_code == 303 and "/auth/sign-in" in response.headers["Location"]


def test_inbox_lists_only_my_notices_newest_first_with_unread_in_words(client, people):
    me, _ = people
    sign_in_as(client, me)
    html = client.get("/inbox").get_data(as_text=True)
    assert "Ravi&#39;s private notice" not in html and "Ravi's private notice" not in html
    assert html.index("Not yet: Motivation") < html.index("You earned Working Memory!")
    assert html.count(">New</span>") == 2
    assert "Lovely &lt;em&gt;routine&lt;/em&gt;." in html
    assert "Mark all as read" in html


def test_unread_count_appears_in_the_header(client, people):
    me, someone = people
    sign_in_as(client, me)
    html = client.get("/").get_data(as_text=True)
    assert 'href="/inbox"' in html and 'aria-label="2 unread">2</span>' in html
    sign_in_as(client, someone)
    assert 'aria-label="1 unread">1</span>' in client.get("/").get_data(as_text=True)


def test_opening_a_notice_marks_it_read_and_goes_to_its_page(client, db, people):
    me, _ = people
    sign_in_as(client, me)
    first = _notices(db, me)[0]
    response = post_form(client, f"/inbox/{first.id}/open")
    assert response.status_code == 303
    assert response.headers["Location"] == "/submissions/7"
    assert [n.read_at is not None for n in _notices(db, me)] == [True, False]
    assert 'aria-label="1 unread"' in client.get("/").get_data(as_text=True)


def test_someone_elses_notice_is_not_found_and_stays_unread(client, db, people):
    me, someone = people
    sign_in_as(client, me)
    theirs = _notices(db, someone)[0]
    assert post_form(client, f"/inbox/{theirs.id}/open").status_code == 404
    assert post_form(client, "/inbox/99999/open").status_code == 404
    assert _notices(db, someone)[0].read_at is None


def test_mark_all_as_read(client, db, people):
    me, someone = people
    sign_in_as(client, me)
    response = post_form(client, "/inbox/read-all")
    assert response.status_code == 303 and response.headers["Location"].endswith("/inbox")
    assert all(n.read_at for n in _notices(db, me))
    assert _notices(db, someone)[0].read_at is None
    html = client.get("/inbox").get_data(as_text=True)
    assert ">New</span>" not in html and "count-badge" not in html


@pytest.mark.parametrize("path", ["/inbox/read-all", "/inbox/1/open"])
def test_csrf_is_enforced(client, db, people, path):
    me, _ = people
    sign_in_as(client, me)
    assert client.post(path).status_code == 400
    assert not any(n.read_at for n in _notices(db, me))


@pytest.mark.parametrize("path", ["/inbox/read-all", "/inbox/1/open"])
def test_anonymous_posts_are_sent_to_sign_in(client, people, path):
    response = post_form(client, path)
    assert response.status_code == 303 and "/auth/sign-in" in response.headers["Location"]


def test_empty_inbox_says_so(client, db):
    sign_in_as(client, make_user(db))
    assert "No notices yet" in client.get("/inbox").get_data(as_text=True)


def test_htmx_gets_the_list_fragment(client, people):
    me, _ = people
    sign_in_as(client, me)
    response = client.get("/inbox", headers=htmx_headers())
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="inbox"' in html and "Motivation" in html


def test_a_notice_url_off_site_is_never_followed(client, db):
    me = make_user(db)
    notice = send(session=db, user_id=me.id, kind="x", title="Odd", url="//evil.example/x")
    db.commit()
    sign_in_as(client, me)
    response = post_form(client, f"/inbox/{notice.id}/open")
    assert response.status_code == 303 and "evil" not in response.headers["Location"]
