"""Two assessors award the last two credentials of one teacher's stack at the same moment,
each on its own connection: exactly one stack credential is issued (not none, not two)."""

import pytest
from sqlmodel import Session, select

from server.models import StackAward, User
from server.review.service import decide
from tests.support.factories import appoint, make_credential, make_stack, make_submission, make_user
from tests.support.review_data import all_met
from tests.unit.test_review_concurrency import _race

pytestmark = pytest.mark.usefixtures("app")


def test_two_concurrent_completions_issue_one_stack_credential(engine):
    with Session(engine, expire_on_commit=False) as session:
        stack = make_stack(session)
        teacher = make_user(session)
        work = {}
        for title in ("First", "Second"):
            credential = make_credential(session, stack=stack, title=title)
            assessor = make_user(session, "assessor")
            appoint(session, assessor, credential)
            submission = make_submission(session, teacher, credential)
            work[assessor.id] = (submission.id, all_met(session, credential))

    def award(session, assessor: User):
        submission_id, scores = work[assessor.id]
        decide(
            session=session,
            assessor=assessor,
            submission_id=submission_id,
            decision="award",
            scores=scores,
            feedback="Well evidenced.",
        )

    outcomes = _race(engine, list(work), award)
    assert set(outcomes.values()) == {"won"}, outcomes
    with Session(engine) as session:
        assert len(session.exec(select(StackAward)).all()) == 1
