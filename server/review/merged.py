"""One decision out of a double-blind attempt's reviews: what the teacher (and later
readers of the attempt) see. Each part is labelled "Assessor 1", "Assessor 2" (claim
order) or "Lead assessor", never by name. Plain reads: nothing here is stored, so the
blind score sets stay exactly as each assessor gave them (agreement figures read them).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from server.models import CriterionScore, Review, ReviewKind

LEAD_LABEL = "Lead assessor"


@dataclass(frozen=True)
class Labelled:
    label: str
    review: Review
    scores: dict[int, CriterionScore]


def labelled_reviews(*, session: Session, submission_id: int) -> list[Labelled]:
    """The decided reviews of a pair attempt: the lead's first (it decides), then the
    pair in claim order."""
    reviews = session.exec(
        select(Review)
        .where(
            Review.submission_id == submission_id,
            Review.kind != ReviewKind.SINGLE.value,
            Review.decision.is_not(None),
        )
        .order_by(Review.id)
    ).all()
    scores: dict[int, dict[int, CriterionScore]] = {}
    if reviews:
        for score in session.exec(
            select(CriterionScore).where(CriterionScore.review_id.in_([r.id for r in reviews]))
        ):
            scores.setdefault(score.review_id, {})[score.criterion_id] = score
    leads = [r for r in reviews if r.kind == ReviewKind.LEAD.value]
    blind = [r for r in reviews if r.kind == ReviewKind.BLIND.value]
    return [Labelled(LEAD_LABEL, r, scores.get(r.id, {})) for r in leads] + [
        Labelled(f"Assessor {n}", r, scores.get(r.id, {})) for n, r in enumerate(blind, start=1)
    ]


def _join(parts: list[tuple[str, str]]) -> str:
    return "\n\n".join(f"{label}: {text.strip()}" for label, text in parts if text.strip())


def overall_feedback(*, session: Session, submission_id: int) -> str:
    return _join(
        [
            (part.label, part.review.feedback or "")
            for part in labelled_reviews(session=session, submission_id=submission_id)
        ]
    )


def merged_decision(
    *, session: Session, submission_id: int
) -> tuple[Review, dict[int, CriterionScore]] | None:
    """A review-shaped decision (not stored) and its merged scores: met as decided (the
    lead's, else the pair's, who agreed), each criterion's comments labelled. None
    until the attempt is decided."""
    parts = labelled_reviews(session=session, submission_id=submission_id)
    deciding = parts[0] if parts and parts[0].label == LEAD_LABEL else None
    if (
        deciding is None
        and len(parts) >= 2
        and parts[0].review.decision == parts[1].review.decision
    ):
        deciding = parts[-1]
    if deciding is None:
        return None
    last = max(parts, key=lambda part: (part.review.decided_at, part.review.id or 0))
    review = Review(
        id=deciding.review.id,
        submission_id=submission_id,
        assessor_id=deciding.review.assessor_id,
        claimed_until=deciding.review.claimed_until,
        decision=deciding.review.decision,
        decided_at=last.review.decided_at,
        kind=deciding.review.kind,
        feedback=_join([(part.label, part.review.feedback or "") for part in parts]),
    )
    scores = {
        criterion_id: CriterionScore(
            review_id=deciding.review.id,
            criterion_id=criterion_id,
            met=score.met,
            comment=_join(
                [
                    (part.label, part.scores[criterion_id].comment)
                    for part in parts
                    if criterion_id in part.scores
                ]
            ),
        )
        for criterion_id, score in deciding.scores.items()
    }
    return review, scores
