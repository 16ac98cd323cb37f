"""An assessor's decision history (an admin's: their district's), newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from server import access
from server.models import Appeal, Credential, Org, Review, ReviewKind, Submission, User
from server.review.blind import org_is_blind, pseudonym
from server.review.queue import same_district


@dataclass(frozen=True)
class HistoryRow:
    submission_id: int
    credential_title: str
    attempt: int
    teacher: str
    decision: str
    decided_at: datetime
    assessor: str


def history(
    *, session: Session, assessor: User, limit: int = 200, blind_key: str = ""
) -> list[HistoryRow]:
    """Decisions made, newest first: my own, or everyone's in the district for an admin."""
    teacher_org = aliased(Org)
    reviewer = aliased(User)
    query = (
        select(
            Review,
            Submission,
            Credential.title,
            User,  # type: ignore[call-overload]  # > 4
            teacher_org.blind_review,
            reviewer.display_name,
        )
        .join(Submission, Submission.id == Review.submission_id)
        .join(Credential, Credential.id == Submission.credential_id)
        .join(User, User.id == Submission.user_id)
        .join(reviewer, reviewer.id == Review.assessor_id)
        .outerjoin(teacher_org, teacher_org.id == User.org_id)
        .where(Review.decision.is_not(None))
        .order_by(Review.decided_at.desc(), Review.id.desc())
        .limit(limit)
    )
    if access.is_admin(assessor):  # their district's teachers, and what they decided
        query = query.where(or_(same_district(User, assessor), Review.assessor_id == assessor.id))
        # A first decision under appeal stays hidden until the second opinion (blind).
        pending = select(Appeal.id).where(
            Appeal.submission_id == Review.submission_id, Appeal.outcome.is_(None)
        )
        query = query.where(or_(~exists(pending), Review.assessor_id == assessor.id))
    else:
        query = query.where(Review.assessor_id == assessor.id)
    assessor_blind = org_is_blind(session, assessor.org_id)
    return [
        HistoryRow(
            submission_id=submission.id,
            credential_title=title,
            attempt=submission.attempt,
            teacher=f"Teacher #{pseudonym(teacher.id, blind_key)}"
            if (assessor_blind or teacher_blind or _pair_blind(review, assessor))
            else teacher.display_name,
            decision=review.decision,
            decided_at=review.decided_at,
            assessor=assessor_name,
        )
        for review, submission, title, teacher, teacher_blind, assessor_name in session.exec(query)
    ]


def _pair_blind(review: Review, reader: User) -> bool:
    """A double-blind assessor's own history keeps the teacher's pseudonym."""
    return review.kind == ReviewKind.BLIND.value and not access.is_admin(reader)
