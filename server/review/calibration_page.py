"""The calibration page's data: the open try's anchor evidence (never the teacher's name
or school), the rubric to score, the assessor's standing and their last try against the
truth. No Flask here."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from server.models import (
    AnchorScore,
    CalibrationAnchor,
    CalibrationAttempt,
    CalibrationScore,
    Credential,
    RubricCriterion,
    Submission,
    User,
)
from server.review import calibration
from server.review.service import RequirementGroup
from server.review.service import _evidence_groups as evidence_groups


@dataclass
class CalibrationPage:
    credential: Credential
    standing: calibration.Standing
    remaining: int  # untried anchors
    attempt: CalibrationAttempt | None = None  # the open try
    groups: list[RequirementGroup] = field(default_factory=list)
    criteria: list[RubricCriterion] = field(default_factory=list)
    last: LastTry | None = None


def calibration_page(*, session: Session, assessor: User, credential_id: int) -> CalibrationPage:
    credential = calibration.credential_for(
        session=session, assessor=assessor, credential_id=credential_id
    )
    attempt = calibration.open_try(session=session, assessor=assessor, credential_id=credential_id)
    page = CalibrationPage(
        credential=credential,
        standing=calibration.standing(
            session=session, assessor=assessor, credential_id=credential_id
        ),
        remaining=len(
            calibration.untried(session=session, assessor=assessor, credential_id=credential_id)
        ),
        attempt=attempt,
        last=last_try(session=session, assessor=assessor, credential_id=credential_id),
    )
    if attempt is not None:
        anchor = session.get_one(CalibrationAnchor, attempt.anchor_id)
        page.groups = evidence_groups(session, session.get_one(Submission, anchor.submission_id))
        page.criteria = calibration.anchor_criteria(session, anchor)
    return page


@dataclass(frozen=True)
class Difference:
    title: str
    yours: bool
    truth: bool

    @property
    def agrees(self) -> bool:
        return self.yours == self.truth


@dataclass
class LastTry:
    agreed: int
    total: int
    rows: list[Difference] = field(default_factory=list)


def last_try(*, session: Session, assessor: User, credential_id: int) -> LastTry | None:
    """The latest scored calibration try, criterion by criterion against the truth."""
    latest = calibration.scored_tries(select(CalibrationAttempt), assessor, credential_id)
    attempt = session.exec(
        latest.order_by(CalibrationAttempt.created_at.desc(), CalibrationAttempt.id.desc())
    ).first()
    if attempt is None:
        return None
    rows = session.exec(
        select(RubricCriterion.title, CalibrationScore.met, AnchorScore.met)
        .join(CalibrationScore, CalibrationScore.criterion_id == RubricCriterion.id)
        .join(AnchorScore, AnchorScore.criterion_id == RubricCriterion.id)
        .where(
            CalibrationScore.attempt_id == attempt.id,
            AnchorScore.anchor_id == attempt.anchor_id,
        )
        .order_by(RubricCriterion.position, RubricCriterion.id)
    ).all()
    return LastTry(attempt.agreed, attempt.total, [Difference(*row) for row in rows])
