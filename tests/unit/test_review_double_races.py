"""Double-blind races, each assessor on their own connection, on SQLite and PostgreSQL:
a pair deciding at the same instant both count and make exactly one outcome; a lead
reconciling while another lead claims over their lapsed lease: exactly one wins."""

import threading
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from server.errors import ChalkmarkError
from server.models import AssessorAppointment, Award, Notification, Review, Submission, User, utcnow
from server.review.service import claim, decide
from tests.support.double_data import make_pair_world, scores_for
from tests.support.factories import make_user

pytestmark = pytest.mark.usefixtures("app")


def _race(engine, actions):
    """Run each action(session) on its own thread and connection, started together."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[object] = [None] * len(actions)

    def run(index, action):
        with Session(engine, expire_on_commit=False) as session:
            barrier.wait()
            try:
                action(session)
                session.commit()
                outcomes[index] = "won"
            except Exception as err:  # recorded: the assertions show what it was
                session.rollback()
                outcomes[index] = err

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _decider(world, user_id, met, decision, comment, now=None):
    def action(session):
        decide(
            session=session,
            assessor=session.get(User, user_id),
            submission_id=world.submission.id,
            decision=decision,
            scores=scores_for(session, world.credential, met, comment),
            feedback=comment,
            now=now,
        )

    return action


@pytest.mark.parametrize("agree", [True, False])
def test_pair_deciding_at_once_both_count_one_outcome(engine, agree):
    with Session(engine, expire_on_commit=False) as session:
        world = make_pair_world(session)
        for who in (world.first, world.second):
            claim(session=session, assessor=who, submission_id=world.submission.id, lease_hours=48)
        session.commit()
    second_met = [True, True] if agree else [True, False]
    outcomes = _race(
        engine,
        [
            _decider(world, world.first.id, [True, True], "award", "First set"),
            _decider(
                world, world.second.id, second_met, "award" if agree else "not_yet", "Second set"
            ),
        ],
    )
    assert outcomes == ["won", "won"], outcomes
    with Session(engine) as session:
        submission = session.get(Submission, world.submission.id)
        blind = session.exec(select(Review).where(Review.decision.is_not(None))).all()
        assert sorted(r.assessor_id for r in blind) == sorted([world.first.id, world.second.id])
        teacher_kinds = session.exec(
            select(Notification.kind).where(Notification.user_id == world.teacher.id)
        ).all()
        lead_notices = session.exec(
            select(Notification).where(Notification.user_id == world.lead.id)
        ).all()
        if agree:
            assert submission.status == "awarded"
            assert len(session.exec(select(Award)).all()) == 1
            assert teacher_kinds.count("award") == 1 and lead_notices == []
        else:
            assert submission.status == "in_review"
            assert session.exec(select(Award)).all() == []
            assert "award" not in teacher_kinds and "not_yet" not in teacher_kinds
            assert len(lead_notices) == 1


def test_lead_reconciling_while_their_lease_lapses_and_another_lead_claims(engine):
    now = utcnow()
    with Session(engine, expire_on_commit=False) as session:
        world = make_pair_world(session)
        other_lead = make_user(session, "assessor", name="Avery Park", org_id=world.org.id)
        session.add(
            AssessorAppointment(
                user_id=other_lead.id, stack_id=world.credential.stack_id, is_lead=True
            )
        )
        session.commit()
        for who, met, decision in (
            (world.first, [True, True], "award"),
            (world.second, [False, True], "not_yet"),
        ):
            _decider(world, who.id, met, decision, "set")(session)
            session.commit()
        claim(
            session=session,
            assessor=world.lead,
            submission_id=world.submission.id,
            lease_hours=1,
            now=now - timedelta(hours=2),
        )
        session.commit()  # the lead's lease ran out an hour ago

    def other_claims(session):
        claim(
            session=session,
            assessor=session.get(User, other_lead.id),
            submission_id=world.submission.id,
            lease_hours=48,
            now=now,
        )

    outcomes = _race(
        engine,
        [_decider(world, world.lead.id, [True, True], "award", "Reconciled", now), other_claims],
    )
    winners = [o for o in outcomes if o == "won"]
    losers = [o for o in outcomes if o != "won"]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert isinstance(losers[0], ChalkmarkError), outcomes  # a clear 4xx, never a crash
    with Session(engine) as session:
        submission = session.get(Submission, world.submission.id)
        leads = session.exec(select(Review).where(Review.kind == "lead")).all()
        if outcomes[0] == "won":  # the lead decided first: the claim is told so
            assert submission.status == "awarded"
            assert len(session.exec(select(Award)).all()) == 1
            assert "already been decided" in losers[0].message
        else:  # the claim won: the lapsed lead may not decide under it
            assert submission.status == "in_review"
            assert session.exec(select(Award)).all() == []
            assert [r.assessor_id for r in leads if r.claimed_until > now] == [other_lead.id]


def test_two_claims_at_once_both_hold_a_place_the_teacher_hears_once(engine):
    with Session(engine, expire_on_commit=False) as session:
        world = make_pair_world(session)

    def claimer(user_id):
        def action(session):
            claim(
                session=session,
                assessor=session.get(User, user_id),
                submission_id=world.submission.id,
                lease_hours=48,
            )

        return action

    outcomes = _race(engine, [claimer(world.first.id), claimer(world.second.id)])
    assert outcomes == ["won", "won"], outcomes
    with Session(engine) as session:
        kinds = session.exec(select(Review.kind)).all()
        assert kinds == ["blind", "blind"]
        started = session.exec(
            select(Notification).where(Notification.kind == "review_started")
        ).all()
        assert len(started) == 1
        assert session.get(Submission, world.submission.id).status == "in_review"
