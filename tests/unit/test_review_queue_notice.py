"""Assessors hear about new submissions in their queue: qualified ones only, at most once
an hour each."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from server.models import Notification
from server.notify import service as notify
from tests.support.factories import appoint, make_award, make_credential, make_submission, make_user


@pytest.fixture(autouse=True)
def app_context(app):
    with app.app_context():  # pushes are queued on the app's job backend
        yield


def told(session) -> list[tuple[int, str]]:
    return [
        (n.user_id, n.body)
        for n in session.exec(
            select(Notification)
            .where(Notification.kind == notify.REVIEW_QUEUE_KIND)
            .order_by(Notification.id)
        )
    ]


def test_only_qualified_assessors_are_told_and_never_the_submitter(session):
    credential = make_credential(session, title="Working Memory")
    other_stack_credential = make_credential(session)
    appointed = make_user(session, "assessor")
    appoint(session, appointed, credential)
    elsewhere = make_user(session, "assessor")
    appoint(session, elsewhere, other_stack_credential)
    admin = make_user(session, "admin")
    earner = make_user(session, "assessor")
    teacher = make_user(session, "teacher")
    session.commit()
    make_award(session, earner, credential)
    # An admin submitting their own work is not told about it.
    own = make_submission(session, admin, credential)

    assert notify.notify_assessors_of_new_submission(session=session, submission=own) == 2
    session.commit()
    assert sorted(user for user, _ in told(session)) == sorted([appointed.id, earner.id])
    assert teacher.id not in {user for user, _ in told(session)}
    assert told(session)[0][1] == "Working Memory is waiting for a reviewer."


def test_at_most_one_notice_an_hour(session):
    credential = make_credential(session)
    assessor = make_user(session, "assessor")
    appoint(session, assessor, credential)
    session.commit()
    first = make_submission(session, make_user(session), credential)
    second = make_submission(session, make_user(session), credential)

    notify.notify_assessors_of_new_submission(session=session, submission=first)
    session.commit()
    assert notify.notify_assessors_of_new_submission(session=session, submission=second) == 0
    session.commit()
    assert len(told(session)) == 1

    notice = session.exec(select(Notification)).one()
    notice.created_at = notice.created_at - timedelta(minutes=61)
    session.add(notice)
    session.commit()
    assert notify.notify_assessors_of_new_submission(session=session, submission=second) == 1
