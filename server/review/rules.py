"""Review rules shared by the queue, claim, show and decide: who may review what, the
live lease, blind-review labels and the "already decided / already reviewing" messages.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from server import access
from server.errors import Conflict, Forbidden, NotFound
from server.models import Credential, Org, Review, Submission, SubmissionStatus, User

DECIDED = {SubmissionStatus.AWARDED.value, SubmissionStatus.NOT_YET.value}
REVIEWABLE = access.REVIEWABLE
NOT_IN_QUEUE = "We couldn't find that submission among the ones you can review."


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
        .where(Review.submission_id == submission_id, Review.assessor_id == assessor_id,
               Review.decision.is_(None))
        .order_by(Review.claimed_until.desc())
    ).first()


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
    zone_name = timezone or "UTC"
    try:
        zone = ZoneInfo(zone_name)
    except (KeyError, ValueError):
        zone, zone_name = ZoneInfo("UTC"), "UTC"
    local = moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone)
    return f"{local.day} {local:%b %Y, %H:%M} {zone_name}"


def already_decided(*, session: Session, submission: Submission, reader: User) -> Conflict:
    review = decided_review(session=session, submission_id=submission.id)
    if review is None:
        return Conflict("This submission has already been decided.")
    name = display_name(session, review.assessor_id)
    moment = review.decided_at or submission.decided_at
    if moment is None:
        return Conflict(f"Already decided by {name}.")
    return Conflict(f"Already decided by {name} at {format_when(moment, reader.timezone)}.")


def already_reviewing(*, session: Session, lease: Review) -> Conflict:
    name = display_name(session, lease.assessor_id)
    return Conflict(f"{name} is already reviewing this.")


def conflict_after_race(*, session: Session, submission: Submission, reader: User,
                        now: datetime) -> Conflict:
    """Our conditional UPDATE changed nothing: say who got there first."""
    session.refresh(submission)
    if submission.status in DECIDED:
        return already_decided(session=session, submission=submission, reader=reader)
    lease = live_lease(session=session, submission_id=submission.id, now=now)
    if lease is not None and lease.assessor_id != reader.id:
        return already_reviewing(session=session, lease=lease)
    return Conflict("This submission changed while you were working on it. "
                    "Reload the page to see where it stands.")


# --- blind review ----------------------------------------------------------------------


def is_blind(*, session: Session, assessor: User, teacher: User) -> bool:
    """Blind when the assessor's district or the teacher's district asks for it."""
    return org_is_blind(session, assessor.org_id) or org_is_blind(session, teacher.org_id)


def org_is_blind(session: Session, org_id: int | None) -> bool:
    if org_id is None:
        return False
    org = session.get(Org, org_id)
    return bool(org and org.blind_review)


def pseudonym(user_id: int, key: str = "") -> str:
    """A short label that stays the same for one teacher and can't be reversed to an id
    without the key (the app's secret)."""
    digest = hmac.new(key.encode(), f"teacher:{user_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:6].upper()


def teacher_label(teacher: User, *, blind: bool, key: str = "") -> str:
    return f"Teacher #{pseudonym(teacher.id, key)}" if blind else teacher.display_name


def waiting_text(since: datetime | None, now: datetime) -> str:
    if since is None:
        return "waiting"
    seconds = max(0, int((now - since).total_seconds()))
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = seconds // size
            return f"waiting {count} {unit}{'' if count == 1 else 's'}"
    return "waiting less than a minute"
