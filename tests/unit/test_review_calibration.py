"""The calibration service on both databases: one scoring per try whatever the
concurrency, one qualification, the district's own threshold, anchors of the assessor's
pool only, and never their own work."""

from __future__ import annotations

from sqlmodel import Session, select

from server.errors import Conflict
from server.models import AssessorQualification, CalibrationScore, DistrictSettings
from server.review import calibration
from tests.support.calibration_data import TRUTHS, make_anchor, make_calibration_world
from tests.support.factories import make_review, make_submission, make_user
from tests.support.threads import run_at_once


def _score(session, world, assessor, met_list):
    attempt = calibration.start(
        session=session, assessor=assessor, credential_id=world.credential.id
    )
    met = dict(zip((c.id for c in world.criteria), met_list, strict=True))
    assert calibration.record_scores(session=session, attempt=attempt, met=met) == {}
    return calibration.qualify_if_reached(
        session=session, assessor=assessor, credential_id=world.credential.id
    )


def test_the_same_try_scored_twice_at_once_counts_once(engine):
    with Session(engine, expire_on_commit=False) as session:
        world = make_calibration_world(session)
        attempt = calibration.start(
            session=session, assessor=world.assessor, credential_id=world.credential.id
        )
        session.commit()
    met = dict(zip((c.id for c in world.criteria), TRUTHS[0], strict=True))
    outcomes: list[object] = []

    def score(barrier):
        with Session(engine, expire_on_commit=False) as session:
            mine = session.get(type(attempt), attempt.id)
            barrier.wait()
            try:
                calibration.record_scores(session=session, attempt=mine, met=met)
                session.commit()
                outcomes.append("won")
            except Conflict as err:
                session.rollback()
                outcomes.append(err)

    run_at_once(2, score)
    assert outcomes.count("won") == 1 and len(outcomes) == 2, outcomes
    with Session(engine) as session:
        scores = session.exec(
            select(CalibrationScore).where(CalibrationScore.attempt_id == attempt.id)
        ).all()
        assert len(scores) == 4


def test_the_districts_threshold_decides(session):
    world = make_calibration_world(session)
    session.add(
        DistrictSettings(
            org_id=world.org.id,
            review_target_days=7,
            default_visibility="cohort",
            quiet_start_hour=0,
            quiet_end_hour=0,
            game_points="{}",
            game_levels="0,250,750,1500",
            calibration_threshold=100,
        )
    )
    session.commit()
    wrong_once = [not TRUTHS[0][0], *TRUTHS[0][1:]]
    assert not _score(session, world, world.assessor, wrong_once).qualified
    standing = _score(session, world, world.assessor, TRUTHS[1])
    assert (standing.percent, standing.threshold, standing.qualified) == (87, 100, False)
    assert session.get(AssessorQualification, (world.assessor.id, world.credential.id)) is None


def test_own_work_and_reviewed_attempts_are_never_given(session):
    world = make_calibration_world(session, anchors=0)
    own = make_submission(session, world.assessor, world.credential)
    make_review(session, own, world.other_assessor, decision="awarded")
    theirs = make_submission(session, world.teacher, world.credential)
    make_review(session, theirs, world.assessor, decision="awarded")
    for attempt in (own, theirs):
        make_anchor(session, attempt, org_id=world.org.id, by=world.admin, truth=TRUTHS[0])
    # Gated (anchors exist), but nothing the assessor may fairly score: say so.
    assert (
        calibration.untried(
            session=session, assessor=world.assessor, credential_id=world.credential.id
        )
        == []
    )
    try:
        calibration.start(
            session=session, assessor=world.assessor, credential_id=world.credential.id
        )
    except Conflict as err:
        assert "tried every practice item" in err.message
    else:
        raise AssertionError("start gave an unfair anchor")
    assert (
        len(
            calibration.untried(
                session=session, assessor=world.other_assessor, credential_id=world.credential.id
            )
        )
        == 1
    )  # the one they did not review


def test_another_pool_sees_no_anchors_and_admins_are_never_gated(session):
    world = make_calibration_world(session)
    independent = make_user(session, "assessor", name="Indie Assessor", handle="indie")
    for person in (world.far_assessor, world.admin, independent):
        assert calibration.gated_credentials(session=session, assessor=person) == set()
    assert calibration.gated_credentials(session=session, assessor=world.assessor) == {
        world.credential.id
    }
