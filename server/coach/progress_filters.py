"""The coach's filters ("who needs a nudge?") as SQL conditions on a cohort member, so a
member's flag on the grid and the count it adds to can't disagree. "Stalled" comes from
coach/stalled.py (one definition for everyone who counts it); the idle ones are here.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, or_
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import select

from server.coach.stalled import LABEL as STALLED_LABEL
from server.coach.stalled import stalled_clause
from server.models import CohortMember, EvidenceItem, Submission, SubmissionStatus

NOT_YET_IDLE_AFTER = timedelta(days=7)
DRAFT_IDLE_AFTER = timedelta(days=7)

FILTERS = {
    "all": "Everyone",
    "stalled": STALLED_LABEL,
    "not_yet_idle": "“Not yet”, no resubmission in 7 days",
    "draft_idle": "Draft untouched for 7 days",
}


def flag_clauses(now: datetime) -> dict[str, ColumnElement[bool]]:
    """Each filter but "all" as a condition on a cohort member (CohortMember's columns)."""
    return {
        "stalled": stalled_clause(CohortMember.user_id, CohortMember.joined_at, now),
        "not_yet_idle": _idle_clause(SubmissionStatus.NOT_YET.value, now - NOT_YET_IDLE_AFTER),
        "draft_idle": _idle_clause(SubmissionStatus.DRAFT.value, now - DRAFT_IDLE_AFTER),
    }


_ATTEMPT = aliased(Submission, name="attempt")  # made once: aliased() costs per request
_OTHER = aliased(Submission, name="other_attempt")


def _idle_clause(status: str, cutoff: datetime) -> ColumnElement[bool]:
    """The member has a credential whose cell is `status` (the newest attempt not withdrawn,
    none awarded: see _cell) with no activity since `cutoff` (activity(), in SQL)."""
    attempt, other = _ATTEMPT, _OTHER
    same = and_(other.user_id == attempt.user_id, other.credential_id == attempt.credential_id)
    newer = exists(
        select(other.id).where(
            same,
            or_(
                other.status == SubmissionStatus.AWARDED.value,
                and_(
                    other.attempt > attempt.attempt,
                    other.status != SubmissionStatus.WITHDRAWN.value,
                ),
            ),
        )
    )
    moments = [attempt.created_at, attempt.submitted_at, attempt.decided_at]
    if status == SubmissionStatus.DRAFT.value:
        moments.append(attempt.updated_at)
    recent = or_(*(func.coalesce(m, attempt.created_at) >= cutoff for m in moments))
    recent_evidence = exists(
        select(EvidenceItem.id).where(
            EvidenceItem.submission_id == attempt.id, EvidenceItem.created_at >= cutoff
        )
    )
    return exists(
        select(attempt.id).where(
            attempt.user_id == CohortMember.user_id,
            attempt.status == status,
            ~newer,
            ~recent,
            ~recent_evidence,
        )
    ).self_group()
