"""Lead assessors: appointed per stack (AssessorAppointment.is_lead) in a district, they
reconcile a double-blind pair that disagreed (double.py), and are told when one waits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import Session, select

from server import access
from server.models import AssessorAppointment, Credential, NoticeKind, Review, Role, User
from server.notify import service as notify

if TYPE_CHECKING:
    from server.review.double import PairState
    from server.review.guards import Reviewable


def is_lead(*, session: Session, user: User, credential: Credential) -> bool:
    found = session.exec(
        select(AssessorAppointment.user_id).where(
            AssessorAppointment.user_id == user.id,
            AssessorAppointment.stack_id == credential.stack_id,
            AssessorAppointment.is_lead.is_(True),
        )
    ).first()
    return found is not None


def may_reconcile(
    *, session: Session, state: PairState, user: User, credential: Credential
) -> bool:
    """A lead of the stack, or an admin of the district (so no attempt waits forever
    where nobody was made lead), who is not one of the pair (load_for_reviewer has
    checked the district and the qualification)."""
    if any(review.assessor_id == user.id for review in state.blind):
        return False
    return access.is_admin(user) or is_lead(session=session, user=user, credential=credential)


def leads_of(*, session: Session, found: Reviewable, pair: list[Review]) -> list[int]:
    """The stack's lead assessors in the teacher's district, but the pair; when there
    is none, the district's admins."""
    return told_for_stack(
        session=session,
        org_id=found.teacher.org_id,
        stack_id=found.credential.stack_id,
        excluding=[r.assessor_id for r in pair] + [found.teacher.id],
    )


def told_for_stack(
    *, session: Session, org_id: int | None, stack_id: int, excluding: list[int]
) -> list[int]:
    """Who hears about a stack's waiting work in a district: its active lead assessors
    there (never anyone in `excluding`); when there is none, the district's active
    admins (outside every district: nobody)."""
    people = select(User.id).where(
        User.id.not_in(excluding),
        User.org_id == org_id if org_id is not None else User.org_id.is_(None),
        User.deactivated_at.is_(None),
    )
    leads = session.exec(
        people.join(AssessorAppointment, AssessorAppointment.user_id == User.id)
        .where(
            AssessorAppointment.stack_id == stack_id,
            AssessorAppointment.is_lead.is_(True),
        )
        .order_by(User.id)
    ).all()
    if leads or org_id is None:
        return list(leads)
    admins = people.where(User.roles.contains(Role.ADMIN.value)).order_by(User.id)
    return list(session.exec(admins).all())


def ask_the_leads(*, session: Session, found: Reviewable, pair: list[Review]) -> None:
    """The pair disagreed: each lead assessor is told once (no teacher's name)."""
    for user_id in leads_of(session=session, found=found, pair=pair):
        notify.send(
            session=session,
            user_id=user_id,
            kind=NoticeKind.RECONCILE,
            title=f"Two assessors differ on {found.credential.title}: please reconcile"[:200],
            body=f"Attempt {found.submission.attempt} waits for a lead assessor's decision.",
            url=f"/review/{found.submission.id}",
        )
