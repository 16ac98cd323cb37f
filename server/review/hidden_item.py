"""One hidden item (review/hidden.py) worked like a submission: its review page, claim,
decision and scoring draft, each answering with the words a live attempt's would. The
review routes and services branch here before load_for_reviewer when the id is one of the
viewer's hidden items; anybody else's hidden id is no submission at all (404)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import update
from sqlmodel import Session

from server.catalog.service import criteria_for
from server.errors import Conflict, Forbidden
from server.models import (
    CalibrationAnchor,
    CalibrationAttempt,
    Credential,
    Decision,
    HiddenItem,
    RubricCriterion,
    ScoringDraft,
    Submission,
    SubmissionStatus,
    User,
)
from server.review import calibration, drafts, hidden
from server.review import decide as deciding
from server.review.double import SCORED
from server.review.guards import award_refusal, format_when
from server.review.pair_page import PAIR_NOTE
from server.review.past import PastDecision

if TYPE_CHECKING:
    from server.review.service import ReviewPage

DECIDED_NOTICE = "This attempt has been decided; its decision is shown below."


def _anchored(session: Session, item: HiddenItem) -> Submission:
    """The anchor's own submission: its evidence and rubric version (never its people)."""
    anchor = session.get_one(CalibrationAnchor, item.anchor_id)
    return session.get_one(Submission, anchor.submission_id)


def _criteria(session: Session, item: HiddenItem) -> list[RubricCriterion]:
    real = _anchored(session, item)
    return criteria_for(
        session=session, credential_id=item.credential_id, version=real.credential_version
    )


def _held(item: HiddenItem, now: datetime) -> bool:
    return item.claimed_until is not None and item.claimed_until > now


def _decided(item: HiddenItem, reader: User) -> Conflict:
    """A live single attempt's "already decided" (here always the reader's own decision)."""
    assert item.decided_at is not None
    when = format_when(item.decided_at, reader.timezone)
    return Conflict(f"Already decided by {reader.display_name} at {when}.")


def shown_submission(item: HiddenItem, now: datetime) -> Submission:
    """A stand-in Submission for the templates (never added to the session)."""
    status = SubmissionStatus.IN_REVIEW if _held(item, now) else SubmissionStatus.SUBMITTED
    if item.decided_at is not None:
        status = SubmissionStatus.NOT_YET
    return Submission(
        id=item.id,
        user_id=0,
        credential_id=item.credential_id,
        attempt=item.attempt,
        status=status.value,
        submitted_at=item.shown_at,
        decided_at=item.decided_at,
    )


def review_page(
    *, session: Session, item: HiddenItem, viewer: User, blind_key: str, now: datetime
) -> ReviewPage:
    from server.review import service  # it imports us

    real = _anchored(session, item)
    page = service.ReviewPage(
        submission=shown_submission(item, now),
        credential_title=session.get_one(Credential, item.credential_id).title,
        teacher=hidden.label(item, blind_key),
        school=None,
        # A first attempt: no part is "unchanged since the previous one".
        groups=[
            replace(group, unchanged=False) for group in service._evidence_groups(session, real)
        ],
        criteria=_criteria(session, item),
        award_refusal=award_refusal(session=session, submission=real),
    )
    pair = hidden.is_pair(session, viewer, item.credential_id)
    if pair:
        page.pair_note = PAIR_NOTE
    if item.decided_at is not None:  # a pair member waits for the other's scores
        page.notice, page.past = (SCORED, []) if pair else (DECIDED_NOTICE, past(item, viewer))
        return page
    if _held(item, now):
        page.lease_holder, page.lease_until = viewer.display_name, item.claimed_until
        page.lease_mine = True
    page.can_decide = True
    page.can_claim = not page.lease_mine
    return page


def claim(
    *, session: Session, item: HiddenItem, assessor: User, lease_hours: int, now: datetime
) -> None:
    if item.decided_at is not None:
        raise _decided(item, assessor)
    item.claimed_until = now + timedelta(hours=lease_hours)
    session.add(item)
    session.flush()


def decide(
    *,
    session: Session,
    item: HiddenItem,
    assessor: User,
    decision: str,
    scores: deciding.Scores,
    feedback: str,
    now: datetime,
) -> None:
    """Validate as a live decision, then score the item's live calibration try: exactly
    once (the conditional UPDATE), and nothing else (no points, award or notice)."""
    if item.decided_at is not None:
        raise _decided(item, assessor)
    criteria = _criteria(session, item)
    errors = deciding.validate(
        criteria=criteria, decision=decision, scores=scores, feedback=feedback
    )
    if deciding.DECISIONS.get(decision) is Decision.AWARD:
        refusal = award_refusal(session=session, submission=_anchored(session, item))
        if refusal:
            errors["decision"] = refusal
    if errors:
        raise deciding.DecisionInvalid(errors)
    won = session.exec(
        update(HiddenItem)
        .where(HiddenItem.id == item.id, HiddenItem.decided_at.is_(None))
        .values(
            decided_at=now,
            decision=DECISIONS_GIVEN[decision],
            given=json.dumps(_given(criteria, scores, feedback.strip())),
            draft=None,
            draft_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    if won.rowcount != 1:
        session.refresh(item)
        raise _decided(item, assessor)
    attempt = session.get_one(CalibrationAttempt, item.attempt_id)
    met = {cid: met for cid, (met, _) in scores.items()}
    errors = calibration.record_scores(session=session, attempt=attempt, met=met, now=now)
    if errors:  # the rubric lacks a criterion the truth scores: say it as the form would
        raise deciding.DecisionInvalid(errors)
    session.refresh(item)


DECISIONS_GIVEN = {key: value.value for key, value in deciding.DECISIONS.items()}


def _given(criteria: list[RubricCriterion], scores: deciding.Scores, feedback: str) -> dict:
    return {
        "feedback": feedback,
        "scores": [[c.title, bool(scores[c.id][0]), scores[c.id][1] or ""] for c in criteria],
    }


def past(item: HiddenItem, viewer: User) -> list[PastDecision]:
    """The decided item's own decision, as the page's decision history shows a live one."""
    if item.decided_at is None or item.given is None:
        return []
    given = json.loads(item.given)
    return [
        PastDecision(
            attempt=item.attempt,
            submission_id=item.id,
            decision=item.decision,
            decided_at=item.decided_at,
            assessor=viewer.display_name,
            feedback=given["feedback"],
            scores=[(title, met, comment) for title, met, comment in given["scores"]],
        )
    ]


def _claimed(item: HiddenItem, viewer: User, now: datetime) -> None:
    """drafts._my_claim's rule: the viewer's live claim, else the same refusal."""
    if item.decided_at is not None:
        raise _decided(item, viewer)
    if item.claimed_until is None:
        raise Forbidden(drafts.NOT_YOURS)
    if item.claimed_until <= now:
        raise Conflict(drafts.LAPSED)


def save_draft(
    *, session: Session, item: HiddenItem, viewer: User, data: dict, now: datetime
) -> drafts.Draft:
    _claimed(item, viewer, now)
    draft = drafts.check(_criteria(session, item), data)
    item.draft, item.draft_at = json.dumps(draft.as_json()), now
    session.add(item)
    session.flush()
    return drafts.Draft(draft.met, draft.comments, draft.feedback, now)


def load_draft(*, item: HiddenItem, viewer: User, now: datetime) -> drafts.Draft | None:
    _claimed(item, viewer, now)
    return read_draft(item)


def read_draft(item: HiddenItem) -> drafts.Draft | None:
    if item.draft is None or item.draft_at is None:
        return None
    return drafts.read_row(ScoringDraft(review_id=0, data=item.draft, updated_at=item.draft_at))
