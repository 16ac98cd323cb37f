"""Deciding an attempt: validate the rubric, then win the one conditional UPDATE that
lets exactly one decision per attempt exist, and write everything that follows in the
same transaction (review, scores, award, notice, game hooks). The caller commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from server.catalog.service import criteria_for
from server.errors import InvalidInput
from server.models import Decision, Review, RubricCriterion, ScoringMode, User, utcnow
from server.review import calibration, double, modes
from server.review import outcome as outcome_module
from server.review.guards import (
    award_refusal,
    check_still_open,
    load_for_reviewer,
    win_transition,
)
from server.review.outcome import Scores

# The form names its buttons "award" and "not_yet"; the stored values are accepted too.
DECISIONS = {"award": Decision.AWARD, **{decision.value: decision for decision in Decision}}
FEEDBACK_LIMIT = 10_000
COMMENT_LIMIT = 5_000


class DecisionInvalid(InvalidInput):
    """Every problem with the rubric form at once, keyed by field name, so the form can
    show each message beside its field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()), field=next(iter(errors)))
        self.errors = errors


def validate(
    *, criteria: list[RubricCriterion], decision: str, scores: Scores, feedback: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    chosen = DECISIONS.get(decision)
    if chosen is None:
        errors["decision"] = "Choose Award or Not yet."
    unscored = [c for c in criteria if scores.get(c.id, (None, ""))[0] is None]
    for criterion in unscored:
        errors[f"met_{criterion.id}"] = f"Choose Met or Not yet for “{criterion.title}”."
    all_met = not unscored and all(scores[c.id][0] for c in criteria)
    if chosen is Decision.AWARD and not unscored and not all_met:
        errors["decision"] = (
            "Award needs every criterion marked Met. Mark the rest Met, "
            "or choose Not yet with feedback."
        )
    if chosen is Decision.NOT_YET and not feedback.strip():
        errors["feedback"] = "Not yet needs overall feedback: say what to change next time."
    for criterion in criteria:
        if len(scores.get(criterion.id, (None, ""))[1] or "") > COMMENT_LIMIT:
            errors[f"comment_{criterion.id}"] = (
                f"Keep the comment on “{criterion.title}” under {COMMENT_LIMIT:,} characters."
            )
    if len(feedback) > FEEDBACK_LIMIT:
        errors["feedback"] = f"Keep the overall feedback under {FEEDBACK_LIMIT:,} characters."
    return errors


def decide(
    *,
    session: Session,
    assessor: User,
    submission_id: int,
    decision: str,
    scores: Scores,
    feedback: str,
    now: datetime | None = None,
) -> Review | None:
    """Decide an attempt (None: it was one of the assessor's hidden items, hidden.py)."""
    now = now or utcnow()
    from server.review import hidden, hidden_item  # hidden_item builds on this module

    item = hidden.find(session=session, viewer=assessor, item_id=submission_id)
    if item is not None:
        hidden_item.decide(
            session=session,
            item=item,
            assessor=assessor,
            decision=decision,
            scores=scores,
            feedback=feedback,
            now=now,
        )
        return None
    found = load_for_reviewer(session=session, viewer=assessor, submission_id=submission_id)
    submission, credential = found.submission, found.credential
    calibration.check_may_claim(session=session, assessor=assessor, credential_id=credential.id)
    pair = modes.attempt_mode(session=session, submission=submission) is ScoringMode.DOUBLE_BLIND
    # A pair's other assessor may hold a live lease: double.py has its own slot rule.
    lease = (
        None
        if pair
        else check_still_open(session=session, submission=submission, assessor=assessor, now=now)
    )
    criteria = criteria_for(
        session=session, credential_id=credential.id, version=submission.credential_version
    )
    errors = validate(criteria=criteria, decision=decision, scores=scores, feedback=feedback)
    if DECISIONS.get(decision) is Decision.AWARD:
        refusal = award_refusal(session=session, submission=submission)
        if refusal:
            errors["decision"] = refusal
    if errors:
        raise DecisionInvalid(errors)
    if pair:
        return double.decide_in_pair(
            session=session,
            found=found,
            assessor=assessor,
            criteria=criteria,
            decision=DECISIONS[decision],
            scores=scores,
            feedback=feedback.strip(),
            now=now,
        )
    outcome = DECISIONS[decision]
    win_transition(
        session=session,
        submission=submission,
        reader=assessor,
        now=now,
        status=outcome.value,
        decided_at=now,
    )
    review = outcome_module.record_review(
        session=session,
        submission=submission,
        assessor=assessor,
        lease=lease,
        outcome=outcome,
        feedback=feedback.strip(),
        now=now,
    )
    outcome_module.save_scores(session=session, review=review, criteria=criteria, scores=scores)
    outcome_module.conclude(
        session=session,
        submission=submission,
        credential=credential,
        outcome=outcome,
        deciding=review,
        feedback=review.feedback or "",
        assessor_ids=(assessor.id,),
        now=now,
    )
    return review
