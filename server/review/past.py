"""The review page's decision history: every decided attempt of this teacher at this
credential, newest first. A single assessor's decision as it was given; a double-blind
attempt's as one merged decision (pair_page.past_for), never its separate score sets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from server.models import CriterionScore, Review, ReviewKind, RubricCriterion, Submission, User
from server.review import appeals, pair_page


@dataclass(frozen=True)
class PastDecision:
    attempt: int
    submission_id: int
    decision: str | None  # None never: only decided reviews are listed
    decided_at: datetime | None
    assessor: str
    feedback: str
    scores: list[tuple[str, bool, str]]  # criterion title, met, comment


def past_decisions(
    session: Session, submission: Submission, criteria: list[RubricCriterion], viewer: User
) -> list[PastDecision]:
    """Every decided attempt of this teacher at this credential, newest first."""
    hidden = appeals.hidden_review_ids(session=session, submission_id=submission.id)
    rows = session.exec(
        select(Review, Submission.attempt, User.display_name)
        .join(Submission, Submission.id == Review.submission_id)
        .join(User, User.id == Review.assessor_id)
        .where(
            Submission.user_id == submission.user_id,
            Submission.credential_id == submission.credential_id,
            Review.decision.is_not(None),
            Review.id.not_in(hidden),
            Review.kind == ReviewKind.SINGLE.value,  # a pair's: merged, below
        )
        .order_by(Review.decided_at.desc(), Review.id.desc())
    ).all()
    # Earlier attempts may have been scored against an earlier version's criteria.
    titles = {c.id: c.title for c in criteria} | dict(
        session.exec(
            select(RubricCriterion.id, RubricCriterion.title).where(
                RubricCriterion.credential_id == submission.credential_id
            )
        ).all()
    )
    scores: dict[int, list[tuple[str, bool, str]]] = {}
    if rows:
        for score in session.exec(
            select(CriterionScore)
            .where(CriterionScore.review_id.in_([review.id for review, _, _ in rows]))
            .order_by(CriterionScore.id)
        ):
            scores.setdefault(score.review_id, []).append(
                (titles.get(score.criterion_id, "Criterion"), score.met, score.comment)
            )
    merged = [
        PastDecision(**row)
        for row in pair_page.past_for(
            session=session, submission=submission, viewer=viewer, titles=titles
        )
    ]
    return sorted(
        merged
        + [
            PastDecision(
                attempt=attempt,
                submission_id=review.submission_id,
                decision=review.decision,
                decided_at=review.decided_at,
                assessor=assessor,
                feedback=review.feedback or "",
                scores=scores.get(review.id, []),
            )
            for review, attempt, assessor in rows
        ],
        key=lambda row: (row.decided_at is not None, row.decided_at),
        reverse=True,
    )
