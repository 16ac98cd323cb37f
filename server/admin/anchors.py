"""Calibration anchors (/admin/calibration): a district admin marks a decided attempt of
one of their teachers as an exemplar with true scores per criterion, and retires anchors.
Assessors calibrate against them (review/calibration.py). No Flask here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from server.admin import audit
from server.admin.forms import FormInvalid
from server.catalog.service import criteria_for
from server.errors import Conflict, NotFound
from server.models import (
    DECIDED,
    AnchorScore,
    CalibrationAnchor,
    CalibrationAttempt,
    Credential,
    CriterionScore,
    Org,
    Review,
    RubricCriterion,
    Submission,
    User,
    utcnow,
)
from server.review.outcome import MET_CHOICES

NOT_HERE = "We couldn't find that decided attempt among your district's."


@dataclass(frozen=True)
class AnchorRow:
    anchor: CalibrationAnchor
    credential_title: str
    attempt: int
    tries: int


@dataclass(frozen=True)
class Candidate:
    submission_id: int
    credential_title: str
    attempt: int
    status: str
    decided_at: datetime | None


def anchors(*, session: Session, org: Org) -> list[AnchorRow]:
    tries = (
        select(func.count(CalibrationAttempt.id))
        .where(CalibrationAttempt.anchor_id == CalibrationAnchor.id)
        .scalar_subquery()
    )
    rows = session.exec(
        select(CalibrationAnchor, Credential.title, Submission.attempt, tries)
        .join(Credential, Credential.id == CalibrationAnchor.credential_id)
        .join(Submission, Submission.id == CalibrationAnchor.submission_id)
        .where(CalibrationAnchor.org_id == org.id)
        .order_by(CalibrationAnchor.retired_at.is_not(None), Credential.title, CalibrationAnchor.id)
    ).all()
    return [AnchorRow(anchor, title, attempt, int(n)) for anchor, title, attempt, n in rows]


def candidates(*, session: Session, org: Org, limit: int = 50) -> list[Candidate]:
    """The district's decided attempts with evidence that are not anchors yet, newest first."""
    rows = session.exec(
        select(Submission, Credential.title)
        .join(Credential, Credential.id == Submission.credential_id)
        .join(User, User.id == Submission.user_id)
        .where(
            User.org_id == org.id,
            Submission.status.in_(sorted(DECIDED)),
            Submission.evidence_deleted_at.is_(None),
            Submission.id.not_in(select(CalibrationAnchor.submission_id)),
        )
        .order_by(Submission.decided_at.desc(), Submission.id.desc())
        .limit(limit)
    ).all()
    return [Candidate(s.id, title, s.attempt, s.status, s.decided_at) for s, title in rows]


def decided_attempt(*, session: Session, org: Org, submission_id: int) -> Submission:
    submission = session.get(Submission, submission_id)
    owner = session.get(User, submission.user_id) if submission else None
    if submission is None or owner is None or owner.org_id != org.id:
        raise NotFound(NOT_HERE)
    if submission.status not in DECIDED or submission.evidence_deleted_at is not None:
        raise NotFound(NOT_HERE)
    return submission


def rubric_of(session: Session, submission: Submission) -> list[RubricCriterion]:
    return criteria_for(
        session=session,
        credential_id=submission.credential_id,
        version=submission.credential_version,
    )


def decided_scores(session: Session, submission: Submission) -> dict[int, str]:
    """The deciding assessor's scores, as the form's starting choices ("met"/"not_yet")."""
    review = session.exec(
        select(Review)
        .where(Review.submission_id == submission.id, Review.decision.is_not(None))
        .order_by(Review.decided_at.desc(), Review.id.desc())
    ).first()
    if review is None:
        return {}
    scores = session.exec(select(CriterionScore).where(CriterionScore.review_id == review.id))
    return {score.criterion_id: "met" if score.met else "not_yet" for score in scores}


def mark(
    *, session: Session, org: Org, actor: User, submission_id: int, form: Mapping[str, str]
) -> CalibrationAnchor:
    """Make the attempt an anchor with the form's true scores (every criterion chosen)."""
    submission = decided_attempt(session=session, org=org, submission_id=submission_id)
    existing = session.exec(
        select(CalibrationAnchor.id).where(CalibrationAnchor.submission_id == submission.id)
    ).first()
    if existing is not None:
        raise Conflict("That attempt is already an anchor.")
    criteria = rubric_of(session, submission)
    truth = {c.id: MET_CHOICES.get(form.get(f"met_{c.id}", "")) for c in criteria}
    errors = {
        f"met_{c.id}": f"Choose the true score for “{c.title}”."
        for c in criteria
        if truth[c.id] is None
    }
    if errors:
        raise FormInvalid(errors)
    anchor = CalibrationAnchor(
        submission_id=submission.id,
        credential_id=submission.credential_id,
        org_id=org.id,
        created_by=actor.id,
    )
    try:
        with session.begin_nested():
            session.add(anchor)
    except IntegrityError:  # another admin marked it at the same moment
        raise Conflict("That attempt is already an anchor.") from None
    session.add_all(
        AnchorScore(anchor_id=anchor.id, criterion_id=cid, met=bool(met))
        for cid, met in truth.items()
    )
    audit.record(
        session=session,
        org=org,
        actor=actor,
        action="marked a calibration anchor",
        target=f"submission {submission.id}",
        after={str(cid): met for cid, met in truth.items()},
    )
    return anchor


def retire(*, session: Session, org: Org, actor: User, anchor_id: int) -> CalibrationAnchor:
    anchor = session.get(CalibrationAnchor, anchor_id)
    if anchor is None or anchor.org_id != org.id:
        raise NotFound("We couldn't find that anchor among your district's.")
    if anchor.retired_at is not None:
        raise Conflict("That anchor is already retired.")
    anchor.retired_at = utcnow()
    session.add(anchor)
    audit.record(
        session=session,
        org=org,
        actor=actor,
        action="retired a calibration anchor",
        target=f"anchor {anchor.id} (submission {anchor.submission_id})",
    )
    return anchor
