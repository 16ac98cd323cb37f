"""The assessor's queue: who sees what, in which order, and under which name."""

from datetime import datetime, timedelta, timezone

import pytest

from server.errors import InvalidInput
from server.models import utcnow
from server.review import queue_cursor
from server.review.blind import pseudonym
from server.review.queue import waiting_text
from server.review.queue_cursor import QueueCursor
from server.review.service import claim, history, queue
from tests.support.factories import (
    appoint,
    make_award,
    make_credential,
    make_org,
    make_review,
    make_submission,
    make_user,
)


def _ids(rows):
    return [row.submission_id for row in rows]


def test_appointed_assessor_sees_waiting_submissions_oldest_first(session):
    credential = make_credential(session)
    assessor = make_user(session, "assessor")
    appoint(session, assessor, credential)
    now = utcnow()
    newer = make_submission(
        session, make_user(session), credential, submitted_at=now - timedelta(hours=2)
    )
    older = make_submission(
        session, make_user(session), credential, submitted_at=now - timedelta(days=3)
    )
    rows = queue(session=session, assessor=assessor, now=now)
    assert _ids(rows) == [older.id, newer.id]
    assert rows[0].waiting == "waiting 3 days"
    assert rows[1].waiting == "waiting 2 hours"


def test_unqualified_assessor_sees_nothing(session):
    credential = make_credential(session)
    other = make_credential(session)  # a different stack
    assessor = make_user(session, "assessor")
    appoint(session, assessor, other)
    make_submission(session, make_user(session), credential)
    assert queue(session=session, assessor=assessor) == []


def test_earning_a_credential_qualifies_its_reviewer(session):
    credential = make_credential(session)
    earner = make_user(session, "teacher", "assessor")
    make_award(session, earner, credential)
    waiting = make_submission(session, make_user(session), credential)
    assert _ids(queue(session=session, assessor=earner)) == [waiting.id]


def test_own_submissions_never_appear_even_for_admins(session):
    credential = make_credential(session)
    admin = make_user(session, "admin", "teacher")
    make_submission(session, admin, credential)
    someone_else = make_submission(session, make_user(session), credential)
    assert _ids(queue(session=session, assessor=admin)) == [someone_else.id]


def test_drafts_and_decided_attempts_are_not_in_the_queue(session):
    credential = make_credential(session)
    assessor = make_user(session, "assessor")
    appoint(session, assessor, credential)
    for status in ("draft", "awarded", "not_yet", "withdrawn"):
        make_submission(session, make_user(session), credential, status=status)
    assert queue(session=session, assessor=assessor) == []


def test_live_lease_hides_a_submission_from_others_but_not_its_holder(session):
    credential = make_credential(session)
    holder, other = make_user(session, "assessor"), make_user(session, "assessor")
    appoint(session, holder, credential)
    appoint(session, other, credential)
    submission = make_submission(session, make_user(session), credential)
    now = utcnow()
    make_review(session, submission, holder, now=now)
    assert queue(session=session, assessor=other, now=now) == []
    rows = queue(session=session, assessor=holder, now=now)
    assert _ids(rows) == [submission.id] and rows[0].mine
    assert _ids(queue(session=session, assessor=holder, only_mine=True, now=now)) == [submission.id]
    assert queue(session=session, assessor=other, only_mine=True, now=now) == []


def test_expired_lease_puts_it_back_for_everyone_and_can_be_reclaimed(session):
    credential = make_credential(session)
    holder, other = make_user(session, "assessor"), make_user(session, "assessor")
    appoint(session, holder, credential)
    appoint(session, other, credential)
    submission = make_submission(session, make_user(session), credential)
    start = utcnow()
    claim(session=session, assessor=holder, submission_id=submission.id, lease_hours=48, now=start)
    session.commit()
    later = start + timedelta(hours=49)
    rows = queue(session=session, assessor=other, now=later)
    assert _ids(rows) == [submission.id] and not rows[0].mine
    assert queue(session=session, assessor=holder, only_mine=True, now=later) == []
    review = claim(
        session=session, assessor=other, submission_id=submission.id, lease_hours=48, now=later
    )
    session.commit()
    assert review.assessor_id == other.id
    assert _ids(queue(session=session, assessor=other, only_mine=True, now=later)) == [
        submission.id
    ]


def test_names_and_schools_show_unless_blind(session):
    credential = make_credential(session)
    assessor = make_user(session, "assessor")
    appoint(session, assessor, credential)
    teacher = make_user(session, name="Maya Patel", school="Lincoln Elementary")
    make_submission(session, teacher, credential)
    row = queue(session=session, assessor=assessor)[0]
    assert (row.teacher, row.school) == ("Maya Patel", "Lincoln Elementary")


def test_blind_when_the_teachers_district_asks(session):
    credential = make_credential(session)
    blind_org = make_org(session, blind_review=True)
    assessor = make_user(session, "assessor", org_id=blind_org.id)
    appoint(session, assessor, credential)
    teacher = make_user(session, name="Maya Patel", school="Lincoln", org_id=blind_org.id)
    make_submission(session, teacher, credential)
    make_submission(session, teacher, credential)
    rows = queue(session=session, assessor=assessor, blind_key="k")
    expected = f"Teacher #{pseudonym(teacher.id, 'k')}"
    assert [(r.teacher, r.school) for r in rows] == [(expected, None)] * 2  # stable


def test_blind_when_the_assessors_district_asks(session):
    credential = make_credential(session)
    district = make_org(session, blind_review=True)
    assessor = make_user(session, "assessor", org_id=district.id)
    appoint(session, assessor, credential)
    first = make_user(session, name="Maya Patel", org_id=district.id)
    second = make_user(session, name="Ravi Singh", org_id=district.id)
    make_submission(session, first, credential)
    make_submission(session, second, credential)
    labels = [row.teacher for row in queue(session=session, assessor=assessor)]
    assert all(label.startswith("Teacher #") for label in labels)
    assert len(set(labels)) == 2 and "Maya Patel" not in labels


def test_pseudonym_depends_on_the_key():
    assert pseudonym(7, "a") == pseudonym(7, "a")
    assert pseudonym(7, "a") != pseudonym(7, "b")
    assert pseudonym(7, "a") != pseudonym(8, "a")


def test_waiting_text_reads_naturally():
    now = utcnow()
    assert waiting_text(now - timedelta(seconds=5), now) == "waiting less than a minute"
    assert waiting_text(now - timedelta(minutes=1), now) == "waiting 1 minute"
    assert waiting_text(now - timedelta(days=1, hours=3), now) == "waiting 1 day"


def test_history_lists_my_decisions_newest_first(session):
    from server.review.service import decide
    from tests.support.review_data import all_met

    credential = make_credential(session)
    assessor, admin = make_user(session, "assessor"), make_user(session, "admin")
    appoint(session, assessor, credential)
    first = make_submission(session, make_user(session), credential)
    second = make_submission(session, make_user(session), credential)
    now = utcnow()
    for offset, submission in enumerate((first, second)):
        decide(
            session=session,
            assessor=assessor,
            submission_id=submission.id,
            decision="award",
            scores=all_met(session, credential),
            feedback="",
            now=now + timedelta(minutes=offset),
        )
        session.commit()
    rows = history(session=session, assessor=assessor)
    assert [r.submission_id for r in rows] == [second.id, first.id]
    assert rows[0].decision == "awarded"
    assert len(history(session=session, assessor=admin)) == 2
    assert history(session=session, assessor=make_user(session, "assessor")) == []


def test_an_award_without_the_role_or_another_district_queues_nothing(session):
    credential = make_credential(session)
    home, away = make_org(session), make_org(session)
    earner = make_user(session, "teacher", org_id=home.id)
    far_assessor = make_user(session, "assessor", org_id=away.id)
    far_admin = make_user(session, "admin", org_id=away.id)
    appoint(session, far_assessor, credential)
    make_award(session, earner, credential)
    make_submission(session, make_user(session, org_id=home.id), credential)
    for viewer in (earner, far_assessor, far_admin):
        assert queue(session=session, assessor=viewer) == []


def test_a_page_after_a_cursor_starts_past_it_ties_broken_by_id(session):
    credential = make_credential(session)
    assessor = make_user(session, "assessor")
    appoint(session, assessor, credential)
    at = utcnow() - timedelta(days=1)
    tied = [
        make_submission(session, make_user(session), credential, submitted_at=at) for _ in range(3)
    ]
    later = make_submission(
        session, make_user(session), credential, submitted_at=at + timedelta(microseconds=1)
    )
    everything = queue(session=session, assessor=assessor)
    assert _ids(everything) == [*(s.id for s in tied), later.id]
    cursor = QueueCursor(everything[1].submitted_at, everything[1].submission_id)
    assert _ids(queue(session=session, assessor=assessor, after=cursor)) == [tied[2].id, later.id]
    assert _ids(queue(session=session, assessor=assessor, after=cursor, limit=1)) == [tied[2].id]


def test_a_cursor_reads_back_what_it_wrote_in_utc():
    eastern = timezone(timedelta(hours=-5))
    cursor = QueueCursor(datetime(2026, 3, 1, 4, 30, 0, 7, tzinfo=eastern), 42)
    assert cursor.token() == "2026-03-01T09:30:00.000007_42"
    assert queue_cursor.parse(cursor.token()) == cursor
    assert queue_cursor.parse(None) is None and queue_cursor.parse("") is None
    with pytest.raises(InvalidInput):
        queue_cursor.parse("2026-03-01T09:30:00.000007_42 ")
