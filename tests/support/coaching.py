"""Builders for coach tests: a cohort with members, in time zones chosen on purpose."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from server.coach import service
from server.models import Cohort, User, utcnow
from tests.support.factories import make_user


def daytime_zone() -> str:
    """A time zone where it is around noon right now (Etc/GMT-N is UTC+N), so a nudge
    sent now is never held back by quiet hours."""
    offset = (12 - utcnow().hour + 12) % 24 - 12
    return "Etc/GMT" + ("-" if offset > 0 else "+") + str(abs(offset))


def make_cohort(session: Session, coach: User, name: str = "Early Adopters") -> Cohort:
    cohort = service.create_cohort(session=session, coach=coach, name=name)
    session.commit()
    return cohort


def add_member(session: Session, cohort: Cohort, name: str, **fields) -> User:
    user = make_user(session, name=name, **fields)
    service.add_member(session=session, cohort=cohort, user_id=user.id)
    session.commit()
    return user


@pytest.fixture
def coach(session):
    return make_user(session, "coach", name="Sam Coach")


@pytest.fixture
def cohort(session, coach):
    return make_cohort(session, coach)
