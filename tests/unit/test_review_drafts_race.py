"""Two saves of a first scoring draft at the same moment, each on its own connection (two
tabs of the same assessor): both succeed, one row remains, holding one of the two."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from server.models import ScoringDraft, User
from server.review import drafts
from tests.support.factories import (
    appoint,
    make_credential,
    make_review,
    make_submission,
    make_user,
)
from tests.support.threads import run_at_once

RACERS = 4


def test_simultaneous_first_saves_keep_one_draft(engine, session):
    credential = make_credential(session, criteria=1)
    assessor = make_user(session, "assessor")
    appoint(session, assessor, credential)
    submission = make_submission(session, make_user(session), credential)
    make_review(session, submission, assessor)
    outcomes: list[object] = []

    def run(barrier):
        with Session(engine, expire_on_commit=False) as db:
            viewer = db.get_one(User, assessor.id)
            feedback = f"tab {len(outcomes)}-{id(barrier)}"
            barrier.wait()
            try:
                drafts.save(
                    session=db,
                    viewer=viewer,
                    submission_id=submission.id,
                    data={"scores": {}, "feedback": feedback},
                )
                db.commit()
                outcomes.append(feedback)
            except Exception as err:  # recorded so the assertion shows it
                db.rollback()
                outcomes.append(err)

    run_at_once(RACERS, run)
    assert all(isinstance(o, str) for o in outcomes), outcomes
    with Session(engine) as db:
        [row] = db.exec(select(ScoringDraft)).all()
        assert json.loads(row.data)["feedback"].startswith("tab ")
