"""The demo's awarded credentials come with signed Open Badges that verify."""

from sqlmodel import select

from server.badges.issuing import current
from server.badges.stacks import verify_stack
from server.badges.verify import verify_award
from server.demo.seed import seed_demo
from server.models import Award, StackAward


def test_every_demo_award_has_a_verifying_credential(app, session):
    with app.app_context():
        seed_demo(session=session)
        session.commit()
        awards = session.exec(select(Award)).all()
        assert awards
        for award in awards:
            assert award.ob3_json and award.org_id is not None
            assert verify_award(session=session, award=award, issuing=current()).verified


def test_the_demo_teacher_holds_a_verifying_stack_credential(app, session):
    with app.app_context():
        seed_demo(session=session)
        session.commit()
        (stack_award,) = session.exec(select(StackAward)).all()
        assert "Formative Assessment" in (stack_award.ob3_json or "")
        verdict = verify_stack(session=session, stack_award=stack_award, issuing=current())
        assert verdict.verified
