"""Who may see what: the rules every area shares (no Flask here).

Evidence is readable only by its owner, the submission's assessors, the owner's coaches
and admins (DESIGN.md §3). An assessor is qualified for a credential when they earned it
(an unrevoked Award) or an admin appointed them for its stack.
"""

from __future__ import annotations

from sqlmodel import Session, select

from server.models import (
    AssessorAppointment,
    Award,
    Cohort,
    CohortMember,
    Credential,
    MemberStatus,
    Review,
    Submission,
    SubmissionStatus,
    User,
)

REVIEWABLE = {SubmissionStatus.SUBMITTED.value, SubmissionStatus.IN_REVIEW.value}


def is_admin(user: User | None) -> bool:
    return user is not None and user.has_role("admin")


def is_qualified_assessor(*, session: Session, user: User | None, credential: Credential) -> bool:
    if user is None:
        return False
    if is_admin(user) or _has_award(session, user.id, credential.id):
        return True
    if not user.has_role("assessor"):
        return False
    return session.get(AssessorAppointment, (user.id, credential.stack_id)) is not None


def _has_award(session: Session, user_id: int, credential_id: int) -> bool:
    award = session.exec(
        select(Award.id).where(
            Award.user_id == user_id,
            Award.credential_id == credential_id,
            Award.revoked_at.is_(None),
        )
    ).first()
    return award is not None


def is_coach_of(*, session: Session, coach: User | None, member_id: int) -> bool:
    if coach is None:
        return False
    row = session.exec(
        select(Cohort.id)
        .join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(Cohort.coach_id == coach.id, CohortMember.user_id == member_id,
               CohortMember.status == MemberStatus.ACTIVE.value)  # invited shares nothing
    ).first()
    return row is not None


def has_reviewed(*, session: Session, user: User, submission: Submission) -> bool:
    row = session.exec(
        select(Review.id).where(
            Review.submission_id == submission.id, Review.assessor_id == user.id
        )
    ).first()
    return row is not None


def can_view_submission(*, session: Session, user: User | None, submission: Submission) -> bool:
    """Owner, admin, the owner's coach, an assessor who reviewed it, or — while it waits
    for review — any assessor qualified for its credential (never their own)."""
    if user is None:
        return False
    if user.id == submission.user_id or is_admin(user):
        return True
    if is_coach_of(session=session, coach=user, member_id=submission.user_id):
        return True
    if has_reviewed(session=session, user=user, submission=submission):
        return True
    if submission.status in REVIEWABLE:
        credential = session.get(Credential, submission.credential_id)
        return is_qualified_assessor(session=session, user=user, credential=credential)
    return False
