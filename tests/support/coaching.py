"""Coach test helpers: joining a cohort the real way (invited, accepted), a daytime zone,
and the district / coach / cohort fixtures."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from server.coach import invitations, service
from server.models import Cohort, User, utcnow
from tests.support.factories import make_cohort, make_org, make_user


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
