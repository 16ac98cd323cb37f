"""Scoring drafts: an assessor's unfinished rubric (met / not yet and a comment per
criterion, the overall feedback), saved as they go so a claim can be finished later.

One draft per review row (ScoringDraft.review_id), so only the assessor whose claim it is
reads or writes it, and only while that claim's lease runs and the attempt is undecided.
Deciding the review deletes it (review/outcome.save_scores, on every deciding path).
Plain functions: the caller commits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from server.catalog.service import criteria_for
from server.errors import Conflict, Forbidden, InvalidInput
from server.models import (
    AWAITING_REVIEW,
    DECIDED,
    Review,
    RubricCriterion,
    ScoringDraft,
    Submission,
    User,
    utcnow,
)
from server.review import decide as deciding  # its limits, read at call time (it imports us)
from server.review.guards import already_decided, load_for_reviewer, open_review_of
from server.review.outcome import MET_CHOICES

CHOICES = frozenset({*MET_CHOICES, ""})
NOT_YOURS = "Only the assessor who claimed this submission can save or read its draft."
LAPSED = (
    "Your claim on this submission has run out, so the draft wasn't saved. "
    "Start the review again to hold it, then save."
)


class DraftInvalid(InvalidInput):
    """The draft's content is refused (unknown criterion, a wrong choice, too long)."""


@dataclass(frozen=True)
class Draft:
    """The rubric form's values, in the shape review/_rubric_form.html re-renders."""

    met: dict[int, str]
    comments: dict[int, str]
    feedback: str
    updated_at: datetime | None = None

    def as_json(self) -> dict:
        ids = sorted(self.met.keys() | self.comments.keys())
        return {
            "scores": {
                str(cid): {"met": self.met.get(cid, ""), "comment": self.comments.get(cid, "")}
                for cid in ids
            },
            "feedback": self.feedback,
        }


def _my_claim(*, session: Session, viewer: User, submission_id: int, now: datetime) -> Review:
    """The viewer's live claim on the submission, else the reason there is none."""
    found = load_for_reviewer(session=session, viewer=viewer, submission_id=submission_id)
    submission = found.submission
    if submission.status in DECIDED:
        raise already_decided(session=session, submission=submission, reader=viewer)
    if submission.status not in AWAITING_REVIEW:
        raise Conflict("This submission is no longer waiting for review.")
    review = open_review_of(session=session, submission_id=submission.id, assessor_id=viewer.id)
    if review is None:
        raise Forbidden(NOT_YOURS)
    if review.claimed_until <= now:
        raise Conflict(LAPSED)
    return review


def validate(*, session: Session, review: Review, data: dict) -> Draft:
    """A draft as JSON {"scores": {criterion id: {"met", "comment"}}, "feedback"} checked
    against the attempt's rubric: every message at once would be noise for an autosave,
    so the first problem is reported."""
    submission = session.get_one(Submission, review.submission_id)
    criteria = criteria_for(
        session=session,
        credential_id=submission.credential_id,
        version=submission.credential_version,
    )
    return check(criteria, data)


def check(criteria: list[RubricCriterion], data: dict) -> Draft:
    """validate's rule against a rubric already read (hidden items: review/hidden_item.py)."""
    scores, feedback = data.get("scores") or {}, data.get("feedback") or ""
    if not isinstance(scores, dict) or not isinstance(feedback, str):
        raise DraftInvalid("A draft is {scores: {criterion id: {met, comment}}, feedback}.")
    if len(feedback) > deciding.FEEDBACK_LIMIT:
        raise DraftInvalid(
            f"Keep the overall feedback under {deciding.FEEDBACK_LIMIT:,} characters.",
            field="feedback",
        )
    known = {str(c.id): c for c in criteria}
    met: dict[int, str] = {}
    comments: dict[int, str] = {}
    for key, score in scores.items():
        criterion = known.get(str(key))
        if criterion is None:
            raise DraftInvalid("That criterion isn't on this submission's rubric.")
        if not isinstance(score, dict):
            raise DraftInvalid(f"The score for “{criterion.title}” must be an object.")
        choice, comment = score.get("met") or "", score.get("comment") or ""
        if choice not in CHOICES or not isinstance(comment, str):
            raise DraftInvalid(f"Choose Met or Not yet for “{criterion.title}”.")
        if len(comment) > deciding.COMMENT_LIMIT:
            limit = deciding.COMMENT_LIMIT
            raise DraftInvalid(
                f"Keep the comment on “{criterion.title}” under {limit:,} characters.",
                field=f"comment_{criterion.id}",
            )
        if choice:
            met[criterion.id] = choice
        if comment:
            comments[criterion.id] = comment
    return Draft(met=met, comments=comments, feedback=feedback)


def save(
    *,
    session: Session,
    viewer: User,
    submission_id: int,
    data: dict,
    now: datetime | None = None,
) -> Draft:
    """Keep the viewer's unfinished scoring of their claim (replacing the last draft)."""
    now = now or utcnow()
    from server.review import hidden, hidden_item  # they build on this module

    item = hidden.find(session=session, viewer=viewer, item_id=submission_id)
    if item is not None:
        return hidden_item.save_draft(session=session, item=item, viewer=viewer, data=data, now=now)
    review = _my_claim(session=session, viewer=viewer, submission_id=submission_id, now=now)
    draft = validate(session=session, review=review, data=data)
    _hold_lease(session, review.id, now)
    _upsert(session, review.id, json.dumps(draft.as_json()), now)
    return Draft(draft.met, draft.comments, draft.feedback, now)


def _hold_lease(session: Session, review_id: int, now: datetime) -> None:
    """Lock the claim while it still runs, before writing: an admin's reassign ends the
    lease and then deletes its draft, so a save racing it either lands first (and is
    deleted with the rest) or finds the lease gone (Conflict), never a draft left behind."""
    # The clock now, not the request's start: a reassign ends the lease at its own now.
    now = max(now, utcnow())
    held = session.execute(
        update(Review)
        .where(col(Review.id) == review_id, col(Review.claimed_until) > now)
        .where(col(Review.decision).is_(None))
        .values(claimed_until=Review.claimed_until)
    )
    if held.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(LAPSED)


def _upsert(session: Session, review_id: int, data: str, now: datetime) -> None:
    """Insert or replace the draft row. Two saves of a first draft at once (two tabs) both
    try to insert: the loser's savepoint is undone and it replaces the winner's row."""
    row = session.get(ScoringDraft, review_id)
    if row is None:
        try:
            with session.begin_nested():
                session.add(ScoringDraft(review_id=review_id, data=data, updated_at=now))
            return
        except IntegrityError:
            row = session.get_one(ScoringDraft, review_id, populate_existing=True)
    row.data, row.updated_at = data, now
    session.add(row)
    session.flush()


def load(
    *, session: Session, viewer: User, submission_id: int, now: datetime | None = None
) -> Draft | None:
    """The viewer's draft of their live claim, or None when they haven't saved one."""
    now = now or utcnow()
    from server.review import hidden, hidden_item  # they build on this module

    item = hidden.find(session=session, viewer=viewer, item_id=submission_id)
    if item is not None:
        return hidden_item.load_draft(item=item, viewer=viewer, now=now)
    review = _my_claim(session=session, viewer=viewer, submission_id=submission_id, now=now)
    return read_row(session.get(ScoringDraft, review.id))


def for_review_page(
    *, session: Session, viewer: User, submission_id: int, now: datetime | None = None
) -> Draft | None:
    """The draft of the viewer's live claim, in one query, for a review page that has
    already checked that the viewer may review the attempt (review.service.review_page)."""
    now = now or utcnow()
    row = session.exec(
        select(ScoringDraft)
        .join(Review, col(Review.id) == ScoringDraft.review_id)
        .where(
            Review.submission_id == submission_id,
            Review.assessor_id == viewer.id,
            col(Review.decision).is_(None),
            Review.claimed_until > now,
        )
    ).first()
    return read_row(row)


def read_row(row: ScoringDraft | None) -> Draft | None:
    if row is None:
        return None
    try:
        data = json.loads(row.data)
        scores = data["scores"]
        met = {int(k): v["met"] for k, v in scores.items() if v.get("met")}
        comments = {int(k): v["comment"] for k, v in scores.items() if v.get("comment")}
        return Draft(met, comments, str(data.get("feedback") or ""), row.updated_at)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # a row damaged outside the app: start afresh rather than fail the page


def saved_for(*, session: Session, viewer: User, submission_ids: list[int]) -> dict[int, datetime]:
    """{submission id: when saved} of the viewer's undecided claims that have a draft."""
    if not submission_ids:
        return {}
    rows = session.exec(
        select(Review.submission_id, ScoringDraft.updated_at)
        .join(ScoringDraft, col(ScoringDraft.review_id) == Review.id)
        .where(
            Review.assessor_id == viewer.id,
            col(Review.decision).is_(None),
            col(Review.submission_id).in_(submission_ids),
        )
    ).all()
    return dict(rows)
