"""Coach test helpers: joining a cohort the real way (invited, accepted), a daytime zone,
the district / coach / cohort fixtures, and a member's history dated in days before NOW
(attempts, evidence, joining) for the stalled / progress tests."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, select

from server.coach import invitations, service
from server.models import Cohort, CohortMember, EvidenceItem, Submission, User, utcnow
from tests.support.factories import make_cohort, make_org, make_submission, make_user

NOW = utcnow()


def daytime_zone() -> str:
    """A time zone where it is around noon right now (Etc/GMT-N is UTC+N), so a nudge
    sent now is never held back by quiet hours."""
    offset = (12 - utcnow().hour + 12) % 24 - 12
    return "Etc/GMT" + ("-" if offset > 0 else "+") + str(abs(offset))


def add_member(session: Session, cohort: Cohort, name: str, **fields) -> User:
    """A person of the cohort's district, invited by its coach, who accepted."""
    user = make_user(session, name=name, **{"org_id": cohort.org_id, **fields})
    invite(session, cohort, user)
    invitations.accept(session=session, user=user, cohort_id=cohort.id)
    session.commit()
    return user


def invite(session: Session, cohort: Cohort, user: User) -> None:
    service.invite_member(
        session=session, cohort=cohort, by=session.get(User, cohort.coach_id), user_id=user.id
    )
    session.commit()


@pytest.fixture
def district(session):
    return make_org(session, name="Riverbend")


@pytest.fixture
def coach(session, district):
    return make_user(session, "coach", name="Sam Coach", org_id=district.id)


@pytest.fixture
def cohort(session, coach):
    return make_cohort(session, coach)


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def dated_attempt(
    session: Session,
    user: User,
    credential,
    status: str,
    *,
    created: float,
    updated: float | None = None,
    submitted: float | None = None,
    decided: float | None = None,
    attempt: int = 1,
) -> Submission:
    """An attempt whose times are given in days before NOW (updated: as created)."""
    return make_submission(
        session,
        user,
        credential,
        status=status,
        attempt=attempt,
        created_at=days_ago(created),
        updated_at=days_ago(created if updated is None else updated),
        submitted_at=None if submitted is None else days_ago(submitted),
        decided_at=None if decided is None else days_ago(decided),
    )


def evidence_added(session: Session, submission: Submission, uuid: str, *, days: float) -> None:
    """A text evidence item added `days` before NOW: the member's latest activity."""
    session.add(
        EvidenceItem(
            submission_id=submission.id,
            requirement_id=1,
            client_uuid=uuid,
            kind="text",
            created_at=days_ago(days),
        )
    )


def joined_days_ago(session: Session, days_by_user: dict[int, float]) -> None:
    """Back-date when each member (by user id) joined their cohort."""
    for member in session.exec(select(CohortMember)).all():
        if member.user_id in days_by_user:
            member.joined_at = days_ago(days_by_user[member.user_id])
            session.add(member)
    session.commit()
