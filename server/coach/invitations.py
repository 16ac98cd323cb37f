"""The member's side of a cohort: their invitations and cohorts, to accept, decline or
leave. Only an accepted membership lets the coach see their progress and evidence."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from server.errors import NotFound
from server.models import Cohort, CohortMember, MemberStatus, User, utcnow


@dataclass(frozen=True)
class MyCohort:
    cohort: Cohort
    coach_name: str
    status: str

    @property
    def invited(self) -> bool:
        return self.status == MemberStatus.INVITED.value


def my_cohorts(*, session: Session, user: User) -> list[MyCohort]:
    """Invitations first, then the cohorts the user is in (never the ones they left)."""
    rows = session.exec(
        select(Cohort, User.display_name, CohortMember.status)
        .join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .join(User, User.id == Cohort.coach_id)
        .where(CohortMember.user_id == user.id, CohortMember.status != MemberStatus.LEFT.value)
        .order_by(Cohort.name, Cohort.id)
    )
    found = [MyCohort(cohort, coach, status) for cohort, coach, status in rows]
    return sorted(found, key=lambda mine: not mine.invited)


def _membership(session: Session, user: User, cohort_id: int, *statuses: str) -> CohortMember:
    member = session.get(CohortMember, (cohort_id, user.id))
    if member is None or member.status not in statuses:
        raise NotFound("We couldn't find that cohort among your invitations and cohorts.")
    return member


def accept(*, session: Session, user: User, cohort_id: int) -> Cohort:
    """Accept an invitation (accepting twice is harmless); the caller commits."""
    member = _membership(
        session, user, cohort_id, MemberStatus.INVITED.value, MemberStatus.ACTIVE.value
    )
    if member.status != MemberStatus.ACTIVE.value:
        member.status, member.joined_at = MemberStatus.ACTIVE.value, utcnow()
        session.add(member)
    return session.get_one(Cohort, cohort_id)


def leave(*, session: Session, user: User, cohort_id: int) -> Cohort:
    """Decline an invitation or leave a cohort: the coach stops seeing this person's work
    at once, and can't invite them again (the invite link still works for them)."""
    member = _membership(
        session, user, cohort_id, MemberStatus.INVITED.value, MemberStatus.ACTIVE.value
    )
    member.status = MemberStatus.LEFT.value
    session.add(member)
    return session.get_one(Cohort, cohort_id)
