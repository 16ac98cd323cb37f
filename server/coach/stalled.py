"""What "stalled" means, defined once: the coach's grid, its filter and counts, and the
admin's analytics all ask here.

A member is stalled when their last real activity is more than 14 days old. Real activity
is what the teacher did or received on an attempt that was not withdrawn: starting it,
editing the draft, adding evidence, submitting or resubmitting, and a decision. Joining a
cohort is not activity, so someone who joined yesterday after three weeks of silence is
stalled. Only a member with no activity at all is measured from the day they joined: a
newcomer gets 14 days to start before they count as stalled.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.sql.elements import ColumnElement

from server.models import EvidenceItem, Submission, SubmissionStatus

STALLED_AFTER = timedelta(days=14)
LABEL = "Stalled (no activity in 14 days)"
_WITHDRAWN = SubmissionStatus.WITHDRAWN.value
_DRAFT = SubmissionStatus.DRAFT.value


def latest(*moments: datetime | None) -> datetime | None:
    present = [m for m in moments if m is not None]
    return max(present) if present else None


def activity(submission: Submission, newest_evidence: datetime | None) -> datetime | None:
    """The last real activity on one attempt (None for a withdrawn one). A submitted
    attempt's updated_at moves when an assessor claims it, so only a draft's counts."""
    if submission.status == _WITHDRAWN:
        return None
    return latest(
        submission.created_at,
        submission.updated_at if submission.status == _DRAFT else None,
        submission.submitted_at,
        submission.decided_at,
        newest_evidence,
    )


def stalled_clause(user_id: Any, joined_at: Any, now: datetime) -> ColumnElement[bool]:
    """The definition, as a condition on a query over cohort members: `user_id` and
    `joined_at` are the member's columns (CohortMember.user_id, CohortMember.joined_at).
    The grid shows each member's last activity as activity() computes it, on the same
    moments."""
    cutoff = now - STALLED_AFTER
    mine = and_(Submission.user_id == user_id, Submission.status != _WITHDRAWN)
    recent_attempt = exists(
        select(Submission.id).where(
            mine,
            or_(
                Submission.created_at >= cutoff,
                and_(Submission.status == _DRAFT, Submission.updated_at >= cutoff),
                Submission.submitted_at >= cutoff,
                Submission.decided_at >= cutoff,
            ),
        )
    )
    recent_evidence = exists(
        select(EvidenceItem.id)
        .join(Submission, Submission.id == EvidenceItem.submission_id)
        .where(mine, EvidenceItem.created_at >= cutoff)
    )
    ever_active = exists(select(Submission.id).where(mine))
    return and_(
        ~recent_attempt, ~recent_evidence, or_(ever_active, joined_at < cutoff)
    ).self_group()
