"""Past-target notices: once a waiting submission has waited longer than its district's
turnaround target (server/review/turnaround.py), the district's admins are told, once per
submission, by `chalkmark review overdue` (run it from cron, e.g. hourly).

Chalkmark has no "lead assessor" role yet, so the district's admins are the people told;
they can reassign work or release a lapsed claim from the admin home. Teachers outside
every district have no admin, so their submissions get no notice. The notice names the
credential and the wait, never the teacher (a district may review blind).

Exactly once: each notice is a row of ReviewOverdueNotice keyed by the submission; the
rows are inserted with ON CONFLICT DO NOTHING and only the submissions whose row this run
inserted are announced, so two runs (even at the same time) tell each admin once.
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
    Role,
    Submission,
    User,
    utcnow,
)
from server.notify import service as notify
from server.review.turnaround import overdue_before, turnaround

OVERDUE_KIND = "review_overdue"


@dataclass(frozen=True)
class OverdueRun:
    submissions: int  # newly past the target (each announced once)
    notices: int  # notices sent, one per admin per submission


def _claim(session: Session, rows: list[dict[str, Any]]) -> set[int]:
    """Insert the notice rows not there yet; the submission ids this call inserted."""
    keys = ("submission_id",)
    return {
        sid for (sid,) in insert_new(session, ReviewOverdueNotice, rows, keys=keys, returning=keys)
    }


def notify_overdue(*, session: Session, now: datetime | None = None) -> OverdueRun:
    """Tell each district's admins about its submissions newly past the target (the
    caller commits: the notice rows and the notices share its transaction)."""
    now = now or utcnow()
    submissions = notices = 0
    for org in session.exec(select(Org).order_by(Org.id)).all():
        target_days = settings.review_target_days(session=session, org=org)
        already = select(ReviewOverdueNotice.submission_id)
        late = session.exec(
            select(Submission, Credential.title)
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
        admins = session.exec(
            select(User.id).where(
                User.org_id == org.id,
                User.roles.contains(Role.ADMIN.value),
                User.deactivated_at.is_(None),
            )
        ).all()
        for submission, title in late:
            if submission.id not in mine:
                continue  # another run announced it
            submissions += 1
            waited = turnaround(submission.submitted_at, now, target_days)
            for admin_id in admins:
                notify.send(
                    session=session,
                    user_id=admin_id,
                    kind=OVERDUE_KIND,
                    title=f"Past the review target: {title}"[:200],
                    body=f"A submission for {title} is {waited.label if waited else 'late'} "
                    f"(target: decided within {target_days} days). Reassign it or release "
                    "a lapsed claim from the admin home.",
                    url=f"/review/{submission.id}",
                )
                notices += 1
    return OverdueRun(submissions=submissions, notices=notices)
