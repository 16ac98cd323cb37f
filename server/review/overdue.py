"""Past-target notices: once a waiting submission has waited longer than its district's
turnaround target (server/review/turnaround.py), `chalkmark review overdue` (run it from
cron, e.g. hourly) tells, once per submission:

- the lead assessors appointed for the submission's stack in the teacher's district
  (AssessorAppointment.is_lead, review/leads.py), active ones only, never the teacher;
- the district's admins instead, only when that stack has no active lead there.

Why not both: a lead is the person who watches the stack's work (they can take it
themselves or ask the assessor holding it), and the admin home already lists every
past-target item to its admins, with Release and Reassign beside each claim; a notice to
each admin for each late item of every stack would be noise they learn to ignore. Where
nobody leads the stack, the admins are the only ones who can act, so they are told (the
same rule as a double-blind disagreement's reconcile notice, leads.told_for_stack).
Teachers outside every district have no lead or admin to tell: no notice. The notice
names the credential and the wait, never the teacher (a district may review blind).

Exactly once: each notice is a row of ReviewOverdueNotice keyed by the submission; the
rows are inserted with ON CONFLICT DO NOTHING and only the submissions whose row this run
inserted are announced, so two runs (even at the same time) tell each person once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from server.admin import settings
from server.inserts import insert_new
from server.models import (
    AWAITING_REVIEW,
    Credential,
    Org,
    ReviewOverdueNotice,
    Submission,
    User,
    utcnow,
)
from server.notify import service as notify
from server.review.leads import told_for_stack
from server.review.turnaround import overdue_before, turnaround

OVERDUE_KIND = "review_overdue"


@dataclass(frozen=True)
class OverdueRun:
    submissions: int  # newly past the target (each announced once)
    notices: int  # notices sent, one per lead (or admin) per submission


def _claim(session: Session, rows: list[dict[str, Any]]) -> set[int]:
    """Insert the notice rows not there yet; the submission ids this call inserted."""
    keys = ("submission_id",)
    return {
        sid for (sid,) in insert_new(session, ReviewOverdueNotice, rows, keys=keys, returning=keys)
    }


def notify_overdue(*, session: Session, now: datetime | None = None) -> OverdueRun:
    """Tell each stack's leads (or, with none, the district's admins) about its
    submissions newly past the target (the caller commits: the notice rows and the
    notices share its transaction)."""
    now = now or utcnow()
    submissions = notices = 0
    for org in session.exec(select(Org).order_by(Org.id)).all():
        target_days = settings.review_target_days(session=session, org=org)
        already = select(ReviewOverdueNotice.submission_id)
        late = session.exec(
            select(Submission, Credential)
            .join(User, User.id == Submission.user_id)
            .join(Credential, Credential.id == Submission.credential_id)
            .where(User.org_id == org.id, Submission.status.in_(sorted(AWAITING_REVIEW)))
            .where(Submission.submitted_at < overdue_before(now, target_days))
            .where(Submission.id.not_in(already))
            .order_by(Submission.submitted_at, Submission.id)
        ).all()
        if not late:
            continue
        mine = _claim(session, [{"submission_id": s.id, "notified_at": now} for s, _ in late])
        for submission, credential in late:
            if submission.id not in mine:
                continue  # another run announced it
            submissions += 1
            waited = turnaround(submission.submitted_at, now, target_days)
            told = told_for_stack(
                session=session,
                org_id=org.id,
                stack_id=credential.stack_id,
                excluding=[submission.user_id],
            )
            for user_id in told:
                notify.send(
                    session=session,
                    user_id=user_id,
                    kind=OVERDUE_KIND,
                    title=f"Past the review target: {credential.title}"[:200],
                    body=f"A submission for {credential.title} is "
                    f"{waited.label if waited else 'late'} (target: decided within "
                    f"{target_days} days). Take it or nudge its assessor; an admin can "
                    "reassign or release its claim from the admin home.",
                    url=f"/review/{submission.id}",
                )
                notices += 1
    return OverdueRun(submissions=submissions, notices=notices)
