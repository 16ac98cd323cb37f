"""Demo review-trust data, so the agreement report and calibration have something to show:
an anonymised archive of past Riverbend attempts (its own account, outside every cohort,
hidden from leaderboards, no points), four of them marked as calibration anchors of
Motivation with true scores, Jordan's two calibration tries (qualified, 87 %) and
double-blind pairs scored by Jordan and a second assessor, Rosa, over the last months.

A new assessor of Motivation must calibrate first; Jordan is qualified, so the demo's
queue works as before. Nothing here pays points or sends notices.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session, func, select

from server.demo.media import store_demo_files
from server.demo.people import DEMO_HANDLES
from server.demo.seeder import Seeder
from server.models import (
    AnchorScore,
    AssessorAppointment,
    AssessorQualification,
    CalibrationAnchor,
    CalibrationAttempt,
    CalibrationScore,
    CriterionScore,
    Decision,
    Review,
    ReviewKind,
    Stack,
    Submission,
    SubmissionStatus,
    User,
    Visibility,
    utcnow,
)
from server.storage import Storage

if TYPE_CHECKING:
    from server.demo.seed import SeededCredential

ANCHORED = "motivation"
ARCHIVE = ("archive", "Riverbend archive (anonymised)")
SECOND_ASSESSOR = ("rosa", "Rosa Delgado", "Riverbend High School")
# True scores of the four anchors (Motivation has four criteria).
TRUTHS = (
    (True, True, False, True),
    (True, False, True, True),
    (False, True, True, False),
    (True, True, True, False),
)
# Jordan's tries: anchor index, his scores (4 of 4, then 3 of 4: 87 % cumulative).
JORDAN_TRIES = ((0, (True, True, False, True)), (1, (True, True, True, True)))
# Double-blind pairs: credential, days ago, Jordan's scores, Rosa's scores.
BLIND_PAIRS = (
    ("fractions-as-numbers", 110, (True, True, False, True), (True, True, False, True)),
    ("number-line-reasoning", 95, (True, False, False, True), (True, True, False, True)),
    ("motivation", 80, (True, True, True, False), (True, True, True, False)),
    ("executive-function", 62, (False, True, True, True), (False, True, False, True)),
    ("fractions-as-numbers", 45, (True, True, False, True), (True, True, False, True)),
    ("collaborative-docs-in-class", 30, (True, False, True, True), (True, False, True, True)),
    ("motivation", 20, (False, False, True, True), (False, True, True, True)),
    ("number-line-reasoning", 10, (True, True, True, True), (True, True, False, True)),
)


def seed_review_trust(
    *,
    session: Session,
    org_id: int,
    people: dict[str, User],
    catalog: dict[str, SeededCredential],
    stacks: list[Stack],
    storage: Storage | None = None,
) -> str:
    jordan, admin = people[DEMO_HANDLES["assessor"]], people[DEMO_HANDLES["admin"]]
    archive = _person(session, org_id, *ARCHIVE, "Riverbend District Office", roles="teacher")
    archive.leaderboard_visibility = Visibility.HIDDEN.value
    rosa = _person(session, org_id, *SECOND_ASSESSOR, roles="teacher,assessor")
    session.add_all(
        AssessorAppointment(user_id=rosa.id, stack_id=stack.id, appointed_by=admin.id)
        for stack in stacks
    )
    seeder = Seeder(session, catalog, assessor=jordan, files=store_demo_files(storage))
    anchors = _anchors(session, seeder, archive, admin, org_id, catalog[ANCHORED])
    criteria = catalog[ANCHORED].criteria
    for number, scores in JORDAN_TRIES:
        at = seeder.ago(40 - 5 * number)
        _try(session, anchors[number], criteria, TRUTHS[number], jordan, scores, at=at)
    qualified = AssessorQualification(
        user_id=jordan.id, credential_id=anchors[0].credential_id, percent=87
    )
    qualified.qualified_at = seeder.ago(35)
    session.add(qualified)
    for slug, days, first, second in BLIND_PAIRS:
        attempt = _decided(seeder, archive, slug, days)
        for assessor, scores in ((jordan, first), (rosa, second)):
            _blind_review(session, attempt, assessor, catalog[slug], scores, days)
    session.flush()
    return (
        f"review trust: {len(anchors)} calibration anchors, {len(BLIND_PAIRS)} double-blind "
        "pairs, an anonymised archive and a second assessor"
    )


def _person(session: Session, org_id: int, handle: str, name: str, school: str, *, roles: str):
    from server.demo.seed import EMAIL_DOMAIN, TIMEZONE  # seed imports this module

    user = User(
        handle=handle,
        display_name=name,
        email=f"{handle}@{EMAIL_DOMAIN}",
        roles=roles,
        org_id=org_id,
        school=school,
        timezone=TIMEZONE,
    )
    session.add(user)
    session.flush()
    return user


def _decided(seeder: Seeder, owner: User, slug: str, days_ago: float) -> Submission:
    """A past attempt decided "not yet" outside today's queue (no points, no notice)."""
    decided = seeder.ago(days_ago)
    credential_id = seeder.catalog[slug].credential.id
    attempt = 1 + (
        seeder.session.exec(
            select(func.max(Submission.attempt)).where(
                Submission.user_id == owner.id, Submission.credential_id == credential_id
            )
        ).one()
        or 0
    )
    submission = seeder._new(
        owner,
        slug,
        SubmissionStatus.NOT_YET,
        created=decided - timedelta(days=6),
        submitted=decided - timedelta(days=3),
        attempt=attempt,
    )
    submission.decided_at = submission.updated_at = decided
    seeder.session.add(submission)
    return submission


def _anchors(session, seeder, archive, admin, org_id, seeded) -> list[CalibrationAnchor]:
    anchors = []
    for number, truth in enumerate(TRUTHS):
        attempt = _decided(seeder, archive, ANCHORED, 70 - 3 * number)
        anchor = CalibrationAnchor(
            submission_id=attempt.id,
            credential_id=attempt.credential_id,
            org_id=org_id,
            created_by=admin.id,
            created_at=seeder.ago(60),
        )
        session.add(anchor)
        session.flush()
        session.add_all(
            AnchorScore(anchor_id=anchor.id, criterion_id=criterion.id, met=met)
            for criterion, met in zip(seeded.criteria, truth, strict=True)
        )
        anchors.append(anchor)
    return anchors


def _try(session: Session, anchor, criteria, truth, assessor: User, scores, *, at) -> None:
    agreed = sum(1 for mine, true in zip(scores, truth, strict=True) if mine == true)
    attempt = CalibrationAttempt(
        anchor_id=anchor.id, assessor_id=assessor.id, agreed=agreed, total=len(truth), created_at=at
    )
    session.add(attempt)
    session.flush()
    session.add_all(
        CalibrationScore(attempt_id=attempt.id, criterion_id=criterion.id, met=met)
        for criterion, met in zip(criteria, scores, strict=True)
    )


def _blind_review(
    session: Session, attempt: Submission, assessor: User, seeded, scores, days_ago: int
) -> None:
    """One of a double-blind pair: the assessor's own score set (only the lead, or
    agreement, decides the attempt; both said "not yet" here)."""
    decided = (attempt.decided_at or utcnow()) - timedelta(hours=2 + days_ago % 5)
    review = Review(
        submission_id=attempt.id,
        assessor_id=assessor.id,
        claimed_at=decided - timedelta(minutes=30),
        claimed_until=decided,
        decision=Decision.NOT_YET.value if not all(scores) else Decision.AWARD.value,
        feedback="Scored independently as one of a double-blind pair.",
        decided_at=decided,
        kind=ReviewKind.BLIND.value,
    )
    session.add(review)
    session.flush()
    session.add_all(
        CriterionScore(review_id=review.id, criterion_id=criterion.id, met=met, comment="")
        for criterion, met in zip(seeded.criteria, scores, strict=True)
    )
