"""An invitation shares nothing: until the person accepts, the coach is not their coach
(evidence access), and they are not in the cohort's grid, nudges or leaderboard. Who
declines or leaves is gone from all of these at once."""

from __future__ import annotations

import pytest
from sqlmodel import select

from server.access import is_coach_of
from server.coach import invitations, nudges, progress, service
from server.errors import Forbidden, InvalidInput, NotFound
from server.game import leaderboard as boards
from server.game import ledger
from server.models import CohortMember, Notification
from tests.support.coaching import invite
from tests.support.factories import make_credential, make_submission, make_user


@pytest.fixture
def maya(session, coach, cohort):
    user = make_user(session, name="Maya Lopez", org_id=coach.org_id)
    make_submission(session, user, make_credential(session), status="draft")
    ledger.pay(session=session, user_id=user.id, rule="credential_earned", ref="r", points=100)
    session.commit()
    invite(session, cohort, user)
    return user


def _coach_sees(session, coach, cohort, user) -> dict[str, bool]:
    scope = boards.resolve(session=session, viewer=coach, kind="cohort", scope_id=cohort.id)
    board = boards.leaderboard(session=session, viewer=coach, scope=scope, period="all")
    return {
        "evidence": is_coach_of(session=session, coach=coach, member_id=user.id),
        "grid": user.id
        in {r.user.id for r in progress.dashboard(session=session, cohort=cohort).rows},
        "board": user.id in {e.user_id for e in board.top},
        "members": user in service.members(session=session, cohort=cohort),
    }


def test_invited_shares_nothing_accepted_shares_and_left_stops(session, coach, cohort, maya):
    assert _coach_sees(session, coach, cohort, maya) == dict.fromkeys(
        ("evidence", "grid", "board", "members"), False
    )
    with pytest.raises(InvalidInput):  # not nudgeable either
        nudges.nudge_members(
            session=session, coach=coach, cohort=cohort, member_ids=[maya.id], message="Hi"
        )

    invitations.accept(session=session, user=maya, cohort_id=cohort.id)
    session.commit()
    assert all(_coach_sees(session, coach, cohort, maya).values())

    invitations.leave(session=session, user=maya, cohort_id=cohort.id)
    session.commit()
    assert not any(_coach_sees(session, coach, cohort, maya).values())


def test_the_invited_person_gets_one_notice_and_sees_no_cohort_board(session, coach, cohort, maya):
    [notice] = session.exec(select(Notification).where(Notification.user_id == maya.id)).all()
    assert notice.kind == "cohort_invite" and "Early Adopters" in notice.title
    assert cohort.id not in {
        s.id for s in boards.boards_for(session=session, viewer=maya) if s.kind == "cohort"
    }
    with pytest.raises(Forbidden):
        boards.resolve(session=session, viewer=maya, kind="cohort", scope_id=cohort.id)
    invite(session, cohort, maya)  # inviting again: no second notice
    assert len(session.exec(select(Notification).where(Notification.user_id == maya.id)).all()) == 1


def test_my_cohorts_lists_invitations_first_and_never_the_ones_left(session, coach, cohort, maya):
    joined = service.create_cohort(session=session, coach=coach, name="Algebra circle")
    gone = service.create_cohort(session=session, coach=coach, name="Zoology")
    service.join(session=session, cohort=joined, user=maya)
    service.join(session=session, cohort=gone, user=maya)
    invitations.leave(session=session, user=maya, cohort_id=gone.id)
    session.commit()

    mine = invitations.my_cohorts(session=session, user=maya)
    assert [(m.cohort.name, m.invited, m.coach_name) for m in mine] == [
        ("Early Adopters", True, "Sam Coach"),
        ("Algebra circle", False, "Sam Coach"),
    ]


def test_declined_stays_declined_when_the_coach_invites_again(session, coach, cohort, maya):
    invitations.leave(session=session, user=maya, cohort_id=cohort.id)
    session.commit()
    person, status = service.invite_member(
        session=session, cohort=cohort, by=coach, user_id=maya.id
    )
    assert (person.id, status) == (maya.id, "left")
    report = service.invite_from_list(session=session, cohort=cohort, by=coach, text=maya.handle)
    assert report.invited == [maya.handle] and report.already == []
    assert session.get(CohortMember, (cohort.id, maya.id)).status == "left"
    with pytest.raises(NotFound):  # the coach can't erase the answer to invite anew
        service.remove_member(session=session, cohort=cohort, user_id=maya.id)


def test_only_ones_own_invitation_can_be_answered(session, coach, cohort, maya):
    stranger = make_user(session)
    for answer in (invitations.accept, invitations.leave):
        with pytest.raises(NotFound):
            answer(session=session, user=stranger, cohort_id=cohort.id)
    invitations.leave(session=session, user=maya, cohort_id=cohort.id)
    with pytest.raises(NotFound):  # left: only the invite link brings them back
        invitations.accept(session=session, user=maya, cohort_id=cohort.id)
