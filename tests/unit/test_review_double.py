"""Double-blind scoring (#15): the mode's one rule, two independent score sets, agreement
decides at once, a disagreement waits for a lead; the teacher reads one merged decision."""

from datetime import timedelta

import pytest
from sqlmodel import select

from server.errors import Conflict, Forbidden
from server.models import (
    Appeal,
    AssessorAppointment,
    Award,
    Notification,
    Review,
    ScoringMode,
    Submission,
    utcnow,
)
from server.review import modes
from server.review.appeals import FIRST_ASSESSOR
from server.review.service import claim, decide, queue, review_page
from server.submissions.queries import decided_feedback
from tests.support.double_data import district_mode, make_pair_world, scores_for
from tests.support.factories import make_credential, make_org, make_submission, make_user

pytestmark = pytest.mark.usefixtures("app")  # awards are signed with the app's issuer


def _decide(session, world, who, met, decision, comment):
    review = decide(
        session=session,
        assessor=who,
        submission_id=world.submission.id,
        decision=decision,
        scores=scores_for(session, world.credential, met, comment),
        feedback=f"{comment}: overall",
    )
    session.commit()
    return review


def _queue_ids(session, who, now=None):
    return [row.submission_id for row in queue(session=session, assessor=who, now=now)]


def test_mode_credential_override_then_district_then_single(session):
    org = make_org(session)
    teacher = make_user(session, org_id=org.id)
    credential = make_credential(session)
    attempt = make_submission(session, teacher, credential)
    assert modes.attempt_mode(session=session, submission=attempt) is ScoringMode.SINGLE
    district_mode(session, org, "double_blind")
    assert modes.attempt_mode(session=session, submission=attempt) is ScoringMode.DOUBLE_BLIND
    credential.scoring_mode = "single"
    session.add(credential)
    session.commit()
    assert modes.attempt_mode(session=session, submission=attempt) is ScoringMode.SINGLE
    credential.scoring_mode = "double_blind"
    session.add(credential)
    outsider = make_user(session)  # no district: the credential alone decides
    assert (
        modes.attempt_mode(
            session=session, submission=make_submission(session, outsider, credential)
        )
        is ScoringMode.DOUBLE_BLIND
    )
    session.add(Appeal(submission_id=attempt.id, reason="Please look again"))
    session.commit()  # a second opinion is one assessor's
    assert modes.attempt_mode(session=session, submission=attempt) is ScoringMode.SINGLE


def test_agreement_decides_once_with_merged_feedback(session):
    world = make_pair_world(session)
    claim(session=session, assessor=world.first, submission_id=world.submission.id, lease_hours=48)
    claim(session=session, assessor=world.second, submission_id=world.submission.id, lease_hours=48)
    session.commit()
    assert world.submission.id not in _queue_ids(session, world.third)  # two places taken
    with pytest.raises(Conflict, match="Two assessors are already scoring"):
        claim(
            session=session, assessor=world.third, submission_id=world.submission.id, lease_hours=1
        )
    session.rollback()
    _decide(session, world, world.first, [True, True], "award", "Clear number lines")
    session.refresh(world.submission)
    assert world.submission.status == "in_review"
    assert decided_feedback(session=session, submission=world.submission) is None
    assert world.submission.id not in _queue_ids(session, world.first)
    with pytest.raises(Conflict, match="You've scored this attempt"):
        claim(
            session=session, assessor=world.first, submission_id=world.submission.id, lease_hours=1
        )
    session.rollback()
    _decide(session, world, world.second, [True, True], "award", "Strong reasoning")
    submission = session.get(Submission, world.submission.id)
    session.refresh(submission)
    assert submission.status == "awarded"
    assert len(session.exec(select(Award)).all()) == 1
    kinds = session.exec(
        select(Notification.kind).where(Notification.user_id == world.teacher.id)
    ).all()
    assert kinds.count("award") == 1 and kinds.count("review_started") == 1
    feedback = decided_feedback(session=session, submission=submission)
    assert feedback.review.decision == "awarded"
    assert "Assessor 1: Clear number lines: overall" in feedback.review.feedback
    assert "Assessor 2: Strong reasoning: overall" in feedback.review.feedback
    comments = [score.comment for score in feedback.scores.values()]
    assert all("Assessor 1: Clear" in c and "Assessor 2: Strong" in c for c in comments)
    assert "Jordan Lee" not in feedback.review.feedback + "".join(comments)
    reviews = session.exec(select(Review.kind, Review.decision)).all()
    assert sorted(reviews) == [("blind", "awarded"), ("blind", "awarded")]


def test_disagreement_waits_for_the_lead_who_decides(session):
    world = make_pair_world(session)
    _decide(session, world, world.first, [True, True], "award", "Looks met")
    assert world.submission.id in _queue_ids(session, world.third)  # one place left
    _decide(session, world, world.second, [True, False], "not_yet", "Second criterion missing")
    submission = session.get(Submission, world.submission.id)
    session.refresh(submission)
    assert submission.status == "in_review"  # still waiting: AWAITING_REVIEW
    assert world.submission.id not in _queue_ids(session, world.third)  # a lead's now
    assert world.submission.id in _queue_ids(session, world.lead)
    lead_notices = session.exec(
        select(Notification).where(Notification.user_id == world.lead.id)
    ).all()
    assert len(lead_notices) == 1 and "reconcile" in lead_notices[0].title
    assert "Whitfield" not in lead_notices[0].title + lead_notices[0].body
    with pytest.raises(Forbidden, match="only a lead assessor"):
        _decide(session, world, world.third, [True, True], "award", "Me too")
    session.rollback()
    with pytest.raises(Conflict, match="You've scored"):
        _decide(session, world, world.first, [True, True], "award", "Again")
    session.rollback()
    _decide(session, world, world.lead, [True, False], "not_yet", "Show the second criterion")
    session.refresh(submission)
    assert submission.status == "not_yet"
    assert session.exec(select(Award)).all() == []
    kinds = session.exec(
        select(Notification.kind).where(Notification.user_id == world.teacher.id)
    ).all()
    assert kinds.count("not_yet") == 1
    feedback = decided_feedback(session=session, submission=submission)
    assert feedback.review.decision == "not_yet"
    assert feedback.review.feedback.startswith("Lead assessor: Show the second criterion")
    second = [s for s in feedback.scores.values() if not s.met]
    assert len(second) == 1 and "Assessor 1: Looks met" in second[0].comment
    assert sorted(session.exec(select(Review.kind)).all()) == ["blind", "blind", "lead"]


def test_lapsed_blind_lease_loses_its_place(session):
    world = make_pair_world(session)
    now = utcnow()
    claim(
        session=session,
        assessor=world.first,
        submission_id=world.submission.id,
        lease_hours=1,
        now=now - timedelta(hours=3),
    )
    _decide(session, world, world.second, [True, True], "award", "Fine")
    claim(session=session, assessor=world.third, submission_id=world.submission.id, lease_hours=2)
    session.commit()  # first's lease ran out: third took the place
    with pytest.raises(Conflict, match="Two assessors are already scoring"):
        _decide(session, world, world.first, [True, True], "award", "Late")
    session.rollback()
    _decide(session, world, world.third, [True, True], "award", "Agreed")
    assert session.get(Submission, world.submission.id).status == "awarded"


def test_without_a_lead_the_districts_admins_are_told_and_may_decide(session):
    world = make_pair_world(session)
    session.delete(
        session.exec(select(AssessorAppointment).where(AssessorAppointment.is_lead)).one()
    )
    admin = make_user(session, "admin", name="Ana Admin", org_id=world.org.id)
    make_user(session, "admin", name="Far Admin", org_id=make_org(session).id)
    _decide(session, world, world.first, [True, True], "award", "Yes")
    assert world.submission.id in _queue_ids(session, admin)  # a blind place is still free
    _decide(session, world, world.second, [False, True], "not_yet", "No")
    told = session.exec(select(Notification.user_id).where(Notification.kind == "reconcile")).all()
    assert told == [admin.id]
    assert world.submission.id in _queue_ids(session, admin)
    _decide(session, world, admin, [True, True], "award", "Reconciled")
    assert session.get(Submission, world.submission.id).status == "awarded"


def test_an_appeal_of_a_pair_attempt_goes_to_someone_outside_it(session):
    from server.review.appeals import file_appeal

    world = make_pair_world(session)
    _decide(session, world, world.first, [True, False], "not_yet", "Half")
    _decide(session, world, world.second, [True, False], "not_yet", "Half too")
    submission = session.get(Submission, world.submission.id)
    session.refresh(submission)
    assert submission.status == "not_yet"  # agreed
    file_appeal(session=session, submission=submission, user=world.teacher, reason="Look again")
    session.commit()
    for member in (world.first, world.second):
        assert world.submission.id not in _queue_ids(session, member)
        # The page says so to both (it once offered the earlier one a claim, then refused).
        page = review_page(session=session, viewer=member, submission_id=submission.id)
        assert page.notice == FIRST_ASSESSOR
        assert not page.can_claim and not page.can_decide
        with pytest.raises(Forbidden, match="second opinion must come from another"):
            claim(session=session, assessor=member, submission_id=submission.id, lease_hours=1)
        session.rollback()
    assert world.submission.id in _queue_ids(session, world.third)
    review = _decide(session, world, world.third, [True, True], "award", "Second opinion")
    assert review.kind == "single"  # a second opinion is one assessor's
    session.refresh(submission)
    assert submission.status == "awarded"
    assert decided_feedback(session=session, submission=submission).review.id == review.id
