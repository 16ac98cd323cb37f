"""Double-blind scoring: two assessors score an attempt independently (kind BLIND), each
claiming and deciding on their own; neither ever sees the other's scores, nor the
teacher's name or school. When the second set arrives the pair either agrees (same
decision, same met / not yet on every criterion: the attempt is decided at once) or
waits for a lead assessor of the stack, who reads both sets side by side and decides
(kind LEAD). The teacher reads one decision with merged feedback (merged.py).

Races: every claim and decision bumps the attempt's version with guards.try_transition.
A pair member who loses that race re-reads and tries again, so two assessors deciding at
the same instant both count and exactly one outcome is written; the slot and lead
checks are re-run on what the winner committed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, select

from server.errors import Conflict, Forbidden
from server.game import service as game
from server.models import (
    AWAITING_REVIEW,
    DECIDED,
    CriterionScore,
    Decision,
    NoticeKind,
    Review,
    ReviewKind,
    RubricCriterion,
    SubmissionStatus,
    User,
)
from server.notify import service as notify
from server.review import leads, merged
from server.review import outcome as after
from server.review.guards import (
    NO_LONGER_WAITING,
    Reviewable,
    already_decided,
    already_reviewing,
    hold,
    try_transition,
)

RETRIES = 4  # a pair has two members and a lead: a few re-reads always settle it
SCORED = (
    "You've scored this attempt. The other assessors take it from here; "
    "your own scores are in your history."
)
PAIR_FULL = "Two assessors are already scoring this attempt independently."
LEAD_ONLY = (
    "The two assessors' scores need reconciling: only a lead assessor of this stack "
    "(or a district admin) can decide it."
)


@dataclass
class PairState:
    blind: list[Review] = field(default_factory=list)  # in claim order
    lead: list[Review] = field(default_factory=list)

    @property
    def decided(self) -> list[Review]:
        return [review for review in self.blind if review.decision]

    @property
    def needs_lead(self) -> bool:
        return len(self.decided) >= 2

    def scored_by(self, user_id: int) -> bool:
        return any(review.assessor_id == user_id for review in self.decided)

    def taken_by_others(self, user_id: int, now: datetime) -> int:
        """Places held by others: decided, or under a live lease."""
        return sum(
            1
            for review in self.blind
            if review.assessor_id != user_id and (review.decision or review.claimed_until > now)
        )

    def live_lease(self, user_id: int, now: datetime) -> Review | None:
        reviews = self.lead if self.needs_lead else self.blind
        return next(
            (
                r
                for r in reviews
                if r.assessor_id == user_id and r.decision is None and r.claimed_until > now
            ),
            None,
        )

    def lead_lease_of_other(self, user_id: int, now: datetime) -> Review | None:
        return next(
            (
                r
                for r in self.lead
                if r.assessor_id != user_id and r.decision is None and r.claimed_until > now
            ),
            None,
        )


def pair_state(*, session: Session, submission_id: int) -> PairState:
    state = PairState()
    for review in session.exec(
        select(Review)
        .where(Review.submission_id == submission_id, Review.kind != ReviewKind.SINGLE.value)
        .order_by(Review.id)
        # A retry after a lost race must read what the winner committed, not the rows
        # this session loaded before.
        .execution_options(populate_existing=True)
    ):
        (state.blind if review.kind == ReviewKind.BLIND.value else state.lead).append(review)
    return state


def _check(
    *, session: Session, found: Reviewable, state: PairState, assessor: User, now: datetime
) -> ReviewKind:
    """The claim / decide guard of a pair attempt: the kind of review `assessor` may
    write now, else an error that names nobody."""
    submission = found.submission
    if submission.status in DECIDED:
        raise already_decided(session=session, submission=submission, reader=assessor)
    if submission.status not in AWAITING_REVIEW:
        raise Conflict(NO_LONGER_WAITING)
    if state.scored_by(assessor.id):
        raise Conflict(SCORED)
    if not state.needs_lead:
        if state.taken_by_others(assessor.id, now) >= 2:
            raise Conflict(PAIR_FULL)
        return ReviewKind.BLIND
    if not leads.may_reconcile(
        session=session, state=state, user=assessor, credential=found.credential
    ):
        raise Forbidden(LEAD_ONLY)
    other = state.lead_lease_of_other(assessor.id, now)
    if other is not None:
        raise already_reviewing(session=session, lease=other)
    return ReviewKind.LEAD


def place_for(
    *, session: Session, found: Reviewable, state: PairState, assessor: User, now: datetime
) -> ReviewKind:
    """The place (blind, or the lead's) `assessor` may take in `state`, else the error:
    the admin's reassign (server/admin/reassign.py) asks the claim guard's own rule."""
    return _check(session=session, found=found, state=state, assessor=assessor, now=now)


def _win(
    *, session: Session, found: Reviewable, assessor: User, now: datetime, plan
) -> tuple[PairState, ReviewKind, dict]:
    """Check, then bump the version; on a lost race re-read and check again. `plan`
    gives the UPDATE's values for what was read."""
    submission = found.submission
    for _ in range(RETRIES):
        state = pair_state(session=session, submission_id=submission.id)
        kind = _check(session=session, found=found, state=state, assessor=assessor, now=now)
        values = plan(state, kind)
        if try_transition(session=session, submission=submission, now=now, **values):
            session.refresh(submission)
            return state, kind, values
        session.refresh(submission)
    # Named nobody: the live lease may be the other member of the pair.
    raise Conflict(
        "This attempt changed while you were working on it. Reload the page to see where it stands."
    )


def claim_in_pair(
    *, session: Session, found: Reviewable, assessor: User, lease_hours: int, now: datetime
) -> Review:
    """Take one of the pair's two places (or, after both scored, the lead's)."""
    until = now + timedelta(hours=lease_hours)
    state = pair_state(session=session, submission_id=found.submission.id)
    _check(session=session, found=found, state=state, assessor=assessor, now=now)
    mine = state.live_lease(assessor.id, now)
    if mine is not None:  # claiming again renews it
        mine.claimed_until = until
        session.add(mine)
        return mine
    won, kind, _ = _win(
        session=session,
        found=found,
        assessor=assessor,
        now=now,
        plan=lambda _state, _kind: {"status": SubmissionStatus.IN_REVIEW.value},
    )
    review = hold(
        session=session,
        submission_id=found.submission.id,
        assessor_id=assessor.id,
        now=now,
        until=until,
        kind=kind.value,
    )
    if not won.blind:  # the first place taken: the teacher hears once, whoever won
        notify.send(
            session=session,
            user_id=found.submission.user_id,
            kind=NoticeKind.REVIEW_STARTED,
            title=f"Assessors started reviewing {found.credential.title}"[:200],
            body="Two assessors score it independently; you'll get a notice when it's decided.",
            url=f"/submissions/{found.submission.id}",
        )
    session.flush()
    return review


def decide_in_pair(
    *,
    session: Session,
    found: Reviewable,
    assessor: User,
    criteria: list[RubricCriterion],
    decision: Decision,
    scores: after.Scores,
    feedback: str,
    now: datetime,
) -> Review:
    """Record one blind score set (deciding the attempt when it is the second and they
    agree), or the lead's reconciling decision. `scores` are validated already."""
    decided_now = {"status": decision.value, "decided_at": now}

    def plan(state: PairState, kind: ReviewKind) -> dict:
        if kind is ReviewKind.LEAD:
            return decided_now
        partner = next((r for r in state.decided if r.assessor_id != assessor.id), None)
        if partner is not None and agree(session, partner, decision, scores, criteria):
            return decided_now
        return {"status": SubmissionStatus.IN_REVIEW.value}

    state, kind, values = _win(session=session, found=found, assessor=assessor, now=now, plan=plan)
    submission = found.submission
    partners = [r for r in state.decided if r.assessor_id != assessor.id]  # before mine is
    lease = state.live_lease(assessor.id, now)
    review = after.record_review(
        session=session,
        submission=submission,
        assessor=assessor,
        lease=lease,
        outcome=decision,
        feedback=feedback,
        now=now,
        kind=kind,
    )
    after.save_scores(session=session, review=review, criteria=criteria, scores=scores)
    session.flush()
    if "decided_at" not in values:  # the first of the pair, or a disagreement
        game.before_paying(session=session, user_ids=(assessor.id,))
        game.on_review_completed(session=session, review=review)
        if partners:
            leads.ask_the_leads(session=session, found=found, pair=[*partners, review])
        return review
    after.conclude(
        session=session,
        submission=submission,
        credential=found.credential,
        outcome=decision,
        deciding=review,
        feedback=merged.overall_feedback(session=session, submission_id=submission.id),
        assessor_ids=(assessor.id,),
        now=now,
    )
    return review


def agree(
    session: Session,
    partner: Review,
    decision: Decision,
    scores: after.Scores,
    criteria: list[RubricCriterion],
) -> bool:
    """Same decision and the same met / not yet on every criterion."""
    if partner.decision != decision.value:
        return False
    theirs = dict(
        session.exec(
            select(CriterionScore.criterion_id, CriterionScore.met).where(
                CriterionScore.review_id == partner.id
            )
        ).all()
    )
    return all(theirs.get(c.id) == bool(scores[c.id][0]) for c in criteria)
