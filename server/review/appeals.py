"""Appeal: after a "not yet", the teacher may ask once for a second opinion.

Filing puts the attempt back in the queue (status "submitted") for any qualified assessor
except the one who decided it first; the review page shows the second assessor nothing of
the first decision; their decision, made the normal way (decide.py), is final and is
recorded on the Appeal row. One Appeal per attempt (unique submission_id): of two
filings at once exactly one is stored, the other is told so (Conflict). No Flask here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from server.errors import Conflict, Forbidden, InvalidInput
from server.models import (
    Appeal,
    Review,
    Submission,
    SubmissionStatus,
    User,
    utcnow,
)
from server.submissions import queries, versioned

REASON_LIMIT = 2_000
ALREADY_APPEALED = (
    "You already asked for a second opinion on this attempt; it can be asked only once."
)
FIRST_ASSESSOR = (
    "You made the first decision on this attempt; its second opinion must come from "
    "another assessor."
)


def appeal_of(*, session: Session, submission_id: int) -> Appeal | None:
    return session.exec(select(Appeal).where(Appeal.submission_id == submission_id)).first()


def open_appeal(*, session: Session, submission_id: int) -> Appeal | None:
    """The appeal still waiting for its second opinion, if any."""
    appeal = appeal_of(session=session, submission_id=submission_id)
    return appeal if appeal is not None and appeal.outcome is None else None


def refusal(*, session: Session, submission: Submission, user: User) -> str | None:
    """Why `user` may not appeal this attempt now, or None when they may."""
    if submission.user_id != user.id:
        return "Only the teacher who owns this submission can ask for a second opinion."
    if appeal_of(session=session, submission_id=submission.id) is not None:
        return ALREADY_APPEALED
    if submission.status != SubmissionStatus.NOT_YET.value:
        return "Only an attempt marked \u201cnot yet\u201d can have a second opinion."
    latest = queries.latest_attempt(
        session=session, user_id=submission.user_id, credential_id=submission.credential_id
    )
    if latest is not None and latest.id != submission.id:
        return "You have started a newer attempt, so this one can no longer be appealed."
    return None


def file_appeal(
    *,
    session: Session,
    submission: Submission,
    user: User,
    reason: str,
    now: datetime | None = None,
) -> Appeal:
    """Ask for a second opinion. The caller commits; on Conflict it rolls back."""
    now = now or utcnow()
    why_not = refusal(session=session, submission=submission, user=user)
    if why_not is not None:
        if submission.user_id != user.id:
            raise Forbidden(why_not)
        raise Conflict(why_not)
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Say why you'd like a second opinion.", field="reason")
    if len(reason) > REASON_LIMIT:
        raise InvalidInput(f"Keep the reason under {REASON_LIMIT:,} characters.", field="reason")
    first = _first_review(session, submission.id)
    appeal = Appeal(
        submission_id=submission.id,
        reason=reason,
        first_assessor_id=first.assessor_id if first else None,
        created_at=now,
    )
    session.add(appeal)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(ALREADY_APPEALED) from None
    # Back to the queue, guarded on status and version: nothing else moved it meanwhile.
    if not versioned.advance(
        session=session,
        submission=submission,
        status_was=SubmissionStatus.NOT_YET.value,
        status=SubmissionStatus.SUBMITTED.value,
        decided_at=None,
        updated_at=now,
    ):
        session.rollback()
        raise Conflict("This attempt changed meanwhile. Reload the page to see where it stands.")
    session.refresh(submission)
    return appeal


def _first_review(session: Session, submission_id: int) -> Review | None:
    return session.exec(
        select(Review)
        .where(Review.submission_id == submission_id, Review.decision.is_not(None))
        .order_by(Review.decided_at.desc(), Review.id.desc())
    ).first()


def made_first_decision(*, session: Session, submission_id: int, assessor_id: int) -> bool:
    """Whether an appeal waits on this attempt and `assessor_id` took part in the decision
    it appeals: its first assessor (or, for a double-blind attempt, anyone who scored or
    reconciled it). The claim and decide guard and the review page both ask this."""
    appeal = open_appeal(session=session, submission_id=submission_id)
    if appeal is None:
        return False
    return appeal.first_assessor_id == assessor_id or _decided_by(
        session, submission_id, assessor_id
    )


def check_not_first_assessor(*, session: Session, submission: Submission, assessor: User) -> None:
    """The claim and decide guard: whoever made the first decision never gives the
    second opinion."""
    if made_first_decision(session=session, submission_id=submission.id, assessor_id=assessor.id):
        raise Forbidden(FIRST_ASSESSOR)


def _decided_by(session: Session, submission_id: int, assessor_id: int) -> bool:
    found = session.exec(
        select(Review.id).where(
            Review.submission_id == submission_id,
            Review.assessor_id == assessor_id,
            Review.decision.is_not(None),
        )
    ).first()
    return found is not None


def on_decision(*, session: Session, review: Review) -> None:
    """A decision on an appealed attempt is its final outcome: record it."""
    appeal = open_appeal(session=session, submission_id=review.submission_id)
    if appeal is None:
        return
    appeal.outcome = review.decision
    appeal.second_assessor_id = review.assessor_id
    appeal.decided_at = review.decided_at
    session.add(appeal)


def hidden_review_ids(*, session: Session, submission_id: int) -> set[int]:
    """The first decision's review(s), hidden from everyone but the owner while the
    second opinion is pending (blind)."""
    if open_appeal(session=session, submission_id=submission_id) is None:
        return set()
    return set(
        session.exec(
            select(Review.id).where(
                Review.submission_id == submission_id, Review.decision.is_not(None)
            )
        ).all()
    )
