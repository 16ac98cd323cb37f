"""Builders for the game tests: cohorts, submissions, awards, reviews and ledger sums."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from server.config import Settings
from server.game import levels, rules
from server.models import (
    Award,
    Cohort,
    CohortMember,
    Credential,
    PointEvent,
    Review,
    Submission,
    User,
    UserPoints,
    WeeklyPoints,
    utcnow,
)


def make_cohort(session: Session, *, coach: User, members: list[User], name: str = "Cohort",
                org_id: int | None = None) -> Cohort:
    cohort = Cohort(name=name, coach_id=coach.id, org_id=org_id)
    session.add(cohort)
    session.commit()
    for member in members:
        session.add(CohortMember(cohort_id=cohort.id, user_id=member.id, status="active"))
    session.commit()
    session.refresh(cohort)
    return cohort


def make_submission(session: Session, user: User, credential: Credential, *,
                    status: str = "submitted", attempt: int = 1) -> Submission:
    now = utcnow()
    submission = Submission(user_id=user.id, credential_id=credential.id, attempt=attempt,
                            status=status, consent_given=True, submitted_at=now,
                            decided_at=now if status in ("awarded", "not_yet") else None)
    session.add(submission)
    session.commit()
    session.refresh(submission)
    return submission


def make_award(session: Session, user: User, credential: Credential,
               submission: Submission | None = None, *, revoked: bool = False) -> Award:
    submission = submission or make_submission(session, user, credential, status="awarded")
    award = Award(user_id=user.id, credential_id=credential.id, submission_id=submission.id,
                  revoked_at=utcnow() if revoked else None)
    session.add(award)
    session.commit()
    return award


def make_review(session: Session, assessor: User, submission: Submission, *,
                decision: str | None = "awarded") -> Review:
    now = utcnow()
    review = Review(submission_id=submission.id, assessor_id=assessor.id,
                    claimed_until=now + timedelta(hours=48), decision=decision,
                    feedback="Good work" if decision else None,
                    decided_at=now if decision else None)
    session.add(review)
    session.commit()
    session.refresh(review)
    return review


def ledger_totals(session: Session) -> dict[int, int]:
    return dict(session.execute(
        select(PointEvent.user_id, func.sum(PointEvent.points)).group_by(PointEvent.user_id)
    ).all())


def cached_totals(session: Session) -> dict[int, int]:
    return {uid: total for uid, total in session.execute(
        select(UserPoints.user_id, UserPoints.total)) if total}


def cached_weeks(session: Session) -> dict[tuple[int, str], int]:
    return {(uid, week): pts for uid, week, pts in session.execute(
        select(WeeklyPoints.user_id, WeeklyPoints.iso_week, WeeklyPoints.points)) if pts}


def events(session: Session, user: User, rule: str | None = None) -> list[PointEvent]:
    query = select(PointEvent).where(PointEvent.user_id == user.id)
    if rule:
        query = query.where(PointEvent.rule == rule)
    session.expire_all()
    return list(session.execute(query).scalars())


@contextmanager
def game_settings(settings: Settings) -> Iterator[None]:
    """Install these settings' points and levels as the app does, then the defaults again
    (the game services read module state: it must not leak into the next test)."""
    rules.configure(settings.game_points)
    levels.configure(settings.game_levels)
    try:
        yield
    finally:
        rules.configure({})
        levels.configure(levels.DEFAULT_THRESHOLDS)
