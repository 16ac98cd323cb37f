"""The one way an attempt changes status: a conditional UPDATE guarded on the status and
version we read. Of two racing requests (two clicks, a claim and a decision, an admin's
release and an assessor's claim) exactly one matches; the other gets False and says so."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import update
from sqlmodel import Session

from server.models import Submission


def advance(
    *, session: Session, submission: Submission, status_was: str | Iterable[str], **values: object
) -> bool:
    """Set `values` (and version + 1) if the attempt is still in `status_was` at the
    version we read; False when something else moved it first. The caller refreshes."""
    was = [status_was] if isinstance(status_was, str) else sorted(status_was)
    result = session.exec(
        update(Submission)
        .where(
            Submission.id == submission.id,
            Submission.status.in_(was),
            Submission.version == submission.version,
        )
        .values(version=Submission.version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)
