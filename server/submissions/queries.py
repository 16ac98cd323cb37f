"""Read side of submissions: attempts, their evidence, what is still missing, feedback."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from server.catalog.service import requirements_for
from server.labels import kind_noun
from server.models import (
    DECIDED,
    Appeal,
    Credential,
    CriterionScore,
    EvidenceItem,
    EvidenceRequirement,
    Review,
    ReviewKind,
    Stack,
    Submission,
    SubmissionStatus,
)


def latest_attempt(*, session: Session, user_id: int, credential_id: int) -> Submission | None:
    return session.exec(
        select(Submission)
        .where(Submission.user_id == user_id, Submission.credential_id == credential_id)
        .order_by(col(Submission.attempt).desc())
    ).first()


def attempts_for(*, session: Session, user_id: int, credential_id: int) -> list[Submission]:
    return list(
        session.exec(
            select(Submission)
            .where(Submission.user_id == user_id, Submission.credential_id == credential_id)
            .order_by(col(Submission.attempt).desc())
        ).all()
    )


def items_for(*, session: Session, submission_id: int) -> list[EvidenceItem]:
    return list(
        session.exec(
            select(EvidenceItem)
            .where(EvidenceItem.submission_id == submission_id)
            .order_by(EvidenceItem.created_at, EvidenceItem.id)
        ).all()
    )


def items_by_requirement(*, session: Session, submission_id: int) -> dict[int, list[Any]]:
    grouped: dict[int, list[EvidenceItem]] = {}
    for item in items_for(session=session, submission_id=submission_id):
        grouped.setdefault(item.requirement_id, []).append(item)
    return grouped


@dataclass
class Missing:
    requirement: EvidenceRequirement
    number: int  # the requirement's place in the list, from 1
    needed: int

    @property
    def message(self) -> str:
        return (
            f"part {self.number} needs {self.needed} more "
            f"{kind_noun(self.requirement.kind, self.needed)}"
        )


def missing_evidence(*, session: Session, submission: Submission) -> list[Missing]:
    grouped = items_by_requirement(session=session, submission_id=submission.id)
    missing = []
    requirements = requirements_for(
        session=session,
        credential_id=submission.credential_id,
        version=submission.credential_version,
    )
    for number, requirement in enumerate(requirements, start=1):
        have = len(grouped.get(requirement.id, []))
        if have < requirement.min_count:
            missing.append(Missing(requirement, number, requirement.min_count - have))
    return missing


@dataclass
class Feedback:
    """The assessor's decision on one attempt: overall feedback and each criterion."""

    submission: Submission
    review: Review
    scores: dict[int, CriterionScore] = field(default_factory=dict)


def decided_feedback(*, session: Session, submission: Submission) -> Feedback | None:
    review = session.exec(
        select(Review)
        .where(Review.submission_id == submission.id, col(Review.decision).is_not(None))
        .order_by(col(Review.decided_at).desc())
    ).first()
    if review is None:
        return None
    if review.kind != ReviewKind.SINGLE.value:
        return _pair_feedback(session, submission)
    scores = session.exec(select(CriterionScore).where(CriterionScore.review_id == review.id))
    return Feedback(submission, review, {s.criterion_id: s for s in scores})


def _pair_feedback(session: Session, submission: Submission) -> Feedback | None:
    """A double-blind attempt shows one merged decision, and nothing at all while the
    pair (or the lead) is still at work: a blind score set is not a decision."""
    from server.review import merged  # review reads submissions; read its merge lazily

    appealed = session.exec(
        select(Appeal.id).where(Appeal.submission_id == submission.id, Appeal.outcome.is_(None))
    ).first()
    if submission.status not in DECIDED and appealed is None:
        return None
    found = merged.merged_decision(session=session, submission_id=submission.id)
    return Feedback(submission, *found) if found else None


def feedback_to_act_on(*, session: Session, submission: Submission) -> Feedback | None:
    """For a draft after "not yet": the previous attempt's feedback; for a decided
    attempt: its own."""
    if submission.status != SubmissionStatus.DRAFT.value:
        return decided_feedback(session=session, submission=submission)
    previous = previous_not_yet(session=session, submission=submission)
    return decided_feedback(session=session, submission=previous) if previous else None


def previous_not_yet(*, session: Session, submission: Submission) -> Submission | None:
    """The attempt before this one, when it came back "not yet" (what this one answers)."""
    return session.exec(
        select(Submission).where(
            Submission.user_id == submission.user_id,
            Submission.credential_id == submission.credential_id,
            Submission.attempt == submission.attempt - 1,
            Submission.status == SubmissionStatus.NOT_YET.value,
        )
    ).first()


@dataclass
class CredentialAttempts:
    credential: Credential
    stack: Stack
    attempts: list[Submission]


def my_credentials(*, session: Session, user_id: int) -> list[CredentialAttempts]:
    """Every attempt of the person, grouped by credential, most recently active first."""
    rows = session.exec(
        select(Submission, Credential, Stack)
        .join(Credential, Credential.id == Submission.credential_id)
        .join(Stack, Stack.id == Credential.stack_id)
        .where(Submission.user_id == user_id)
        .order_by(col(Submission.updated_at).desc(), col(Submission.attempt).desc())
    ).all()
    groups: dict[int, CredentialAttempts] = {}
    for submission, credential, stack in rows:
        group = groups.setdefault(credential.id, CredentialAttempts(credential, stack, []))
        group.attempts.append(submission)
    for group in groups.values():
        group.attempts.sort(key=lambda s: s.attempt, reverse=True)
    return list(groups.values())


# A teacher's standing at a credential, as the stack page shows it beside each one.
EARNED, IN_REVIEW, NOT_YET, DRAFT, NOT_STARTED = (
    "earned",
    "in_review",
    "not_yet",
    "draft",
    "not_started",
)
_STANDING_OF_STATUS = {
    SubmissionStatus.DRAFT.value: DRAFT,
    SubmissionStatus.SUBMITTED.value: IN_REVIEW,
    SubmissionStatus.IN_REVIEW.value: IN_REVIEW,
    SubmissionStatus.NOT_YET.value: NOT_YET,
    SubmissionStatus.AWARDED.value: EARNED,
}


def standing_by_credential(
    *, session: Session, user_id: int, credential_ids: list[int]
) -> dict[int, str]:
    """One query: earned when any attempt was awarded, else the newest attempt's state;
    a credential never started is absent (NOT_STARTED)."""
    if not credential_ids:
        return {}
    rows = session.exec(
        select(Submission.credential_id, Submission.status)
        .where(
            Submission.user_id == user_id,
            col(Submission.credential_id).in_(credential_ids),
            Submission.status != SubmissionStatus.WITHDRAWN.value,
        )
        .order_by(col(Submission.attempt))
    ).all()
    standing: dict[int, str] = {}
    for credential_id, status in rows:
        if standing.get(credential_id) != EARNED:
            standing[credential_id] = _STANDING_OF_STATUS.get(status, NOT_STARTED)
    return standing
