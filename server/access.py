"""Who may see what: the rules every area shares (no Flask here).

Evidence is readable only by its owner, the submission's assessors, the owner's coaches
and admins (DESIGN.md §3). An assessor is qualified for a credential when they hold the
assessor role and earned it (an unrevoked Award) or an admin appointed them for its stack:
an award alone makes a teacher no reviewer. Assessors and admins act only within their
own review pool (pool_of): a district, or the independent pool.

The independent pool is everyone outside every district (a teacher who signed up on
their own, an admin made by `chalkmark create-admin`): reviewed only by assessors and
admins who are outside every district too, and by a district the instance's operator
opted in (Org.reviews_independent) as reviewers only: its admins get no insider view.
Other districts' assessors never see the pool, and its assessors never see a district's
teachers.
"""

from __future__ import annotations

from typing import Protocol, TypeGuard, TypeVar

from sqlmodel import Session, select

from server.errors import NotFound
from server.models import (
    AWAITING_REVIEW,
    AssessorAppointment,
    Award,
    CalibrationAnchor,
    CalibrationAttempt,
    Cohort,
    CohortMember,
    Credential,
    HiddenItem,
    MemberStatus,
    Org,
    Review,
    Submission,
    User,
)


def is_admin(user: User | None) -> TypeGuard[User]:
    return user is not None and user.has_role("admin")


INDEPENDENT = None  # pool_of() for people outside every district
INDEPENDENT_POOL_NAME = "independent teachers (no district)"


def pool_of(user: User) -> int | None:
    """The review pool a person belongs to: their district's id, or INDEPENDENT."""
    return user.org_id if user.org_id is not None else INDEPENDENT


def is_independent(user: User) -> bool:
    return pool_of(user) is INDEPENDENT


def same_district(user: User, other: User) -> bool:
    """The same district, or both in the independent pool: never one of each."""
    return pool_of(user) == pool_of(other)


class _Owned(Protocol):
    user_id: int


OwnedRow = TypeVar("OwnedRow", bound=_Owned)


def owned(
    session: Session, model: type[OwnedRow], row_id: int, user_id: int | None, missing: str
) -> OwnedRow:
    """A row of the user's own (passkey, device, notice, draft): anyone else's is NotFound
    with `missing`, worded like a row that does not exist (never reveal that it does)."""
    row = session.get(model, row_id)
    if row is None or row.user_id != user_id:
        raise NotFound(missing)
    return row


def reviews_independent(session: Session, user: User) -> bool:
    """`user`'s district opted in to review the independent pool too."""
    org = session.get(Org, user.org_id) if user.org_id is not None else None
    return bool(org and org.reviews_independent)


def in_review_pool(*, session: Session, reviewer: User, owner: User) -> bool:
    """The owner's work is the reviewer's to review, district-wise: the same pool, or an
    independent owner and a district that opted in to review the independent pool."""
    if same_district(reviewer, owner):
        return True
    return is_independent(owner) and reviews_independent(session, reviewer)


def is_admin_of(*, user: User | None, owner: User) -> bool:
    """An admin of the owner's district (an admin elsewhere is nobody here)."""
    return is_admin(user) and same_district(user, owner)


def is_qualified_assessor(*, session: Session, user: User | None, credential: Credential) -> bool:
    """Qualified for the credential, district aside (see may_review for one submission)."""
    if user is None:
        return False
    if is_admin(user):
        return True
    if not user.has_role("assessor"):
        return False
    if _has_award(session, user.id, credential.id):
        return True
    return session.get(AssessorAppointment, (user.id, credential.stack_id)) is not None


def may_review(*, session: Session, user: User | None, submission: Submission) -> bool:
    """A qualified assessor (or admin) of the owner's district, never the owner."""
    if user is None or user.id == submission.user_id:
        return False
    owner = session.get(User, submission.user_id)
    if owner is None or not in_review_pool(session=session, reviewer=user, owner=owner):
        return False
    credential = session.get_one(Credential, submission.credential_id)
    return is_qualified_assessor(session=session, user=user, credential=credential)


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
        .where(
            Cohort.coach_id == coach.id,
            CohortMember.user_id == member_id,
            CohortMember.status == MemberStatus.ACTIVE.value,
        )  # invited shares nothing
    ).first()
    return row is not None


def has_reviewed(*, session: Session, user: User, submission: Submission) -> bool:
    row = session.exec(
        select(Review.id).where(
            Review.submission_id == submission.id, Review.assessor_id == user.id
        )
    ).first()
    return row is not None


def sees_as_insider(*, session: Session, user: User | None, submission: Submission) -> bool:
    """Owner, an admin of the owner's district, or the owner's coach: people who know who
    the teacher is anyway (blind review never hides the name from them)."""
    if user is None:
        return False
    if user.id == submission.user_id:
        return True
    owner = session.get(User, submission.user_id)
    if owner is not None and is_admin_of(user=user, owner=owner):
        return True
    return is_coach_of(session=session, coach=user, member_id=submission.user_id)


def can_view_submission(*, session: Session, user: User | None, submission: Submission) -> bool:
    """An insider (above), or an assessor who may review it: while it waits for review,
    or afterwards when they reviewed it."""
    if sees_as_insider(session=session, user=user, submission=submission):
        return True
    if user is None or not may_review(session=session, user=user, submission=submission):
        return False
    return submission.status in AWAITING_REVIEW or has_reviewed(
        session=session, user=user, submission=submission
    )


def calibrating_on(*, session: Session, user: User | None, submission: Submission) -> bool:
    """The user has an open (unscored) calibration try of this submission as an active
    anchor: its evidence is theirs to read until they score it, and never afterwards."""
    if user is None:
        return False
    row = session.exec(
        select(CalibrationAttempt.id)
        .join(CalibrationAnchor, CalibrationAnchor.id == CalibrationAttempt.anchor_id)
        .where(
            CalibrationAnchor.submission_id == submission.id,
            CalibrationAnchor.retired_at.is_(None),
            CalibrationAttempt.assessor_id == user.id,
            CalibrationAttempt.total == 0,
        )
    ).first()
    return row is not None


def can_view_evidence(*, session: Session, user: User | None, submission: Submission) -> bool:
    """Evidence files: whoever may view the submission, and an assessor calibrating on it
    (who never gets the submission's own page: it names the teacher)."""
    return (
        can_view_submission(session=session, user=user, submission=submission)
        or calibrating_on(session=session, user=user, submission=submission)
        or shown_hidden(session=session, user=user, submission=submission)
    )


def shown_hidden(*, session: Session, user: User | None, submission: Submission) -> bool:
    """The submission is an anchor shown to the user as a hidden item of their live queue
    (review/hidden.py): its evidence stays readable, as a reviewed attempt's does."""
    if user is None:
        return False
    row = session.exec(
        select(HiddenItem.id)
        .join(CalibrationAnchor, CalibrationAnchor.id == HiddenItem.anchor_id)
        .where(CalibrationAnchor.submission_id == submission.id, HiddenItem.assessor_id == user.id)
    ).first()
    return row is not None
