"""The review page of a double-blind attempt: what each reader may know.

A blind assessor reads a pseudonym (whatever the district's blind setting), never the
other's scores, decision, feedback or name, and is told only that their part is done.
A lead assessor who may reconcile reads both score sets side by side, labelled
"Assessor 1" / "Assessor 2" (names hidden: the lead judges the scores, not who gave
them), and the teacher's name unless the district reviews blind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from server.models import (
    DECIDED,
    Credential,
    Review,
    ReviewKind,
    RubricCriterion,
    ScoringMode,
    Submission,
    User,
)
from server.review import double, leads, merged, modes

PAIR_NOTE = (
    "Double blind: you are one of two assessors scoring this attempt independently. "
    "Neither of you sees the other's scores; if you differ, a lead assessor decides."
)
LEAD_NOTE = (
    "The two assessors differ. Their scores are side by side below; your decision is "
    "the attempt's decision, and the teacher reads it with both assessors' comments."
)

DECIDED_FOR_MEMBER = (
    "This attempt has been decided. It was scored double blind: your own scores are in "
    "your history, and the other assessor's stay hidden from you."
)


@dataclass(frozen=True)
class ScoreSet:
    label: str
    decision: str | None
    feedback: str
    scores: list[tuple[str, bool | None, str]]  # criterion title, met, comment


def reconciles(*, session: Session, viewer: User, submission: Submission) -> bool:
    """The viewer is a lead of the stack outside the pair (may see names and both sets)."""
    credential = session.get_one(Credential, submission.credential_id)
    state = double.pair_state(session=session, submission_id=submission.id)
    return leads.may_reconcile(session=session, state=state, user=viewer, credential=credential)


def hides_teacher(*, session: Session, viewer: User, submission: Submission) -> bool:
    """A double-blind attempt reads blind for everyone reviewing it but a lead who may
    reconcile it (whatever the district's blind setting)."""
    if modes.attempt_mode(session=session, submission=submission) is not ScoringMode.DOUBLE_BLIND:
        return False
    return not reconciles(session=session, viewer=viewer, submission=submission)


def describe(*, session: Session, page: Any, viewer: User, now: datetime) -> None:
    """Fill the ReviewPage's state for a waiting pair attempt (service._describe_state)."""
    submission = page.submission
    credential = session.get_one(Credential, submission.credential_id)
    state = double.pair_state(session=session, submission_id=submission.id)
    page.pair_note = PAIR_NOTE
    if state.scored_by(viewer.id):
        page.notice = double.SCORED
        return
    mine = state.live_lease(viewer.id, now)
    if state.needs_lead:
        if not leads.may_reconcile(
            session=session, state=state, user=viewer, credential=credential
        ):
            page.notice = double.LEAD_ONLY
            return
        page.pair_note = LEAD_NOTE
        page.pair = score_sets(session=session, submission_id=submission.id, criteria=page.criteria)
        other = state.lead_lease_of_other(viewer.id, now)
        if other is not None:
            page.notice = "Another lead assessor is reconciling this attempt."
            return
    elif mine is None and state.taken_by_others(viewer.id, now) >= 2:
        page.notice = double.PAIR_FULL
        return
    page.lease_mine = mine is not None
    page.lease_until = mine.claimed_until if mine else None
    page.lease_holder = viewer.display_name if mine else None
    page.can_decide = True
    page.can_claim = mine is None


def score_sets(
    *, session: Session, submission_id: int, criteria: list[RubricCriterion]
) -> list[ScoreSet]:
    """The pair's decided score sets, for the lead (never for a pair member)."""
    sets = []
    for part in merged.labelled_reviews(session=session, submission_id=submission_id):
        if part.review.kind != ReviewKind.BLIND.value:
            continue
        scores = []
        for criterion in criteria:
            score = part.scores.get(criterion.id)
            scores.append(
                (criterion.title, score.met if score else None, score.comment if score else "")
            )
        sets.append(ScoreSet(part.label, part.review.decision, part.review.feedback or "", scores))
    return sets


def past_for(
    *, session: Session, submission: Submission, viewer: User, titles: dict[int, str]
) -> list[dict[str, Any]]:
    """Earlier decided pair attempts of this teacher at this credential, one merged entry
    each (service.PastDecision's fields). The attempt under review is left out for a
    member of its pair: they never read the other's comments."""
    attempts = session.exec(
        select(Submission)
        .where(
            Submission.user_id == submission.user_id,
            Submission.credential_id == submission.credential_id,
            Submission.status.in_(sorted(DECIDED)),
        )
        .where(
            select(Review.id)
            .where(Review.submission_id == Submission.id, Review.kind != ReviewKind.SINGLE.value)
            .exists()
        )
    ).all()
    rows = []
    for attempt in attempts:
        if attempt.id == submission.id and in_pair(session, attempt.id, viewer.id):
            continue
        found = merged.merged_decision(session=session, submission_id=attempt.id)
        if found is None:
            continue
        review, scores = found
        rows.append(
            {
                "attempt": attempt.attempt,
                "submission_id": attempt.id,
                "decision": review.decision,
                "decided_at": review.decided_at,
                "assessor": "two assessors, double blind",
                "feedback": review.feedback or "",
                "scores": [
                    (titles.get(cid, "Criterion"), score.met, score.comment)
                    for cid, score in scores.items()
                ],
            }
        )
    return rows


def in_pair(session: Session, submission_id: int, user_id: int) -> bool:
    """`user_id` scored the attempt blind: they never read the other set, merged or not."""
    found = session.exec(
        select(Review.id).where(
            Review.submission_id == submission_id,
            Review.assessor_id == user_id,
            Review.kind == ReviewKind.BLIND.value,
        )
    ).first()
    return found is not None
