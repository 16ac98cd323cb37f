"""`chalkmark review overdue` tells the stack's lead assessors (review/overdue.py), once
per submission; the district's admins only where the stack has no active lead."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from server.models import AssessorAppointment, Notification, utcnow
from server.review.overdue import OVERDUE_KIND, notify_overdue
from tests.support.factories import make_credential, make_org, make_submission, make_user
from tests.support.threads import run_at_once


def _lead(session: Session, org_id: int, credential, *, active: bool = True, name: str = "Lee"):
    lead = make_user(session, "assessor", name=name, org_id=org_id)
    session.add(AssessorAppointment(user_id=lead.id, stack_id=credential.stack_id, is_lead=True))
    if not active:
        lead.deactivated_at = utcnow()
        session.add(lead)
    session.commit()
    return lead


def _told(engine) -> list[int]:
    with Session(engine) as session:
        notices = session.exec(select(Notification).where(Notification.kind == OVERDUE_KIND))
        return sorted(n.user_id for n in notices)


def _late(session: Session, org_id: int, credential, days: int = 9):
    teacher = make_user(session, name="Tess Teacher", org_id=org_id)
    return make_submission(
        session, teacher, credential, submitted_at=utcnow() - timedelta(days=days)
    )


def test_the_stacks_lead_is_told_once_and_the_admins_are_not(engine):
    with Session(engine, expire_on_commit=False) as session:
        org, far = make_org(session), make_org(session)
        admin = make_user(session, "admin", org_id=org.id)
        credential = make_credential(session, title="Wait Time")
        lead = _lead(session, org.id, credential)
        gone = _lead(session, org.id, credential, active=False, name="Gone")
        far_lead = _lead(session, far.id, credential, name="Far")
        plain = make_user(session, "assessor", org_id=org.id)  # appointed, not a lead
        session.add(AssessorAppointment(user_id=plain.id, stack_id=credential.stack_id))
        session.commit()
        late = _late(session, org.id, credential)
        ids = {"lead": lead.id, "admin": admin.id, "gone": gone.id, "far": far_lead.id}
    with Session(engine) as session:
        run = notify_overdue(session=session)
        session.commit()
    assert (run.submissions, run.notices) == (1, 1)
    with Session(engine) as session:
        assert notify_overdue(session=session).notices == 0
        session.commit()
    assert _told(engine) == [ids["lead"]]  # not the admin, the deactivated or far lead
    with Session(engine) as session:
        notice = session.exec(select(Notification).where(Notification.kind == OVERDUE_KIND)).one()
        assert notice.url == f"/review/{late.id}" and "Wait Time" in notice.title
        assert "Tess" not in notice.title + notice.body


def test_with_no_active_lead_for_the_stack_the_admins_are_told(engine):
    with Session(engine, expire_on_commit=False) as session:
        org = make_org(session)
        admins = sorted(make_user(session, "admin", org_id=org.id).id for _ in range(2))
        credential = make_credential(session)
        _lead(session, org.id, credential, active=False)
        other_stack = make_credential(session)  # its own stack
        _lead(session, org.id, other_stack)  # leads a different stack: not told
        _late(session, org.id, credential)
    with Session(engine) as session:
        notify_overdue(session=session)
        session.commit()
    assert _told(engine) == admins


def test_a_lead_is_not_told_about_their_own_submission(engine):
    with Session(engine, expire_on_commit=False) as session:
        org = make_org(session)
        admin = make_user(session, "admin", org_id=org.id)
        credential = make_credential(session)
        lead = _lead(session, org.id, credential)
        make_submission(session, lead, credential, submitted_at=utcnow() - timedelta(days=9))
        admin_id = admin.id
    with Session(engine) as session:
        notify_overdue(session=session)
        session.commit()
    assert _told(engine) == [admin_id]  # nobody else leads it: the admins are


def test_two_runs_at_once_tell_the_lead_once(engine):
    with Session(engine, expire_on_commit=False) as session:
        org = make_org(session)
        make_user(session, "admin", org_id=org.id)
        credential = make_credential(session)
        lead = _lead(session, org.id, credential)
        for _ in range(3):
            _late(session, org.id, credential)
        lead_id = lead.id
    sent: list[int] = []
    errors: list[Exception] = []

    def run(barrier):
        with Session(engine) as session:
            barrier.wait()
            try:
                sent.append(notify_overdue(session=session).notices)
                session.commit()
            except Exception as err:  # recorded: the assertion shows it
                session.rollback()
                errors.append(err)

    run_at_once(2, run)
    assert not errors
    assert sum(sent) == 3
    assert _told(engine) == [lead_id] * 3
