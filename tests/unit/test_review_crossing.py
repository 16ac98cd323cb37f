"""Two assessors deciding each other's attempts at the same moment both succeed.

Each decision pays the teacher and the assessor, so the two transactions touch the same
two people's point totals in opposite orders — a deadlock on PostgreSQL unless the totals
are locked in one agreed order first."""

import threading

import pytest
from sqlmodel import Session, select

from server.models import Award, User
from server.review.service import decide
from tests.support.factories import appoint, make_credential, make_submission, make_user
from tests.support.review_data import all_met

# Awards are signed as Open Badges with the app's issuer settings.
pytestmark = pytest.mark.usefixtures("app")

ROUNDS = 8


def _decide_both(engine, pairs, scores) -> dict:
    barrier = threading.Barrier(len(pairs))
    errors: dict[int, Exception] = {}

    def run(assessor_id, submission_id):
        with Session(engine, expire_on_commit=False) as session:
            assessor = session.get(User, assessor_id)
            barrier.wait()
            try:
                decide(
                    session=session,
                    assessor=assessor,
                    submission_id=submission_id,
                    decision="award",
                    scores=scores,
                    feedback="",
                )
                session.commit()
            except Exception as err:  # recorded so the assertion names it
                session.rollback()
                errors[assessor_id] = err

    threads = [threading.Thread(target=run, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_crossing_decisions_never_deadlock(engine):
    with Session(engine, expire_on_commit=False) as session:
        first = make_user(session, "assessor", name="Jordan Lee")
        second = make_user(session, "assessor", name="Riley Chen")
        rounds = []
        for n in range(ROUNDS):
            credential = make_credential(session, title=f"Crossing {n}", criteria=1)
            appoint(session, first, credential)
            appoint(session, second, credential)
            mine = make_submission(session, first, credential)
            theirs = make_submission(session, second, credential)
            rounds.append(
                ([(second.id, mine.id), (first.id, theirs.id)], all_met(session, credential))
            )
    for pairs, scores in rounds:
        assert _decide_both(engine, pairs, scores) == {}
    with Session(engine) as session:
        assert len(session.exec(select(Award)).all()) == 2 * ROUNDS
