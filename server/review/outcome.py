"""What follows a decided attempt, once: its scores, the Award and its badges, the
teacher's one notice, points, and the appeal record. Shared by a single assessor's
decision (decide.py) and a double-blind pair's (double.py), so both pay exactly once.
The caller has already won the conditional UPDATE (guards.win_transition) and commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col

from server.badges import service as badges
from server.badges import stacks
from server.game import service as game
from server.models import (
    Award,
    Credential,
    CriterionScore,
    Decision,
    NoticeKind,
    Review,
    ReviewKind,
    RubricCriterion,
    ScoringDraft,
    Submission,
    User,
)
from server.notify import service as notify
from server.review import appeals
from server.review.guards import open_review_of

# A score as the form gives it: met is None when neither radio was chosen.
Scores = dict[int, tuple[bool | None, str]]
# A criterion's radio on every scoring form (review, calibration practice, an anchor's true
# scores) -> met; "" (neither chosen) is absent, so .get() gives None.
MET_CHOICES = {"met": True, "not_yet": False}


def record_review(
    *,
    session: Session,
    submission: Submission,
    assessor: User,
    lease: Review | None,
    outcome: Decision,
    feedback: str,
    now: datetime,
    kind: ReviewKind = ReviewKind.SINGLE,
) -> Review:
    """Finish my review row (live lease, else my lapsed one), or start one when I decided
    without claiming."""
    review = lease or open_review_of(
        session=session, submission_id=submission.id, assessor_id=assessor.id
    )
    if review is None:
        review = Review(
            submission_id=submission.id, assessor_id=assessor.id, claimed_at=now, claimed_until=now
        )
    review.kind = kind.value
    review.decision = outcome.value
    review.feedback = feedback
    review.decided_at = now
    session.add(review)
    session.flush()
    return review


def save_scores(
    *, session: Session, review: Review, criteria: list[RubricCriterion], scores: Scores
) -> None:
    # A decided review's scores are final: its draft (review/drafts.py) ends here, on
    # every path that decides (single, blind pair, lead).
    session.execute(delete(ScoringDraft).where(col(ScoringDraft.review_id) == review.id))
    for criterion in criteria:
        met, comment = scores[criterion.id]
        session.add(
            CriterionScore(
                review_id=review.id,
                criterion_id=criterion.id,
                met=bool(met),
                comment=(comment or "").strip(),
            )
        )


def conclude(
    *,
    session: Session,
    submission: Submission,
    credential: Credential,
    outcome: Decision,
    deciding: Review,
    feedback: str,
    assessor_ids: tuple[int, ...],
    now: datetime,
) -> None:
    """The attempt is decided (`deciding` is the review that made it so): award, notice,
    badges, points (the teacher's once, each review's own) and the appeal's outcome."""
    tell_the_teacher(
        session=session,
        submission=submission,
        title=credential.title,
        outcome=outcome,
        feedback=feedback,
    )
    if outcome is Decision.AWARD:
        issue_award(session=session, submission=submission, issued_at=now)
    session.flush()
    game.before_paying(session=session, user_ids=(submission.user_id, *assessor_ids))
    game.on_decision(session=session, submission=submission, decision=outcome.value)
    game.on_review_completed(session=session, review=deciding)
    appeals.on_decision(session=session, review=deciding)  # a second opinion is final


def issue_award(*, session: Session, submission: Submission, issued_at: datetime) -> Award:
    """The award of an attempt decided "award", with its signed OB 3.0 credential and the
    stack's when this completes it (adds and flushes; the caller commits)."""
    award = Award(
        user_id=submission.user_id,
        credential_id=submission.credential_id,
        submission_id=submission.id,
        issued_at=issued_at,
    )
    session.add(award)
    session.flush()
    badges.issue(session=session, award=award)
    stacks.after_award(session=session, award=award)
    return award


def tell_the_teacher(
    *, session: Session, submission: Submission, title: str, outcome: Decision, feedback: str
) -> None:
    first_line = next((line.strip() for line in feedback.splitlines() if line.strip()), "")
    kind, headline = decision_notice(outcome, title)
    notify.send(
        session=session,
        user_id=submission.user_id,
        kind=kind,
        title=headline[:200],
        body=first_line[:500],
        url=f"/submissions/{submission.id}",
    )


def decision_notice(outcome: Decision, title: str) -> tuple[NoticeKind, str]:
    """The teacher's notice of a decision: its kind and headline (the demo's history too)."""
    if outcome is Decision.AWARD:
        return NoticeKind.AWARD, f"You earned {title}!"
    return NoticeKind.NOT_YET, f"Not yet: {title}"
