"""Appeal: one second opinion after "not yet", from another assessor, blind to the first
decision, final and recorded; two filings at once make exactly one appeal."""

import threading

import pytest
from sqlmodel import Session, select

from server.errors import Conflict, Forbidden, InvalidInput
from server.models import Appeal, Award, Credential, Submission, User
from server.review import appeals
from server.review.service import claim, decide, history, queue, review_page
from tests.support.appeal_data import FIRST_FEEDBACK, not_yet_world
from tests.support.factories import make_submission, make_user

pytestmark = pytest.mark.usefixtures("app")  # awards are signed with the app's settings


def _not_yet_world(session):
    world = not_yet_world(session)
    return world.submission, world.teacher, world.first, world.second, world.scores


def _file(session, submission, teacher, reason="The rubric's part 2 is in my second photo."):
    appeal = appeals.file_appeal(
        session=session, submission=submission, user=teacher, reason=reason
    )
    session.commit()
    return appeal


def test_appeal_goes_to_another_assessor_blind_and_an_award_is_final(session):
    submission, teacher, first, second, scores = _not_yet_world(session)
    appeal = _file(session, submission, teacher)
    assert (submission.status, appeal.first_assessor_id, appeal.outcome) == (
        "submitted",
        first.id,
        None,
    )
    # The first assessor neither sees it in the queue nor can claim or decide it.
    assert [row.submission_id for row in queue(session=session, assessor=first)] == []
    with pytest.raises(Forbidden, match="another assessor"):
        claim(session=session, assessor=first, submission_id=submission.id, lease_hours=4)
    rows = queue(session=session, assessor=second)
    assert [(row.submission_id, row.second_opinion) for row in rows] == [(submission.id, True)]
    # Blind: the second assessor's page shows nothing of the first decision.
    page = review_page(session=session, viewer=second, submission_id=submission.id)
    assert page.second_opinion and page.can_decide
    assert FIRST_FEEDBACK not in repr(page.past) and page.past == []
    claim(session=session, assessor=second, submission_id=submission.id, lease_hours=4)
    decide(
        session=session,
        assessor=second,
        submission_id=submission.id,
        decision="award",
        scores=scores,
        feedback="All there.",
    )
    session.commit()
    session.refresh(appeal)
    assert (appeal.outcome, appeal.second_assessor_id) == ("awarded", second.id)
    assert appeal.decided_at is not None
    assert session.get(Submission, submission.id).status == "awarded"
    assert session.exec(select(Award).where(Award.submission_id == submission.id)).one()


def test_a_second_not_yet_is_final_and_there_is_no_second_appeal(session):
    submission, teacher, _first, second, scores = _not_yet_world(session)
    appeal = _file(session, submission, teacher)
    decide(
        session=session,
        assessor=second,
        submission_id=submission.id,
        decision="not_yet",
        scores={cid: (False, "") for cid in scores},
        feedback="Still missing the reflection.",
    )
    session.commit()
    session.refresh(appeal)
    assert (appeal.outcome, submission.status) == ("not_yet", "not_yet")
    with pytest.raises(Conflict, match="only once"):
        appeals.file_appeal(session=session, submission=submission, user=teacher, reason="Again")
    session.rollback()
    assert len(session.exec(select(Appeal)).all()) == 1


@pytest.mark.parametrize(
    ("reason", "message"),
    [("   ", "Say why"), ("x" * (appeals.REASON_LIMIT + 1), "under 2,000 characters")],
)
def test_a_reason_is_required_and_bounded(session, reason, message):
    submission, teacher, *_ = _not_yet_world(session)
    with pytest.raises(InvalidInput, match=message) as err:
        appeals.file_appeal(session=session, submission=submission, user=teacher, reason=reason)
    assert err.value.field == "reason"
    session.rollback()
    assert session.get(Submission, submission.id).status == "not_yet"
    assert session.exec(select(Appeal)).all() == []


def test_only_the_owner_of_the_latest_not_yet_may_appeal(session):
    submission, teacher, first, *_ = _not_yet_world(session)
    with pytest.raises(Forbidden):
        appeals.file_appeal(session=session, submission=submission, user=first, reason="Mine")
    make_submission(
        session, teacher, session.get_one(Credential, submission.credential_id), status="draft"
    )
    with pytest.raises(Conflict, match="newer attempt"):
        appeals.file_appeal(session=session, submission=submission, user=teacher, reason="Late")


def test_two_filings_at_once_make_exactly_one_appeal(engine):
    with Session(engine, expire_on_commit=False) as session:
        submission, teacher, *_ = _not_yet_world(session)
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def run(reason):
        with Session(engine, expire_on_commit=False) as session:
            mine = session.get_one(Submission, submission.id)
            user = session.get_one(User, teacher.id)
            barrier.wait()
            try:
                appeals.file_appeal(session=session, submission=mine, user=user, reason=reason)
                session.commit()
                outcomes.append("filed")
            except Exception as err:  # recorded so the assertion shows it
                session.rollback()
                outcomes.append(err)

    threads = [threading.Thread(target=run, args=(f"Reason {n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("filed") == 1, outcomes
    loser = next(o for o in outcomes if o != "filed")
    assert isinstance(loser, Conflict), outcomes
    with Session(engine) as session:
        assert len(session.exec(select(Appeal)).all()) == 1
        stored = session.get_one(Submission, submission.id)
        assert (stored.status, stored.version) == ("submitted", submission.version + 1)


def test_an_admin_history_hides_the_first_decision_until_the_second_opinion(session):
    submission, teacher, *_ = _not_yet_world(session)
    admin = make_user(session, "admin", org_id=teacher.org_id)
    assert [row.decision for row in history(session=session, assessor=admin)] == ["not_yet"]
    _file(session, submission, teacher)
    assert history(session=session, assessor=admin) == []
