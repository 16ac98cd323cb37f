"""Scoring modes: one rule for how an attempt is scored.

A credential's own choice wins; else the teacher's district's setting; else a single
assessor. An attempt that already has blind reviews stays double blind whatever the
settings say since (changing a setting never strands a half-scored pair), and a second
opinion after an appeal is always one assessor's (appeals.py).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, func, or_
from sqlmodel import Session, select

from server.models import (
    Appeal,
    Credential,
    DistrictSettings,
    Review,
    ReviewKind,
    ScoringMode,
    Submission,
    User,
)

MODE_LABELS = {
    ScoringMode.SINGLE.value: "Single assessor",
    ScoringMode.DOUBLE_BLIND.value: "Double blind (two assessors, a lead reconciles)",
}


STATEMENTS = {
    ReviewKind.SINGLE.value: "Scored by a single assessor against the public rubric.",
    ReviewKind.BLIND.value: (
        "Scored double blind: two independent assessors agreed on every rubric criterion."
    ),
    ReviewKind.LEAD.value: (
        "Scored double blind by two independent assessors; a lead assessor reconciled "
        "their scores and decided."
    ),
}


def scoring_statement(*, session: Session, submission_id: int) -> str:
    """How the decided attempt was scored, in words for its Open Badges credential."""
    deciding = session.exec(
        select(Review.kind)
        .where(Review.submission_id == submission_id, Review.decision.is_not(None))
        .order_by(Review.decided_at.desc(), Review.id.desc())
    ).first()
    return STATEMENTS.get(deciding or ReviewKind.SINGLE.value, STATEMENTS[ReviewKind.SINGLE.value])


def parse_mode(value: str | None) -> ScoringMode | None:
    """A stored or submitted mode, or None when it names none."""
    try:
        return ScoringMode(value) if value else None
    except ValueError:
        return None


def district_mode(*, session: Session, org_id: int | None) -> ScoringMode:
    row = session.get(DistrictSettings, org_id) if org_id is not None else None
    return parse_mode(row.scoring_mode if row else None) or ScoringMode.SINGLE


def credential_mode(*, session: Session, credential: Credential, org_id: int | None) -> ScoringMode:
    """The credential's override, else the district's mode, else single."""
    return parse_mode(credential.scoring_mode) or district_mode(session=session, org_id=org_id)


def has_blind_reviews(*, session: Session, submission_id: int) -> bool:
    found = session.exec(
        select(Review.id).where(
            Review.submission_id == submission_id, Review.kind == ReviewKind.BLIND.value
        )
    ).first()
    return found is not None


def attempt_mode(*, session: Session, submission: Submission) -> ScoringMode:
    """How this attempt is scored (see the module's docstring)."""
    from server.review import appeals  # appeals imports guards, which imports us

    if appeals.open_appeal(session=session, submission_id=submission.id) is not None:
        return ScoringMode.SINGLE
    if has_blind_reviews(session=session, submission_id=submission.id):
        return ScoringMode.DOUBLE_BLIND
    credential = session.get_one(Credential, submission.credential_id)
    teacher = session.get_one(User, submission.user_id)
    return credential_mode(session=session, credential=credential, org_id=teacher.org_id)


def double_blind_clause(teacher: type[User]) -> ColumnElement[bool]:
    """SQL twin of attempt_mode(...) == DOUBLE_BLIND for a query over Submission joined
    with Credential and the teacher (`teacher`)."""
    district = (
        select(DistrictSettings.scoring_mode)
        .where(DistrictSettings.org_id == teacher.org_id)
        .scalar_subquery()
    )
    chosen = func.coalesce(Credential.scoring_mode, district, ScoringMode.SINGLE.value)
    blind_started = exists(
        select(Review.id).where(
            Review.submission_id == Submission.id, Review.kind == ReviewKind.BLIND.value
        )
    )
    appealed = exists(
        select(Appeal.id).where(Appeal.submission_id == Submission.id, Appeal.outcome.is_(None))
    )
    return and_(~appealed, or_(blind_started, chosen == ScoringMode.DOUBLE_BLIND.value))
