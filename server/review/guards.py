"""The claim and decide guards, in one place: who may review what, whether an attempt is
still open, the live lease, the one conditional UPDATE that lets exactly one claim or
decision through, and the "already decided / already reviewing" messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, func, select

from server import access
from server.catalog.service import requirements_for
from server.errors import Conflict, Forbidden, NotFound
from server.labels import kind_title
from server.models import (
    AWAITING_REVIEW,
    DECIDED,
    Credential,
    EvidenceItem,
    Review,
    ReviewKind,
    Submission,
    SubmissionStatus,
    User,
)
from server.review.appeals import check_not_first_assessor
from server.submissions.versioned import advance
from server.timezones import in_zone

NOT_IN_QUEUE = "We couldn't find that submission among the ones you can review."
NO_LONGER_WAITING = "This submission is no longer waiting for review."


@dataclass(frozen=True)
class Reviewable:
    submission: Submission
    credential: Credential
    teacher: User


def load_for_reviewer(*, session: Session, viewer: User, submission_id: int) -> Reviewable:
    """The submission when `viewer` may review or read it as an assessor, else an error.

    Someone not qualified (or of another district) gets NotFound (the id tells them
    nothing); the owner is told plainly that nobody reviews their own work; a qualified
    assessor who lost the race gets "already decided by …", not a missing page.
    """
    submission = session.get(Submission, submission_id)
    if submission is None or submission.status == SubmissionStatus.DRAFT.value:
        raise NotFound(NOT_IN_QUEUE)
    if submission.user_id == viewer.id:
        raise Forbidden("You can't review your own submission; another assessor will.")
    if not access.may_review(session=session, user=viewer, submission=submission):
        raise NotFound(NOT_IN_QUEUE)
    if not access.can_view_submission(session=session, user=viewer, submission=submission):
        if submission.status in DECIDED:  # someone else decided it first: say who
            raise already_decided(session=session, submission=submission, reader=viewer)
        raise NotFound(NOT_IN_QUEUE)
    credential = session.get_one(Credential, submission.credential_id)
    return Reviewable(submission, credential, session.get_one(User, submission.user_id))


def live_lease(*, session: Session, submission_id: int, now: datetime) -> Review | None:
    """The undecided review whose lease still runs, if any (an expired one is free)."""
    return session.exec(
        select(Review)
        .where(
            Review.submission_id == submission_id,
            Review.decision.is_(None),
            Review.claimed_until > now,
        )
        .order_by(Review.claimed_until.desc())
    ).first()


def open_review_of(*, session: Session, submission_id: int, assessor_id: int) -> Review | None:
    """This assessor's undecided review row, live or lapsed: reused rather than duplicated."""
    return session.exec(
        select(Review)
        .where(
            Review.submission_id == submission_id,
            Review.assessor_id == assessor_id,
            Review.decision.is_(None),
        )
        .order_by(Review.claimed_until.desc())
    ).first()


def hold(
    *,
    session: Session,
    submission_id: int,
    assessor_id: int,
    now: datetime,
    until: datetime,
    kind: str | None = None,
) -> Review:
    """The assessor's claim on the attempt from `now` to `until`: their undecided review
    row reused (a lapsed claim taken again), else a new one. The caller has already won
    the attempt's conditional UPDATE."""
    review = open_review_of(session=session, submission_id=submission_id, assessor_id=assessor_id)
    review = review or Review(
        submission_id=submission_id, assessor_id=assessor_id, claimed_until=until
    )
    review.claimed_at, review.claimed_until = now, until
    if kind is not None:
        review.kind = kind
    session.add(review)
    return review


def decided_review(*, session: Session, submission_id: int) -> Review | None:
    return session.exec(
        select(Review)
        .where(Review.submission_id == submission_id, Review.decision.is_not(None))
        .order_by(Review.decided_at.desc())
    ).first()


def display_name(session: Session, user_id: int) -> str:
    user = session.get(User, user_id)
    return user.display_name if user else "another assessor"


def format_when(moment: datetime, timezone: str | None = None) -> str:
    """'3 May 2025, 14:05 UTC' in the reader's own time zone when it is known."""
    local = in_zone(moment, timezone)
    return f"{local.day} {local:%b %Y, %H:%M} {getattr(local.tzinfo, 'key', 'UTC')}"


def already_decided(*, session: Session, submission: Submission, reader: User) -> Conflict:
    review = decided_review(session=session, submission_id=submission.id)
    if review is None or review.kind != ReviewKind.SINGLE.value:
        # A double-blind pair's assessors stay anonymous to each other.
        return Conflict("This submission has already been decided.")
    name = display_name(session, review.assessor_id)
    moment = review.decided_at or submission.decided_at
    if moment is None:
        return Conflict(f"Already decided by {name}.")
    return Conflict(f"Already decided by {name} at {format_when(moment, reader.timezone)}.")


def already_reviewing(*, session: Session, lease: Review) -> Conflict:
    name = display_name(session, lease.assessor_id)
    return Conflict(f"{name} is already reviewing this.")


def conflict_after_race(
    *, session: Session, submission: Submission, reader: User, now: datetime
) -> Conflict:
    """Our conditional UPDATE changed nothing: say who got there first."""
    session.refresh(submission)
    if submission.status in DECIDED:
        return already_decided(session=session, submission=submission, reader=reader)
    lease = live_lease(session=session, submission_id=submission.id, now=now)
    if lease is not None and lease.assessor_id != reader.id:
        return already_reviewing(session=session, lease=lease)
    return Conflict(
        "This submission changed while you were working on it. "
        "Reload the page to see where it stands."
    )


def check_still_open(
    *, session: Session, submission: Submission, assessor: User, now: datetime
) -> Review | None:
    """Claim and decide both need an attempt that is undecided, still waiting for review
    and not held by another assessor's live lease. Returns the live lease (the
    assessor's own) or None."""
    if submission.status in DECIDED:
        raise already_decided(session=session, submission=submission, reader=assessor)
    if submission.status not in AWAITING_REVIEW:
        raise Conflict(NO_LONGER_WAITING)
    check_not_first_assessor(session=session, submission=submission, assessor=assessor)
    lease = live_lease(session=session, submission_id=submission.id, now=now)
    if lease is not None and lease.assessor_id != assessor.id:
        raise already_reviewing(session=session, lease=lease)
    return lease


def win_transition(
    *, session: Session, submission: Submission, reader: User, now: datetime, **values: object
) -> None:
    """The one statement that moves a waiting attempt on (claimed, or decided). The
    version we read must still be current, so a claim or decision that slipped in since
    makes rowcount 0 and the loser is told who got there first."""
    if not try_transition(session=session, submission=submission, now=now, **values):
        raise conflict_after_race(session=session, submission=submission, reader=reader, now=now)
    session.refresh(submission)


def try_transition(
    *, session: Session, submission: Submission, now: datetime, **values: object
) -> bool:
    """win_transition's conditional UPDATE alone: False when the version moved on (a
    double-blind pair re-reads and tries again: both scores count, see double.py)."""
    return advance(
        session=session,
        submission=submission,
        status_was=AWAITING_REVIEW,
        updated_at=now,
        **values,
    )


def empty_required_parts(*, session: Session, submission: Submission) -> list[str]:
    """The required parts with no evidence at all ("Part 2 (written response)"): an
    attempt missing one can't be awarded, whatever the rubric says (its evidence may
    have been deleted, or the part added after it was submitted)."""
    counts = dict(
        session.exec(
            select(EvidenceItem.requirement_id, func.count())
            .where(EvidenceItem.submission_id == submission.id)
            .group_by(EvidenceItem.requirement_id)
        ).all()
    )
    requirements = requirements_for(session=session, credential_id=submission.credential_id)
    return [
        f"Part {number} ({kind_title(requirement.kind).lower()})"
        for number, requirement in enumerate(requirements, start=1)
        if requirement.min_count > 0 and not counts.get(requirement.id)
    ]


def award_refusal(*, session: Session, submission: Submission) -> str | None:
    """Why Award is refused for this attempt's evidence, or None when it may be given."""
    empty = empty_required_parts(session=session, submission=submission)
    if not empty:
        return None
    return (
        f"Award needs evidence for every required part: {', '.join(empty)} "
        f"{'has' if len(empty) == 1 else 'have'} none. Choose Not yet and say what to add."
    )
