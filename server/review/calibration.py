"""Calibration: before a credential's live queue, an assessor scores anchors (decided
submissions an admin marked with true scores) until their agreement with the truth
reaches the district's threshold; then an AssessorQualification lets them claim.

Agreement is cumulative over all of the assessor's calibration tries of the credential
(matching criteria / criteria scored), not per try: an anchor has only a handful of
criteria, so one try's figure jumps in steps of 20-33 points and a single lucky (or
unlucky) item would decide; pooling the tries measures the assessor, not the item.

A credential with no active anchor in the assessor's pool is not gated. Admins are
never gated (they set the true scores). An anchor's evidence is readable by an assessor
only while their try of it is open (access.calibrating_on).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from server import access
from server.errors import Conflict, Forbidden, NotFound
from server.models import (
    AnchorScore,
    AssessorQualification,
    CalibrationAnchor,
    CalibrationAttempt,
    CalibrationScore,
    Credential,
    DistrictSettings,
    Review,
    RubricCriterion,
    Submission,
    User,
    utcnow,
)

DEFAULT_THRESHOLD = 80
NOT_FOUND = "There is no calibration for that credential among the ones you can review."


def gate_message(title: str) -> str:
    return (
        f"Calibrate first: before you claim {title} submissions, score a few practice "
        "items until you agree with their true scores. Open the review queue's "
        "“Calibrate first” link to begin."
    )


def _in_pool(assessor: User):
    pool = access.pool_of(assessor)
    if pool is None:
        return CalibrationAnchor.org_id.is_(None)
    return CalibrationAnchor.org_id == pool


def _active(assessor: User, credential_id: int | None = None):
    query = select(CalibrationAnchor).where(
        _in_pool(assessor), CalibrationAnchor.retired_at.is_(None)
    )
    if credential_id is not None:
        query = query.where(CalibrationAnchor.credential_id == credential_id)
    return query


def gated_credentials(*, session: Session, assessor: User) -> set[int]:
    """Credentials whose live items this assessor may not claim yet."""
    if access.is_admin(assessor):
        return set()
    anchored = session.exec(
        select(CalibrationAnchor.credential_id)
        .where(_in_pool(assessor), CalibrationAnchor.retired_at.is_(None))
        .distinct()
    ).all()
    if not anchored:
        return set()
    qualified = session.exec(
        select(AssessorQualification.credential_id).where(
            AssessorQualification.user_id == assessor.id
        )
    ).all()
    return set(anchored) - set(qualified)


def to_calibrate(*, session: Session, assessor: User) -> list[tuple[int, str]]:
    """(id, title) of the credentials the assessor must calibrate on before claiming."""
    gated = gated_credentials(session=session, assessor=assessor)
    if not gated:
        return []
    rows = session.exec(
        select(Credential.id, Credential.title)
        .where(Credential.id.in_(gated))
        .order_by(Credential.title)
    ).all()
    return [(cid, title) for cid, title in rows]


def check_may_claim(*, session: Session, assessor: User, credential_id: int) -> None:
    """Forbidden (403, a clear message) while the assessor still has to calibrate."""
    if credential_id in gated_credentials(session=session, assessor=assessor):
        credential = session.get_one(Credential, credential_id)
        raise Forbidden(gate_message(credential.title))


def threshold_for(session: Session, assessor: User) -> int:
    row = session.get(DistrictSettings, assessor.org_id) if assessor.org_id else None
    return row.calibration_threshold if row else DEFAULT_THRESHOLD


def credential_for(*, session: Session, assessor: User, credential_id: int) -> Credential:
    """The credential when the assessor may calibrate on it: qualified to review it, with
    an active anchor (tried or not) in their pool; NotFound otherwise."""
    credential = session.get(Credential, credential_id)
    if credential is None or not access.is_qualified_assessor(
        session=session, user=assessor, credential=credential
    ):
        raise NotFound(NOT_FOUND)
    if session.exec(_active(assessor, credential_id)).first() is None:
        raise NotFound(NOT_FOUND)
    return credential


def _tried(assessor: User):
    return select(CalibrationAttempt.anchor_id).where(CalibrationAttempt.assessor_id == assessor.id)


def untried(*, session: Session, assessor: User, credential_id: int) -> list[CalibrationAnchor]:
    """Active anchors this assessor has not tried, never their own work nor one they
    reviewed (they would know its decision)."""
    reviewed = select(Review.submission_id).where(Review.assessor_id == assessor.id)
    own = select(Submission.id).where(Submission.user_id == assessor.id)
    return list(
        session.exec(
            _active(assessor, credential_id)
            .where(CalibrationAnchor.id.not_in(_tried(assessor)))
            .where(CalibrationAnchor.submission_id.not_in(reviewed))
            .where(CalibrationAnchor.submission_id.not_in(own))
            .order_by(CalibrationAnchor.id)
        ).all()
    )


def open_try(
    *, session: Session, assessor: User, credential_id: int, live: bool = False
) -> CalibrationAttempt | None:
    """The assessor's unscored try (total 0) of an active anchor of the credential."""
    return session.exec(
        select(CalibrationAttempt)
        .join(CalibrationAnchor, CalibrationAnchor.id == CalibrationAttempt.anchor_id)
        .where(
            CalibrationAttempt.assessor_id == assessor.id,
            CalibrationAttempt.total == 0,
            CalibrationAttempt.live == live,
            CalibrationAnchor.credential_id == credential_id,
            CalibrationAnchor.retired_at.is_(None),
        )
    ).first()


def start(*, session: Session, assessor: User, credential_id: int) -> CalibrationAttempt:
    """Open a try of the next untried anchor (or return the one already open)."""
    credential_for(session=session, assessor=assessor, credential_id=credential_id)
    current = open_try(session=session, assessor=assessor, credential_id=credential_id)
    if current is not None:
        return current
    waiting = untried(session=session, assessor=assessor, credential_id=credential_id)
    if not waiting:
        raise Conflict(NO_MORE)
    attempt = CalibrationAttempt(anchor_id=waiting[0].id, assessor_id=assessor.id)
    try:
        with session.begin_nested():
            session.add(attempt)
    except IntegrityError:  # the same start sent twice at once: one try exists
        raise Conflict("That item was already started: reload the page.") from None
    return attempt


NO_MORE = (
    "You have tried every practice item for this credential. Ask your district admin "
    "to mark more anchors; your figure so far is kept."
)


def anchor_criteria(session: Session, anchor: CalibrationAnchor) -> list[RubricCriterion]:
    return list(
        session.exec(
            select(RubricCriterion)
            .join(AnchorScore, AnchorScore.criterion_id == RubricCriterion.id)
            .where(AnchorScore.anchor_id == anchor.id)
            .order_by(RubricCriterion.position, RubricCriterion.id)
        ).all()
    )


def record_scores(
    *,
    session: Session,
    attempt: CalibrationAttempt,
    met: Mapping[int, bool | None],
    now: datetime | None = None,
) -> dict[str, str]:
    """Store an open try's scores against the truth. Returns the form's errors (nothing
    written then); Conflict when the try was scored already (a double submit)."""
    truth = dict(
        session.exec(
            select(AnchorScore.criterion_id, AnchorScore.met).where(
                AnchorScore.anchor_id == attempt.anchor_id
            )
        ).all()
    )
    anchor = session.get_one(CalibrationAnchor, attempt.anchor_id)
    errors = {
        f"met_{c.id}": f"Choose Met or Not yet for “{c.title}”."
        for c in anchor_criteria(session, anchor)
        if met.get(c.id) is None
    }
    if errors:
        return errors
    agreed = sum(1 for criterion_id, true_met in truth.items() if met[criterion_id] == true_met)
    done = session.exec(
        update(CalibrationAttempt)
        .where(CalibrationAttempt.id == attempt.id, CalibrationAttempt.total == 0)
        .values(agreed=agreed, total=len(truth), created_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        raise Conflict("This practice item was already scored: reload the page.")
    session.add_all(
        CalibrationScore(attempt_id=attempt.id, criterion_id=cid, met=bool(met[cid]))
        for cid in truth
    )
    session.flush()
    session.refresh(attempt)
    return {}


@dataclass(frozen=True)
class Standing:
    tries: int
    agreed: int
    total: int
    threshold: int
    qualified: bool

    @property
    def percent(self) -> int | None:
        return None if not self.total else (100 * self.agreed) // self.total


def scored_tries(query, assessor: User, credential_id: int):
    """`query` narrowed to the assessor's scored calibration tries of the credential (the
    hidden live ones apart: they never count towards qualifying, nor are shown)."""
    return query.join(
        CalibrationAnchor, CalibrationAnchor.id == CalibrationAttempt.anchor_id
    ).where(
        CalibrationAttempt.assessor_id == assessor.id,
        CalibrationAttempt.live.is_(False),
        CalibrationAttempt.total > 0,
        CalibrationAnchor.credential_id == credential_id,
    )


def standing(*, session: Session, assessor: User, credential_id: int) -> Standing:
    """Cumulative agreement over the assessor's scored calibration tries (not live ones)."""
    sums = select(
        func.count(CalibrationAttempt.id),
        func.coalesce(func.sum(CalibrationAttempt.agreed), 0),
        func.coalesce(func.sum(CalibrationAttempt.total), 0),
    )
    tries, agreed, total = session.exec(scored_tries(sums, assessor, credential_id)).one()
    qualified = session.get(AssessorQualification, (assessor.id, credential_id)) is not None
    return Standing(
        int(tries), int(agreed), int(total), threshold_for(session, assessor), qualified
    )


def qualify_if_reached(*, session: Session, assessor: User, credential_id: int) -> Standing:
    """After a try: add the qualification when the cumulative figure reaches the
    threshold (once: a concurrent duplicate is ignored)."""
    now = standing(session=session, assessor=assessor, credential_id=credential_id)
    percent = now.percent
    if now.qualified or percent is None or percent < now.threshold:
        return now
    try:
        with session.begin_nested():
            session.add(
                AssessorQualification(
                    user_id=assessor.id, credential_id=credential_id, percent=percent
                )
            )
    except IntegrityError:
        pass
    return Standing(now.tries, now.agreed, now.total, now.threshold, True)
