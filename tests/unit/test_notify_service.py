"""Inbox service: counts, ownership, marking read."""

import pytest

from server.errors import NotFound
from server.notify.service import inbox, mark_all_read, open_notice, send, unread_count
from tests.support.factories import make_user


def test_send_then_count_then_read(session):
    me, other = make_user(session), make_user(session)
    for n in range(3):
        send(session=session, user_id=me.id, kind="k", title=f"Notice {n}")
    send(session=session, user_id=other.id, kind="k", title="Not mine")
    session.commit()
    assert unread_count(session=session, user_id=me.id) == 3
    titles = [n.title for n in inbox(session=session, user_id=me.id)]
    assert titles == ["Notice 2", "Notice 1", "Notice 0"]
    first = inbox(session=session, user_id=me.id)[-1]
    open_notice(session=session, user_id=me.id, notice_id=first.id)
    session.commit()
    assert unread_count(session=session, user_id=me.id) == 2
    assert mark_all_read(session=session, user_id=me.id) == 2
    session.commit()
    assert unread_count(session=session, user_id=me.id) == 0
    assert unread_count(session=session, user_id=other.id) == 1


def test_opening_someone_elses_notice_is_not_found(session):
    me, other = make_user(session), make_user(session)
    theirs = send(session=session, user_id=other.id, kind="k", title="Theirs")
    session.commit()
    with pytest.raises(NotFound):
        open_notice(session=session, user_id=me.id, notice_id=theirs.id)
