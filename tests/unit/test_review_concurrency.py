"""Two assessors at once, each on their own connection: exactly one claim and exactly one
decision win; the other gets a Conflict (never a second decision, never a crash)."""

import threading

import pytest
from sqlmodel import Session, select

from server.errors import Conflict
from server.models import Award, Notification, Review, Submission, User
from server.review.service import claim, decide
from tests.support.factories import appoint, make_credential, make_submission, make_user
from tests.support.review_data import all_met

# Awards are signed as Open Badges with the app's issuer settings.
pytestmark = pytest.mark.usefixtures("app")


def _setup(engine):
    with Session(engine, expire_on_commit=False) as session:
        credential = make_credential(session, title="Equivalence")
        first = make_user(session, "assessor", name="Jordan Lee")
        second = make_user(session, "assessor", name="Riley Chen")
        appoint(session, first, credential)
        appoint(session, second, credential)
        submission = make_submission(session, make_user(session), credential)
        scores = all_met(session, credential)
        return submission.id, [first.id, second.id], scores


def _race(engine, assessor_ids, action):
    """Run `action(session, assessor)` for each assessor in its own thread, started together."""
    barrier = threading.Barrier(len(assessor_ids))
    outcomes: dict[int, object] = {}

    def run(assessor_id):
        with Session(engine, expire_on_commit=False) as session:
            assessor = session.get(User, assessor_id)
            barrier.wait()
            try:
                action(session, assessor)
                session.commit()
                outcomes[assessor_id] = "won"
            except Conflict as err:
                session.rollback()
                outcomes[assessor_id] = err
            except Exception as err:  # recorded so the assertion shows it
                session.rollback()
                outcomes[assessor_id] = err

    threads = [threading.Thread(target=run, args=(a,)) for a in assessor_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _one_winner(outcomes):
    winners = [a for a, outcome in outcomes.items() if outcome == "won"]
    losers = [outcome for outcome in outcomes.values() if outcome != "won"]
    assert len(winners) == 1, outcomes
    assert len(losers) == 1 and isinstance(losers[0], Conflict), outcomes
    return winners[0], losers[0]


def test_two_concurrent_decisions_exactly_one_wins(engine):
    submission_id, assessors, scores = _setup(engine)
    outcomes = _race(
        engine,
        assessors,
        lambda session, assessor: decide(
            session=session,
            assessor=assessor,
            submission_id=submission_id,
            decision="award",
            scores=scores,
            feedback="Well evidenced.",
        ),
    )
    winner, conflict = _one_winner(outcomes)
    with Session(engine) as session:
        winner_name = session.get(User, winner).display_name
        assert f"Already decided by {winner_name} at" in conflict.message
        assert session.get(Submission, submission_id).status == "awarded"
        assert len(session.exec(select(Award)).all()) == 1
        decided = session.exec(select(Review).where(Review.decision.is_not(None))).all()
        assert [r.assessor_id for r in decided] == [winner]
        decision_notices = session.exec(
            select(Notification.kind).where(Notification.kind.in_(["award", "not_yet"]))
        ).all()
        assert decision_notices == ["award"]


def test_two_concurrent_claims_exactly_one_wins(engine):
    submission_id, assessors, _ = _setup(engine)
    outcomes = _race(
        engine,
        assessors,
        lambda session, assessor: claim(
            session=session, assessor=assessor, submission_id=submission_id, lease_hours=48
        ),
    )
    winner, conflict = _one_winner(outcomes)
    with Session(engine) as session:
        winner_name = session.get(User, winner).display_name
        assert conflict.message == f"{winner_name} is already reviewing this."
        reviews = session.exec(select(Review)).all()
        assert [r.assessor_id for r in reviews] == [winner]
        assert session.get(Submission, submission_id).status == "in_review"
