"""Revoking an award: an admin of the issuing district, with a reason. The status list
then carries the revoked bit, OB 2.0 answers 410, and the points come back off the ledger
in the same transaction (the caller commits)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session

from server.badges import stacks
from server.badges.service import award_by_uuid
from server.errors import Conflict, Forbidden, InvalidInput
from server.game import service as game
from server.models import Award, Credential, NoticeKind, User, utcnow
from server.notify import service as notify

REASON_MIN, REASON_MAX = 5, 500


def check_may_revoke(*, admin: User, award: Award) -> None:
    if not admin.has_role("admin") or admin.org_id != award.org_id:
        raise Forbidden("Only an admin of the district that issued this badge may revoke it.")


def revocable_award(*, session: Session, admin: User, uuid: str) -> Award:
    award = award_by_uuid(session=session, uuid=uuid)
    check_may_revoke(admin=admin, award=award)
    return award


def revoke(
    *, session: Session, admin: User, uuid: str, reason: str, now: datetime | None = None
) -> Award:
    award = revocable_award(session=session, admin=admin, uuid=uuid)
    reason = (reason or "").strip()
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise InvalidInput(
            f"Give a reason between {REASON_MIN} and {REASON_MAX} characters: "
            "it is shown to anyone who checks the badge.",
            field="reason",
        )
    now = now or utcnow()
    # One conditional UPDATE: two admins revoking at once revoke (and take points) once.
    won = (
        session.exec(
            update(Award)
            .where(Award.id == award.id, Award.revoked_at.is_(None))
            .values(revoked_at=now, revocation_reason=reason, revoked_by=admin.id)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )
    if not won:
        raise Conflict("This badge was already revoked.")
    session.refresh(award)
    game.on_award_revoked(session=session, award=award)
    stacks.revoke_with_member(session=session, award=award, now=now)
    title = session.get_one(Credential, award.credential_id).title
    notify.send(
        session=session,
        user_id=award.user_id,
        kind=NoticeKind.AWARD_REVOKED,
        title=f"Your badge {title} was revoked"[:200],
        body=reason,
        url=f"/badges/{award.uuid}",
    )
    return award
