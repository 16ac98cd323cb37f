"""Reassigning a claim (the admin home): an admin moves a claimed attempt of their
district, lapsed or live, to a named assessor who may review it, with a fresh lease.

Who may take it is the queue's rule for one person (review/queue.py and the claim
guards): of the district, holding the assessor role, active, qualified for the
credential (appointed for its stack or earned it), not the teacher, not the one holding
it, not the first assessor of an open appeal, past the calibration gate. Only single
review claims (an appeal's second opinion too) move: a double-blind pair's places keep
their own slot rules (review/double.py), so those are released when they lapse.

Exactly one outcome: the attempt's version is bumped by one conditional UPDATE (status
still in review, the version we read), the statement every claim and decision also
wins through (review/guards.try_transition), so an assessor deciding at that instant
either decides first (the reassign gets 409) or finds the claim gone (their decide gets
409). The old claim's lease ends there and then and its scoring draft is deleted; the
row stays (its history), undecided and lapsed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from server import access
from server.admin import audit
from server.errors import Conflict, Forbidden, InvalidInput, NotFound
from server.models import (
    DECIDED,
    Credential,
    NoticeKind,
    Org,
    Review,
    ReviewKind,
    Role,
    ScoringDraft,
    ScoringMode,
    Submission,
    SubmissionStatus,
    User,
    utcnow,
)
from server.notify import service as notify
from server.review import appeals, calibration, modes
from server.review.guards import open_review_of, try_transition

NOT_HERE = "We couldn't find that submission in your district."
NO_ASSESSOR = "We couldn't find that assessor in your district."
NOT_CLAIMED = "Nobody holds a claim on this submission: it waits in the queue for anyone."
DECIDED_ALREADY = "This submission has already been decided: there is no claim to reassign."
PAIR = (
    "This attempt is scored double blind: its two places can't be reassigned. "
    "Release a lapsed claim instead and the queue fills the place."
)
CHOOSE = "Choose the assessor to give the claim to."
CHANGED = "This claim changed while you were choosing (decided, released or claimed again)."


@dataclass(frozen=True)
class Claimed:
    submission: Submission
    credential: Credential
    teacher: User
    review: Review  # the claim that moves
    claimant: User


@dataclass(frozen=True)
class Candidate:
    user: User
    problem: str | None  # why they may not take it; None: they may


def load(*, session: Session, org: Org, submission_id: int) -> Claimed:
    """The district's claimed single-review attempt and its current claim, else the
    4xx that says why not."""
    submission = session.get(Submission, submission_id)
    teacher = session.get(User, submission.user_id) if submission else None
    if submission is None or teacher is None or teacher.org_id != org.id:
        raise NotFound(NOT_HERE)
    if submission.status in DECIDED:
        raise Conflict(DECIDED_ALREADY)
    if submission.status != SubmissionStatus.IN_REVIEW.value:
        raise Conflict(NOT_CLAIMED)
    if modes.attempt_mode(session=session, submission=submission) is ScoringMode.DOUBLE_BLIND:
        raise Conflict(PAIR)
    review = session.exec(
        select(Review)
        .where(Review.submission_id == submission.id, Review.decision.is_(None))
        .where(Review.kind == ReviewKind.SINGLE.value)
        .order_by(col(Review.claimed_until).desc(), col(Review.id).desc())
    ).first()
    if review is None:
        raise Conflict(NOT_CLAIMED)
    credential = session.get_one(Credential, submission.credential_id)
    claimant = session.get_one(User, review.assessor_id)
    return Claimed(submission, credential, teacher, review, claimant)


def problem(*, session: Session, claimed: Claimed, person: User) -> str | None:
    """Why `person` (of the district) may not take the claim, or None."""
    name = person.display_name
    if person.deactivated_at is not None:
        return f"{name}'s account is switched off."
    if not person.has_role(Role.ASSESSOR.value):
        return f"{name} doesn't have the assessor role."
    if person.id == claimed.teacher.id:
        return f"{name} submitted this attempt: nobody reviews their own work."
    if person.id == claimed.claimant.id:
        return f"{name} holds this claim already."
    if not access.may_review(session=session, user=person, submission=claimed.submission):
        return f"{name} isn't appointed for this credential's stack and hasn't earned it."
    if appeals.made_first_decision(
        session=session, submission_id=claimed.submission.id, assessor_id=person.id
    ):
        return f"{name} made the first decision: the second opinion comes from someone else."
    try:
        calibration.check_may_claim(
            session=session, assessor=person, credential_id=claimed.credential.id
        )
    except Forbidden:
        return f"{name} has to calibrate on {claimed.credential.title} before reviewing it."
    return None


def candidates(*, session: Session, org: Org, claimed: Claimed) -> list[Candidate]:
    """The district's active assessors, each with why they may not take it (if so)."""
    people = session.exec(
        select(User)
        .where(User.org_id == org.id, User.roles.contains(Role.ASSESSOR.value))
        .where(User.deactivated_at.is_(None), User.id != claimed.claimant.id)
        .order_by(User.display_name, User.id)
    ).all()
    return [Candidate(p, problem(session=session, claimed=claimed, person=p)) for p in people]


def assessor_of(*, session: Session, org: Org, raw: str) -> User:
    """The chosen person of the district: InvalidInput when none was chosen, NotFound
    for an id that is not one of the district's people."""
    if not raw:
        raise InvalidInput(CHOOSE, field="assessor")
    person = (
        session.get(User, int(raw)) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None
    )
    if person is None or person.org_id != org.id:
        raise NotFound(NO_ASSESSOR, field="assessor")
    return person


def reassign(
    *,
    session: Session,
    org: Org,
    actor: User,
    submission_id: int,
    assessor_raw: str,
    lease_hours: int,
    now: datetime | None = None,
) -> Review:
    """Move the claim to the chosen assessor (the caller commits)."""
    now = now or utcnow()
    claimed = load(session=session, org=org, submission_id=submission_id)
    person = assessor_of(session=session, org=org, raw=assessor_raw)
    why = problem(session=session, claimed=claimed, person=person)
    if why:
        raise InvalidInput(why, field="assessor")
    old, submission = claimed.review, claimed.submission
    # Every claim and decision wins through this same statement: exactly one goes.
    won = try_transition(
        session=session, submission=submission, now=now, status=SubmissionStatus.IN_REVIEW.value
    )
    if not won:
        raise Conflict(CHANGED)
    before = {"assessor": claimed.claimant.display_name, "lease_until": old.claimed_until}
    session.exec(
        update(Review)
        .where(col(Review.id) == old.id, col(Review.decision).is_(None))
        .values(claimed_until=min(now, old.claimed_until))
        .execution_options(synchronize_session=False)
    )
    session.execute(delete(ScoringDraft).where(col(ScoringDraft.review_id) == old.id))
    until = now + timedelta(hours=lease_hours)
    review = open_review_of(session=session, submission_id=submission.id, assessor_id=person.id)
    review = review or Review(
        submission_id=submission.id, assessor_id=person.id, claimed_until=until
    )
    review.claimed_at, review.claimed_until = now, until
    session.add(review)
    audit.record(
        session=session,
        org=org,
        actor=actor,
        action="reassigned a claim",
        target=f"{claimed.credential.title} by {claimed.teacher.display_name}",
        before={"submission": submission.id, **before},
        after={"submission": submission.id, "assessor": person.display_name, "lease_until": until},
    )
    _tell(session, claimed, person, actor)
    session.flush()
    return review


def _tell(session: Session, claimed: Claimed, person: User, actor: User) -> None:
    """The new assessor and the old one hear of it; neither notice names the teacher
    (the district may review blind)."""
    title, attempt = claimed.credential.title, claimed.submission.attempt
    notify.send(
        session=session,
        user_id=person.id,
        kind=NoticeKind.REVIEW_ASSIGNED,
        title=f"A review was assigned to you: {title}"[:200],
        body=f"{actor.display_name} assigned you attempt {attempt} of {title}. "
        "It's claimed for you now.",
        url=f"/review/{claimed.submission.id}",
    )
    notify.send(
        session=session,
        user_id=claimed.claimant.id,
        kind=NoticeKind.REVIEW_ASSIGNED,
        title=f"Your claim on {title} was reassigned"[:200],
        body=f"{actor.display_name} gave attempt {attempt} of {title} to another assessor; "
        "your unfinished scoring of it was deleted.",
        url="/review",
    )
