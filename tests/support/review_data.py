"""Builders for review tests: submitted attempts, evidence rows, appointments, reviews.

Rows are written straight through the models (the submissions area owns the real flow).
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from sqlmodel import Session, select

from server.models import (
    AssessorAppointment,
    Credential,
    EvidenceItem,
    EvidenceRequirement,
    Review,
    RubricCriterion,
    Submission,
    User,
    new_uuid,
    utcnow,
)

_attempts = itertools.count(1)


def appoint(session: Session, user: User, credential: Credential) -> None:
    session.add(AssessorAppointment(user_id=user.id, stack_id=credential.stack_id))
    session.commit()


def submit(session: Session, teacher: User, credential: Credential, *,
           submitted_at: datetime | None = None, status: str = "submitted",
           attempt: int | None = None) -> Submission:
    submission = Submission(
        user_id=teacher.id, credential_id=credential.id, status=status,
        attempt=attempt or next(_attempts), consent_given=True,
        submitted_at=submitted_at or utcnow(),
    )
    session.add(submission)
    session.commit()
    session.refresh(submission)
    return submission


def lease(session: Session, submission: Submission, assessor: User, *, hours: int = 48,
          now: datetime | None = None) -> Review:
    """A claim written directly (as if `claim` ran at `now`)."""
    now = now or utcnow()
    review = Review(submission_id=submission.id, assessor_id=assessor.id, claimed_at=now,
                    claimed_until=now + timedelta(hours=hours))
    submission.status = "in_review"
    submission.version += 1
    session.add_all([review, submission])
    session.commit()
    session.refresh(review)
    return review


def criteria_of(session: Session, credential: Credential) -> list[RubricCriterion]:
    return list(session.exec(
        select(RubricCriterion).where(RubricCriterion.credential_id == credential.id)
        .order_by(RubricCriterion.position)
    ))


def all_met(session: Session, credential: Credential, comment: str = "Seen clearly."):
    return {c.id: (True, comment) for c in criteria_of(session, credential)}


def add_evidence(session: Session, submission: Submission, *, count: int = 3) -> list[EvidenceItem]:
    """Mixed text / link / photo rows, round robin over the credential's requirements."""
    requirements = list(session.exec(
        select(EvidenceRequirement)
        .where(EvidenceRequirement.credential_id == submission.credential_id)
        .order_by(EvidenceRequirement.position)
    ))
    by_kind = {r.kind: r for r in requirements}
    items = []
    for n in range(count):
        kind = ("text", "link", "photo")[n % 3]
        requirement = by_kind.get(kind, requirements[n % len(requirements)])
        item = EvidenceItem(
            submission_id=submission.id, requirement_id=requirement.id,
            client_uuid=new_uuid(), kind=kind,
            text=f"Reflection {n}: <b>students</b> explained their thinking." if kind == "text"
            else None,
            url=f"https://example.org/lesson/{n}" if kind == "link" else None,
            blob_key=f"blobs/{n}.jpg" if kind == "photo" else None,
            thumb_key=f"thumbs/{n}.jpg" if kind == "photo" else None,
            filename=f"photo-{n}.jpg" if kind == "photo" else None,
            mime="image/jpeg" if kind == "photo" else None,
            width=1600 if kind == "photo" else None, height=1200 if kind == "photo" else None,
        )
        items.append(item)
    session.add_all(items)
    session.commit()
    return items
