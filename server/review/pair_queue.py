"""The queue's rule for double-blind attempts (SQL twin of double._check): the attempt
stays available until two blind places are taken (decided, or under a live lease) by
others, never to an assessor who scored it already, and after both scored only to a
lead assessor of the stack (or a district admin) outside the pair."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, func, or_, true
from sqlmodel import select

from server import access
from server.models import AssessorAppointment, Credential, Review, ReviewKind, Submission, User
from server.review.modes import double_blind_clause


def _blind(*conditions: ColumnElement[bool]):
    return select(func.count(Review.id)).where(
        Review.submission_id == Submission.id, Review.kind == ReviewKind.BLIND.value, *conditions
    )


def available_clause(
    *, assessor: User, teacher: type[User], now: datetime, held_by_other: ColumnElement[bool]
) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """(may take it, it is a pair attempt) for the queue's query: a single attempt keeps
    the one-lease rule (`held_by_other`)."""
    pair = double_blind_clause(teacher)
    decided = _blind(Review.decision.is_not(None)).scalar_subquery()
    taken = _blind(
        Review.assessor_id != assessor.id,
        or_(Review.decision.is_not(None), Review.claimed_until > now),
    ).scalar_subquery()
    scored_by_me = exists(
        select(Review.id).where(
            Review.submission_id == Submission.id,
            Review.assessor_id == assessor.id,
            Review.kind == ReviewKind.BLIND.value,
        )
    )
    lead = (
        true()
        if access.is_admin(assessor)
        else exists(
            select(AssessorAppointment.user_id).where(
                AssessorAppointment.user_id == assessor.id,
                AssessorAppointment.stack_id == Credential.stack_id,
                AssessorAppointment.is_lead.is_(True),
            )
        )
    )
    may_take = or_(
        and_(~pair, ~held_by_other),
        and_(pair, decided < 2, taken < 2, ~_decided_by_me(assessor)),
        and_(pair, decided >= 2, lead, ~scored_by_me, ~held_by_other),
    )
    return may_take, pair


def _decided_by_me(assessor: User) -> ColumnElement[bool]:
    return exists(
        select(Review.id).where(
            Review.submission_id == Submission.id,
            Review.assessor_id == assessor.id,
            Review.kind == ReviewKind.BLIND.value,
            Review.decision.is_not(None),
        )
    )
