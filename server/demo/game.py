"""Demo game history: eight weeks of points for the Early Adopters, so the cohort's
leaderboards, streaks and charts look lived-in. Everything goes through the ledger, so
totals, weekly totals, streaks and level notices stay right.

Refs start with "demo:" so a credential really earned later in the demo still pays.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from server.catalog.service import published_credential
from server.game import ledger, rules, streaks
from server.models import Cohort, CohortMember, Credential, MemberStatus, User, utcnow

COHORT = "Early Adopters"
WEEKS = 8


def seed_game(*, session: Session, now: datetime | None = None) -> str:
    """Add the history (the caller commits; seed_demo commits at its end)."""
    now = now or utcnow()
    cohort = session.execute(select(Cohort).where(Cohort.name == COHORT)).scalars().first()
    if cohort is None:
        return f"no {COHORT} cohort, so no game history"
    members = list(
        session.execute(
            select(User)
            .join(CohortMember, CohortMember.user_id == User.id)
            .where(
                CohortMember.cohort_id == cohort.id,
                CohortMember.status == MemberStatus.ACTIVE.value,
            )
            .order_by(User.id)
        ).scalars()
    )
    credentials = list(
        session.execute(
            select(Credential.id, Credential.points)
            .where(published_credential())
            .order_by(Credential.id)
        ).all()
    )
    rng = random.Random(2026)  # the same lively board on every fresh demo
    paid = sum(_history(session, member, credentials, rng, now) for member in members)
    return f"{paid} point events for {len(members)} {COHORT} over {WEEKS} weeks"


def _moment(rng: random.Random, now: datetime, weeks_ago: int) -> datetime:
    if weeks_ago == 0:  # something this week keeps "this week" boards moving
        return now - timedelta(minutes=rng.uniform(5, 90))
    return now - timedelta(weeks=weeks_ago, hours=rng.uniform(0, 72))


def _history(
    session: Session, member: User, credentials: list, rng: random.Random, now: datetime
) -> int:
    drive = 0.35 + 0.6 * rng.random()  # how often this person shows up in a week
    queue = list(credentials)
    rng.shuffle(queue)
    paid = 0
    for weeks_ago in range(WEEKS, -1, -1):
        if rng.random() > drive:
            continue  # a quiet week breaks the streak, as real weeks do
        at = _moment(rng, now, weeks_ago)
        paid += streaks.record_activity(session=session, user_id=member.id, kind="capture", at=at)
        if queue and rng.random() < 0.55:
            paid += _earn(session, member, queue.pop(), rng, at)
    return paid


def _earn(session: Session, member: User, credential, rng: random.Random, at: datetime) -> int:
    credential_id, points = credential
    ref = f"demo:credential:{credential_id}"
    payments = [
        (
            rules.FIRST_SUBMISSION.name,
            rules.points_for(rules.FIRST_SUBMISSION),
            at - timedelta(days=2),
        ),
        (rules.CREDENTIAL_EARNED.name, points, at),
    ]
    if rng.random() < 0.3:  # earned it after a "not yet": persistence shows on the board
        payments.append((rules.PERSISTENCE.name, rules.points_for(rules.PERSISTENCE), at))
    return sum(
        ledger.pay(session=session, user_id=member.id, rule=rule, ref=ref, points=value, at=when)
        for rule, value, when in payments
    )
