"""Claiming and deciding: validation, awards only when every criterion is met, notices,
and the access rules the service enforces itself."""

from datetime import timedelta

import pytest
from sqlmodel import select

from server.catalog.service import criteria_for
from server.errors import Conflict, Forbidden, NotFound
from server.models import Award, CriterionScore, Notification, Review, Submission, utcnow
from server.review.service import DecisionInvalid, claim, decide, review_page
from tests.support.factories import (
    appoint,
    make_credential,
    make_review,
    make_submission,
    make_user,
)
from tests.support.review_data import all_met

# Awards are signed as Open Badges with the app's issuer settings.
pytestmark = pytest.mark.usefixtures("app")


@pytest.fixture
def world(session):
    credential = make_credential(session, title="Working Memory")
    assessor = make_user(session, "assessor", name="Jordan Lee")
    appoint(session, assessor, credential)
    teacher = make_user(session, name="Maya Patel")
    submission = make_submission(session, teacher, credential)
    return credential, assessor, teacher, submission


def _notice(session, teacher, kind):
    return session.exec(
        select(Notification).where(Notification.user_id == teacher.id, Notification.kind == kind)
    ).one()


def _decide(session, assessor, submission, **kwargs):
    return decide(session=session, assessor=assessor, submission_id=submission.id, **kwargs)


def test_award_with_every_criterion_met(session, world):
    credential, assessor, teacher, submission = world
    review = _decide(
        session,
        assessor,
        submission,
        decision="award",
        scores=all_met(session, credential),
        feedback="Lovely work.\nMore here.",
    )
    session.commit()
    session.refresh(submission)
    assert submission.status == "awarded" and submission.decided_at is not None
    assert review.decision == "awarded" and review.assessor_id == assessor.id
    award = session.exec(select(Award).where(Award.submission_id == submission.id)).one()
    assert award.user_id == teacher.id and award.credential_id == credential.id
    assert (
        len(session.exec(select(CriterionScore).where(CriterionScore.review_id == review.id)).all())
        == 3
    )
    notice = _notice(session, teacher, "award")
    assert notice.title == "You earned Working Memory!"
    assert notice.body == "Lovely work."
    assert notice.url == f"/submissions/{submission.id}"


def test_not_yet_writes_feedback_and_no_award(session, world):
    credential, assessor, teacher, submission = world
    scores = all_met(session, credential)
    first = criteria_for(session=session, credential_id=credential.id)[0]
    scores[first.id] = (False, "The photo doesn't show the routine.")
    _decide(
        session,
        assessor,
        submission,
        decision="not_yet",
        scores=scores,
        feedback="\n  Show the routine in use.\nThen resubmit.",
    )
    session.commit()
    session.refresh(submission)
    assert submission.status == "not_yet"
    assert session.exec(select(Award)).all() == []
    notice = _notice(session, teacher, "not_yet")
    assert (notice.kind, notice.title) == ("not_yet", "Not yet: Working Memory")
    assert notice.body == "Show the routine in use."


def test_award_refused_unless_every_criterion_met(session, world):
    credential, assessor, _, submission = world
    scores = all_met(session, credential)
    last = criteria_for(session=session, credential_id=credential.id)[-1]
    scores[last.id] = (False, "")
    with pytest.raises(DecisionInvalid) as raised:
        _decide(session, assessor, submission, decision="award", scores=scores, feedback="")
    assert "every criterion" in raised.value.errors["decision"]
    session.rollback()
    assert session.get(Submission, submission.id).status == "submitted"
    assert session.exec(select(Award)).all() == []


def test_every_criterion_must_be_scored(session, world):
    credential, assessor, _, submission = world
    scores = all_met(session, credential)
    missing = criteria_for(session=session, credential_id=credential.id)[1]
    scores[missing.id] = (None, "a comment but no choice")
    with pytest.raises(DecisionInvalid) as raised:
        _decide(session, assessor, submission, decision="not_yet", scores=scores, feedback="x")
    assert list(raised.value.errors) == [f"met_{missing.id}"]


def test_not_yet_needs_feedback(session, world):
    credential, assessor, _, submission = world
    with pytest.raises(DecisionInvalid) as raised:
        _decide(
            session,
            assessor,
            submission,
            decision="not_yet",
            scores=all_met(session, credential),
            feedback="   ",
        )
    assert "feedback" in raised.value.errors


def test_unknown_decision_is_invalid(session, world):
    credential, assessor, _, submission = world
    with pytest.raises(DecisionInvalid):
        _decide(
            session,
            assessor,
            submission,
            decision="maybe",
            scores=all_met(session, credential),
            feedback="x",
        )


def test_second_decision_is_a_conflict_naming_the_first(session, world):
    credential, assessor, _, submission = world
    _decide(
        session,
        assessor,
        submission,
        decision="award",
        scores=all_met(session, credential),
        feedback="",
    )
    session.commit()
    admin = make_user(session, "admin")
    with pytest.raises(Conflict, match="Already decided by Jordan Lee at"):
        _decide(
            session,
            admin,
            submission,
            decision="award",
            scores=all_met(session, credential),
            feedback="",
        )


def test_only_the_lease_holder_may_decide(session, world):
    credential, assessor, _, submission = world
    other = make_user(session, "assessor")
    appoint(session, other, credential)
    make_review(session, submission, assessor)
    with pytest.raises(Conflict, match="Jordan Lee is already reviewing this"):
        _decide(
            session,
            other,
            submission,
            decision="award",
            scores=all_met(session, credential),
            feedback="",
        )


def test_deciding_finishes_the_claimers_own_review_row(session, world):
    credential, assessor, _, submission = world
    claimed = claim(session=session, assessor=assessor, submission_id=submission.id, lease_hours=48)
    session.commit()
    review = _decide(
        session,
        assessor,
        submission,
        decision="award",
        scores=all_met(session, credential),
        feedback="",
    )
    session.commit()
    assert review.id == claimed.id
    assert len(session.exec(select(Review)).all()) == 1


def test_owner_and_unqualified_are_refused(session, world):
    credential, _, teacher, submission = world
    teacher.roles = "teacher,assessor"
    session.add(teacher)
    session.commit()
    appoint(session, teacher, credential)
    with pytest.raises(Forbidden):
        _decide(
            session,
            teacher,
            submission,
            decision="award",
            scores=all_met(session, credential),
            feedback="",
        )
    stranger = make_user(session, "assessor")
    for action in (
        lambda: _decide(
            session,
            stranger,
            submission,
            decision="award",
            scores=all_met(session, credential),
            feedback="",
        ),
        lambda: claim(
            session=session, assessor=stranger, submission_id=submission.id, lease_hours=1
        ),
        lambda: review_page(session=session, viewer=stranger, submission_id=submission.id),
    ):
        with pytest.raises(NotFound):
            action()


def test_claim_sets_a_lease_and_tells_the_teacher(session, world):
    _, assessor, teacher, submission = world
    now = utcnow()
    review = claim(
        session=session, assessor=assessor, submission_id=submission.id, lease_hours=48, now=now
    )
    session.commit()
    assert review.claimed_until == now + timedelta(hours=48)
    assert session.get(Submission, submission.id).status == "in_review"
    notice = _notice(session, teacher, "review_started")
    assert notice.title == "An assessor started reviewing Working Memory"


def test_claiming_again_renews_my_lease(session, world):
    _, assessor, _, submission = world
    now = utcnow()
    claim(session=session, assessor=assessor, submission_id=submission.id, lease_hours=1, now=now)
    session.commit()
    renewed = claim(
        session=session,
        assessor=assessor,
        submission_id=submission.id,
        lease_hours=1,
        now=now + timedelta(minutes=30),
    )
    session.commit()
    assert renewed.claimed_until == now + timedelta(minutes=90)
    assert len(session.exec(select(Review)).all()) == 1


def test_claim_while_someone_holds_it_names_them(session, world):
    credential, assessor, _, submission = world
    other = make_user(session, "assessor")
    appoint(session, other, credential)
    make_review(session, submission, assessor)
    with pytest.raises(Conflict, match="Jordan Lee is already reviewing this"):
        claim(session=session, assessor=other, submission_id=submission.id, lease_hours=48)


def test_review_page_is_read_only_for_others_while_claimed(session, world):
    credential, assessor, _, submission = world
    other = make_user(session, "assessor")
    appoint(session, other, credential)
    make_review(session, submission, assessor)
    page = review_page(session=session, viewer=other, submission_id=submission.id)
    assert not page.can_decide and "Claimed by Jordan Lee" in page.notice
    mine = review_page(session=session, viewer=assessor, submission_id=submission.id)
    assert mine.can_decide and mine.lease_mine


def test_review_page_shows_earlier_attempts_decisions(session, world):
    credential, assessor, teacher, first = world
    scores = all_met(session, credential)
    first_criterion = criteria_for(session=session, credential_id=credential.id)[0]
    scores[first_criterion.id] = (False, "Needs a clearer photo.")
    _decide(
        session,
        assessor,
        first,
        decision="not_yet",
        scores=scores,
        feedback="Try again with the routine.",
    )
    session.commit()
    second = make_submission(session, teacher, credential)
    page = review_page(session=session, viewer=assessor, submission_id=second.id)
    assert [(p.attempt, p.decision) for p in page.past] == [(first.attempt, "not_yet")]
    assert ("Criterion 1", False, "Needs a clearer photo.") in page.past[0].scores


def test_overlong_comment_is_invalid(session, world):
    credential, assessor, _, submission = world
    scores = all_met(session, credential)
    first = criteria_for(session=session, credential_id=credential.id)[0]
    scores[first.id] = (True, "x" * 5001)
    with pytest.raises(DecisionInvalid) as raised:
        _decide(session, assessor, submission, decision="award", scores=scores, feedback="")
    assert list(raised.value.errors) == [f"comment_{first.id}"]
