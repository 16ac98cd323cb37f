"""Who may use the admin pages: an admin, for their own district only. No Flask here."""

from __future__ import annotations

from sqlmodel import Session

from server.access import is_admin
from server.errors import Forbidden
from server.models import Org, User

NOT_ADMIN = "Only a district admin can open this page."
NO_DISTRICT = "Your account isn't part of a district yet, so there is nothing to administer."


def admin_district(*, session: Session, user: User) -> Org:
    """The district `user` administers; Forbidden for anyone who is not its admin."""
    if not is_admin(user):
        raise Forbidden(NOT_ADMIN)
    org = session.get(Org, user.org_id) if user.org_id is not None else None
    if org is None:
        raise Forbidden(NO_DISTRICT)
    return org
