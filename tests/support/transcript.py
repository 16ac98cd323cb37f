"""Transcript test helpers: signed awards earned at a chosen moment, as the badges area
issues them (the real signing, with the test app's issuing settings)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from server.badges import service as badges
from server.badges.issuing import Issuing
from server.models import Award, Org, User, utcnow
from tests.support.factories import make_award, make_credential


def signed_award(
    session: Session,
    teacher: User,
    *,
    issuing: Issuing,
    title: str = "Credential",
    hours: float = 2.5,
    at: datetime | None = None,
    org: Org | None = None,
    revoked: bool = False,
) -> Award:
    """`teacher` earns a new credential at `at`, issued (signed) by `org` (default: their
    district); revoked afterwards when asked."""
    credential = make_credential(session, title=title, credit_hours=hours)
    award = make_award(session, teacher, credential)
    award.issued_at = at or utcnow()
    if org is not None:  # a credential earned while in another district
        teacher_org, teacher.org_id = teacher.org_id, org.id
    badges.issue(session=session, award=award, issuing=issuing)
    if org is not None:
        teacher.org_id = teacher_org
        session.add(teacher)
    if revoked:
        award.revoked_at, award.revocation_reason = utcnow(), "the evidence was not the teacher's."
    session.add(award)
    session.commit()
    return award
