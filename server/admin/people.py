"""The district's people for its admin: list and search, switch an account off and on,
and a new one-time device link for someone who lost every passkey. No Flask here.

Switching off reuses auth.service.deactivate_user (what `chalkmark deactivate-user` runs):
no sign-in, every session ends; awards, submissions and points stay. Every action is in
the audit log, committed with the change.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, func, or_
from sqlmodel import Session, select

from server.admin import audit
from server.auth import devicelinks
from server.auth import service as auth_service
from server.auth.sessions import SessionStore
from server.errors import InvalidInput, NotFound
from server.models import Org, Passkey, User

PAGE_SIZE = 50
MAX_QUERY = 100
NOT_FOUND = "We couldn't find that person in your district."
DEVICE_LINK_HOURS = 72


@dataclass(frozen=True)
class PersonRow:
    user: User
    has_passkey: bool


@dataclass(frozen=True)
class PeoplePage:
    rows: list[PersonRow]
    total: int
    page: int
    pages: int
    query: str


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def people_page(*, session: Session, org: Org, query: str = "", page: int = 1) -> PeoplePage:
    """The district's people by name, PAGE_SIZE a page; `query` matches name, email,
    handle or school (any case)."""
    query = " ".join(query.split())[:MAX_QUERY]
    where = [User.org_id == org.id]
    if query:
        pattern = _like(query)
        where.append(
            or_(
                *(
                    func.lower(column).like(pattern, escape="\\")
                    for column in (User.display_name, User.email, User.handle, User.school)
                )
            )
        )
    total = session.exec(select(func.count()).select_from(User).where(*where)).one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    has_passkey = exists().where(Passkey.user_id == User.id)
    rows = session.exec(
        select(User, has_passkey)
        .where(*where)
        .order_by(func.lower(User.display_name), User.id)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return PeoplePage(
        [PersonRow(user, bool(passkey)) for user, passkey in rows], total, page, pages, query
    )


def person_of(*, session: Session, org: Org, user_id: int) -> User:
    """Someone of the admin's district; anyone else is not found (ids tell nothing)."""
    user = session.get(User, user_id)
    if user is None or user.org_id != org.id:
        raise NotFound(NOT_FOUND)
    return user


def deactivate(
    *, session: Session, org: Org, admin: User, person: User, sessions: SessionStore
) -> User:
    if person.id == admin.id:
        raise InvalidInput(
            "You can't switch off your own account: another admin of your district can."
        )
    if person.deactivated_at is not None:
        raise InvalidInput(f"{person.display_name}'s account is switched off already.")
    audit.record(session=session, org=org, actor=admin, action="deactivated", target=_who(person))
    return auth_service.deactivate_user(session=session, user=person, sessions=sessions)


def reactivate(*, session: Session, org: Org, admin: User, person: User) -> User:
    if person.deactivated_at is None:
        raise InvalidInput(f"{person.display_name}'s account is switched on already.")
    audit.record(session=session, org=org, actor=admin, action="reactivated", target=_who(person))
    person.deactivated_at = None
    session.add(person)
    session.commit()
    return person


def new_device_link(*, session: Session, org: Org, admin: User, person: User) -> str:
    """A one-time link (raw token, shown once) that adds a passkey to `person`'s account:
    for a teacher who lost every passkey and recovery code. Logged."""
    if person.deactivated_at is not None:
        raise InvalidInput(f"{person.display_name}'s account is switched off: switch it on first.")
    audit.record(
        session=session,
        org=org,
        actor=admin,
        action="made a new device link for",
        target=_who(person),
        after={"valid_hours": DEVICE_LINK_HOURS},
    )
    return devicelinks.create_device_link(  # commits the audit entry with the link
        session=session, user=person, ttl_seconds=DEVICE_LINK_HOURS * 3600
    )


def _who(person: User) -> str:
    return f"{person.display_name} (@{person.handle})"
