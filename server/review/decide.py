"""Deciding an attempt: validate the rubric, then win the one conditional UPDATE that
lets exactly one decision per attempt exist, and write everything that follows in the
same transaction (review, scores, award, notice, game hooks). The caller commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from server.badges import service as badges
from server.badges import stacks
from server.catalog.service import criteria_for
from server.errors import InvalidInput
from server.game import service as game
from server.models import (
    Award,
    CriterionScore,
    Decision,
    NoticeKind,
    Review,
    RubricCriterion,
    Submission,
    User,
    utcnow,
)
from server.notify import service as notify
from server.review import appeals, calibration
from server.review.guards import (
    award_refusal,
    check_still_open,
    load_for_reviewer,
    open_review_of,
    win_transition,
)

# A score as the form gives it: met is None when neither radio was chosen.
Scores = dict[int, tuple[bool | None, str]]
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
) -> Review:
    now = now or utcnow()
    found = load_for_reviewer(session=session, viewer=assessor, submission_id=submission_id)
    submission, credential = found.submission, found.credential
    calibration.check_may_claim(session=session, assessor=assessor, credential_id=credential.id)
    lease = check_still_open(session=session, submission=submission, assessor=assessor, now=now)
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
    outcome = DECISIONS[decision]
    win_transition(
        session=session,
        submission=submission,
        reader=assessor,
        now=now,
        status=outcome.value,
        decided_at=now,
    )
    review = _record_review(
        session=session,
        submission=submission,
        assessor=assessor,
        lease=lease,
        outcome=outcome,
        feedback=feedback.strip(),
        now=now,
    )
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
    award = None
    if outcome is Decision.AWARD:
        award = Award(
            user_id=submission.user_id,
            credential_id=credential.id,
            submission_id=submission.id,
            issued_at=now,
        )
        session.add(award)
    _tell_the_teacher(
        session=session,
        submission=submission,
        title=credential.title,
        outcome=outcome,
        feedback=review.feedback or "",
    )
    session.flush()
    if award is not None:
        badges.issue(session=session, award=award)  # the signed OB 3.0 credential
        stacks.after_award(session=session, award=award)  # the stack's, when it completes
    game.before_paying(session=session, user_ids=(submission.user_id, assessor.id))
    game.on_decision(session=session, submission=submission, decision=outcome.value)
    game.on_review_completed(session=session, review=review)
    appeals.on_decision(session=session, review=review)  # a second opinion is final
    return review


def _record_review(
    *,
    session: Session,
    submission: Submission,
    assessor: User,
    lease: Review | None,
    outcome: Decision,
    feedback: str,
    now: datetime,
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
    review.decision = outcome.value
    review.feedback = feedback
    review.decided_at = now
    session.add(review)
    session.flush()
    return review


def _tell_the_teacher(
    *, session: Session, submission: Submission, title: str, outcome: Decision, feedback: str
) -> None:
    first_line = next((line.strip() for line in feedback.splitlines() if line.strip()), "")
    if outcome is Decision.AWARD:
        kind, headline = NoticeKind.AWARD, f"You earned {title}!"
    else:
        kind, headline = NoticeKind.NOT_YET, f"Not yet: {title}"
    notify.send(
        session=session,
        user_id=submission.user_id,
        kind=kind,
        title=headline[:200],
        body=first_line[:500],
        url=f"/submissions/{submission.id}",
    )
