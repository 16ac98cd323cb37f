"""Hidden items at the service level: ids from the submission id space (also on a database
that never had a submission), one decision when several arrive at once, and a lease that
lapses as a live attempt's does."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlmodel import Session, func, select

from server.admin import settings as district_settings
from server.errors import Conflict
from server.models import (
    AssessorQualification,
    CalibrationAttempt,
    CalibrationScore,
    HiddenItem,
    User,
    utcnow,
)
from server.review import decide, drafts, hidden, hidden_rows, service
from tests.support.calibration_data import make_calibration_world
from tests.support.factories import make_credential, make_review, make_submission, make_user
from tests.support.threads import run_at_once

RACERS = 4


def test_ids_come_from_the_submission_id_space(session):
    first = hidden.allocate_id(session)  # no submission ever: the counter starts here
    session.commit()
    credential = make_credential(session, criteria=1)
    submission = make_submission(session, make_user(session), credential)
    assert submission.id > first
    second = hidden.allocate_id(session)
    session.commit()
    assert second > submission.id
    later = make_submission(session, make_user(session), credential)
    assert later.id > second  # never handed out again


@pytest.fixture
def item(session) -> tuple:
    world = make_calibration_world(session)
    world.org.blind_review = True  # hidden items live only where assessors read pseudonyms
    session.add(world.org)
    session.add(
        AssessorQualification(
            user_id=world.assessor.id, credential_id=world.credential.id, percent=90
        )
    )
    choices = district_settings.current(session=session, org=world.org)
    district_settings.save(
        session=session,
        org=world.org,
        actor=world.admin,
        choices=dataclasses.replace(choices, calibration_share=50),
    )
    session.commit()
    assert hidden.ensure(session=session, assessor=world.assessor) == []  # nothing decided yet
    make_review(session, world.live, world.assessor, decision="awarded")
    [made] = hidden.ensure(session=session, assessor=world.assessor)
    session.commit()
    return world, made


def test_simultaneous_decisions_make_one(engine, item):
    world, made = item
    outcomes: list[object] = []

    def run(barrier):
        with Session(engine, expire_on_commit=False) as db:
            assessor = db.get_one(User, world.assessor.id)
            scores = {c.id: (True, "") for c in world.criteria}
            barrier.wait()
            try:
                decide.decide(
                    session=db,
                    assessor=assessor,
                    submission_id=made.id,
                    decision="award",
                    scores=scores,
                    feedback="",
                )
                db.commit()
                outcomes.append("decided")
            except Conflict as err:
                db.rollback()
                outcomes.append(err.message)

    run_at_once(RACERS, run)
    assert outcomes.count("decided") == 1, outcomes
    assert all(o == "decided" or o.startswith("Already decided by") for o in outcomes)
    with Session(engine) as db:
        attempt = db.get_one(CalibrationAttempt, made.attempt_id)
        assert attempt.live and attempt.total == 4
        count = select(func.count()).select_from(CalibrationScore)
        assert db.exec(count.where(CalibrationScore.attempt_id == attempt.id)).one() == 4


def test_the_lease_lapses_as_a_live_one(session, item):
    world, made = item
    now = utcnow()
    service.claim(
        session=session, assessor=world.assessor, submission_id=made.id, lease_hours=1, now=now
    )
    session.commit()
    data = {"scores": {}, "feedback": "Half way."}
    drafts.save(session=session, viewer=world.assessor, submission_id=made.id, data=data, now=now)
    later = now + timedelta(hours=2)
    with pytest.raises(Conflict) as lapsed:
        drafts.save(
            session=session, viewer=world.assessor, submission_id=made.id, data=data, now=later
        )
    assert lapsed.value.message == drafts.LAPSED
    page = service.review_page(
        session=session, viewer=world.assessor, submission_id=made.id, now=later
    )
    assert page.can_claim and not page.lease_mine  # free again: claim it anew
    rows = hidden_rows.queue_rows(
        session=session, assessor=world.assessor, blind_key="k", only_mine=True, now=later
    )
    assert rows == []
    assert session.get(HiddenItem, made.id).decided_at is None
