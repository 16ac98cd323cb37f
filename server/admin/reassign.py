"""Reassigning a claim (the admin home): an admin moves a claimed attempt of their
district, lapsed or live, to a named assessor who may review it, with a fresh lease.

Who may take it is the queue's rule for one person (review/queue.py and the claim
guards): of the district, holding the assessor role, active, qualified for the
credential (appointed for its stack or earned it), not the teacher, not the one holding
it, not the first assessor of an open appeal, past the calibration gate. A double-blind
attempt's place (one of the pair's two, or the lead's) moves under the pair's own rule
too (review/double.place_for, asked as if the old claim were gone): never to someone who
scored it or holds the other place, and the lead's place only to a lead of the stack (or
an admin) outside the pair.

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
from server.review import appeals, calibration, double, modes
from server.review.guards import Reviewable, hold, try_transition

NOT_HERE = "We couldn't find that submission in your district."
NO_ASSESSOR = "We couldn't find that assessor in your district."
NOT_CLAIMED = "Nobody holds a claim on this submission: it waits in the queue for anyone."
DECIDED_ALREADY = "This submission has already been decided: there is no claim to reassign."
HOLDS_OTHER = "{name} holds the pair's other place."
NO_CLAIM = "We couldn't find that claim on this submission."
# The pair rule's refusals, reworded for the admin choosing someone (the guard's own
# words speak to the assessor claiming).
PAIR_REFUSALS = {
    HOLDS_OTHER: HOLDS_OTHER,
    double.SCORED: "{name} has scored this attempt already.",
    double.PAIR_FULL: "{name} can't take it: two other assessors hold its places.",
    double.LEAD_ONLY: "{name} isn't a lead assessor of this stack: only a lead reconciles.",
}
CHOOSE = "Choose the assessor to give the claim to."
CHANGED = "This claim changed while you were choosing (decided, released or claimed again)."


@dataclass(frozen=True)
class Claimed:
    submission: Submission
    credential: Credential
    teacher: User
    review: Review  # the claim that moves
    claimant: User
    pair: bool = False  # scored double blind


@dataclass(frozen=True)
class Candidate:
    user: User
    problem: str | None  # why they may not take it; None: they may


def load(
    *, session: Session, org: Org, submission_id: int, review_id: int | None = None
) -> Claimed:
    """The district's claimed attempt and the claim to move (`review_id`, else the
    latest), else the 4xx that says why not."""
    submission = session.get(Submission, submission_id)
    teacher = session.get(User, submission.user_id) if submission else None
    if submission is None or teacher is None or teacher.org_id != org.id:
        raise NotFound(NOT_HERE)
    if submission.status in DECIDED:
        raise Conflict(DECIDED_ALREADY)
    if submission.status != SubmissionStatus.IN_REVIEW.value:
        raise Conflict(NOT_CLAIMED)
    open_claims = (
        select(Review)
        .where(Review.submission_id == submission.id, Review.decision.is_(None))
        .order_by(col(Review.claimed_until).desc(), col(Review.id).desc())
    )
    if review_id is not None:
        open_claims = open_claims.where(Review.id == review_id)
    review = session.exec(open_claims).first()
    if review is None:
        raise NotFound(NO_CLAIM) if review_id is not None else Conflict(NOT_CLAIMED)
    credential = session.get_one(Credential, submission.credential_id)
    claimant = session.get_one(User, review.assessor_id)
    pair = modes.attempt_mode(session=session, submission=submission) is ScoringMode.DOUBLE_BLIND
    return Claimed(submission, credential, teacher, review, claimant, pair)


def place(*, session: Session, claimed: Claimed, person: User, now: datetime) -> ReviewKind:
    """The kind of review `person` would hold: a single review, or the pair's place the
    claim guard gives them once the old claim is gone (its error otherwise)."""
    if not claimed.pair:
        return ReviewKind.SINGLE
    state = double.pair_state(session=session, submission_id=claimed.submission.id)
    without = double.PairState(
        blind=[r for r in state.blind if r.id != claimed.review.id],
        lead=[r for r in state.lead if r.id != claimed.review.id],
    )
    if without.live_lease(person.id, now) is not None:
        raise Conflict(HOLDS_OTHER)
    found = Reviewable(claimed.submission, claimed.credential, claimed.teacher)
    return double.place_for(session=session, found=found, state=without, assessor=person, now=now)


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
    try:
        place(session=session, claimed=claimed, person=person, now=utcnow())
    except (Conflict, Forbidden) as refused:
        return PAIR_REFUSALS.get(refused.message, "{name} can't take it: {why}").format(
            name=name, why=refused.message
        )
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
    review_id: int | None = None,
    now: datetime | None = None,
) -> Review:
    """Move the claim to the chosen assessor (the caller commits)."""
    now = now or utcnow()
    claimed = load(session=session, org=org, submission_id=submission_id, review_id=review_id)
    person = assessor_of(session=session, org=org, raw=assessor_raw)
    why = problem(session=session, claimed=claimed, person=person)
    if why:
        raise InvalidInput(why, field="assessor")
    kind = place(session=session, claimed=claimed, person=person, now=now)
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
    review = hold(
        session=session,
        submission_id=submission.id,
        assessor_id=person.id,
        now=now,
        until=until,
        kind=kind.value,
    )
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
