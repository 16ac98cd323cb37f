"""Points, levels, streaks and leaderboards. Other areas call the on_* hooks, inside their
own transaction (they commit); each hook must be safe to call twice for the same event.

Every hook only adds and flushes. A rule pays once per (user, rule, ref) because the
ledger's unique key says so (see ledger.py), whatever the retries or races.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from server.catalog.service import published_credential
from server.game import ledger, rules, streaks, values
from server.models import (
    Award,
    Credential,
    Decision,
    PointEvent,
    Review,
    Submission,
    SubmissionStatus,
    utcnow,
)


def on_submission(*, session: Session, submission: Submission) -> None:
    """A teacher submitted an attempt (first or later)."""
    at = submission.submitted_at or utcnow()
    _pay(
        session,
        submission.user_id,
        rules.FIRST_SUBMISSION,
        f"credential:{submission.credential_id}",
        at,
    )
    streaks.record_activity(session=session, user_id=submission.user_id, kind="submission", at=at)


def before_paying(*, session: Session, user_ids: Iterable[int]) -> None:
    """Call first when one transaction will pay several people (see ledger.lock_totals)."""
    ledger.lock_totals(session=session, user_ids=user_ids)


def on_decision(*, session: Session, submission: Submission, decision: str) -> None:
    """An assessor decided an attempt: 'awarded' or 'not_yet'."""
    if decision != Decision.AWARD.value:
        return  # "not yet" pays nothing now; persistence pays when it is earned
    credential = session.get(Credential, submission.credential_id)
    if credential is None:
        return
    at = submission.decided_at or utcnow()
    ref = f"credential:{credential.id}"
    ledger.pay(
        session=session,
        user_id=submission.user_id,
        rule=rules.CREDENTIAL_EARNED.name,
        ref=ref,
        points=credential.points,
        at=at,
    )
    if _had_not_yet(session, submission):
        _pay(session, submission.user_id, rules.PERSISTENCE, ref, at)
    if stack_complete(
        session=session,
        user_id=submission.user_id,
        stack_id=credential.stack_id,
        also_earned=credential.id,
    ):
        _pay(session, submission.user_id, rules.STACK_COMPLETED, f"stack:{credential.stack_id}", at)


def on_award_revoked(*, session: Session, award: Award) -> int:
    """Take back, once, what earning this award paid (credential earned + persistence):
    one negative ledger entry, so totals, weeks and boards follow and a rebuild agrees."""
    paid: int = session.execute(
        select(func.coalesce(func.sum(PointEvent.points), 0)).where(
            PointEvent.user_id == award.user_id,
            PointEvent.rule.in_((rules.CREDENTIAL_EARNED.name, rules.PERSISTENCE.name)),
            PointEvent.ref == f"credential:{award.credential_id}",
        )
    ).scalar_one()
    if paid <= 0:
        return 0
    ledger.pay(
        session=session,
        user_id=award.user_id,
        rule=rules.CREDENTIAL_REVOKED.name,
        ref=f"award:{award.id}",
        points=-paid,
        at=award.revoked_at,
    )
    return -paid


def on_review_completed(*, session: Session, review: Review) -> None:
    """An assessor finished a review (either decision)."""
    if not review.decision:
        return
    at = review.decided_at or utcnow()
    _pay(session, review.assessor_id, rules.REVIEW_COMPLETED, f"review:{review.id}", at)


def on_activity(*, session: Session, user_id: int, kind: str) -> None:
    """Evidence added or an attempt submitted: keeps the weekly streak alive."""
    streaks.record_activity(session=session, user_id=user_id, kind=kind)


def _pay(session: Session, user_id: int, rule: rules.Rule, ref: str, at: datetime) -> None:
    """Pay a rule at the value of the person's district (once per user, rule and ref:
    the ledger's key). A rule worth 0 there pays nothing: no empty ledger line."""
    points = values.for_user(session=session, user_id=user_id).points_for(rule)
    if points == 0:
        return
    ledger.pay(session=session, user_id=user_id, rule=rule.name, ref=ref, points=points, at=at)


def _had_not_yet(session: Session, submission: Submission) -> bool:
    """An earlier attempt at the same credential came back "not yet"."""
    earlier = (
        Submission.user_id == submission.user_id,
        Submission.credential_id == submission.credential_id,
        Submission.id != submission.id,
    )
    returned = session.execute(
        select(Submission.id)
        .where(*earlier, Submission.status == SubmissionStatus.NOT_YET.value)
        .limit(1)
    ).first()
    if returned is not None:
        return True
    reviewed = session.execute(
        select(Review.id)
        .join(Submission, Submission.id == Review.submission_id)
        .where(*earlier, Review.decision == Decision.NOT_YET.value)
        .limit(1)
    ).first()
    return reviewed is not None


def earned_credential_ids(*, session: Session, user_id: int) -> set[int]:
    return set(
        session.execute(
            select(Award.credential_id).where(Award.user_id == user_id, Award.revoked_at.is_(None))
        ).scalars()
    )


def stack_complete(
    *, session: Session, user_id: int, stack_id: int, also_earned: int | None = None
) -> bool:
    """An unrevoked Award for every published credential of the stack. `also_earned`
    counts a credential being awarded right now, whose Award may not be flushed yet."""
    needed = set(
        session.execute(
            select(Credential.id).where(Credential.stack_id == stack_id, published_credential())
        ).scalars()
    )
    earned = earned_credential_ids(session=session, user_id=user_id)
    if also_earned is not None:
        earned.add(also_earned)
    return bool(needed) and needed <= earned
