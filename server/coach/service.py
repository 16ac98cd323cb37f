"""Cohorts: who a coach follows. A coach sees only their own cohorts; admins see all.

Members are added by search, by a pasted list (CSV or one per line) of emails or handles,
or join themselves through the cohort's invite link. When a cohort belongs to a district
(org), only people of that district (or of no district yet) can be found and added.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import func, or_
from sqlmodel import Session, select

from server.access import is_admin
from server.errors import InvalidInput, NotFound
from server.models import Cohort, CohortMember, User

MAX_NAME_CHARS = 120
MAX_LIST_ENTRIES = 2000
SEARCH_LIMIT = 10
EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
HANDLE = re.compile(r"^@?[A-Za-z0-9_.-]{2,40}$")
HEADER_WORDS = {"email", "e-mail", "handle", "name", "username", "user"}


@dataclass(frozen=True)
class CohortSummary:
    cohort: Cohort
    member_count: int
    coach_name: str


@dataclass
class AddReport:
    added: list[User] = field(default_factory=list)
    already: list[User] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)


def cohorts_for(*, session: Session, user: User) -> list[CohortSummary]:
    members = (select(CohortMember.cohort_id, func.count().label("n"))
               .group_by(CohortMember.cohort_id).subquery())
    query = (select(Cohort, func.coalesce(members.c.n, 0), User.display_name)
             .join(User, User.id == Cohort.coach_id)
             .outerjoin(members, members.c.cohort_id == Cohort.id)
             .order_by(Cohort.name, Cohort.id))
    if not is_admin(user):
        query = query.where(Cohort.coach_id == user.id)
    elif user.org_id is None:  # an admin runs their own district's cohorts only
        query = query.where(Cohort.org_id.is_(None))
    else:
        query = query.where(Cohort.org_id == user.org_id)
    return [CohortSummary(cohort, count, coach) for cohort, count, coach in session.exec(query)]


def create_cohort(*, session: Session, coach: User, name: str) -> Cohort:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Give the cohort a name, e.g. “Early Adopters”.", field="name")
    if len(name) > MAX_NAME_CHARS:
        raise InvalidInput(f"Keep the name under {MAX_NAME_CHARS} characters.", field="name")
    cohort = Cohort(name=name, coach_id=coach.id, org_id=coach.org_id)
    session.add(cohort)
    session.flush()
    return cohort


def cohort_for(*, session: Session, user: User, cohort_id: int) -> Cohort:
    """The cohort if this user may run it; anyone else's is 'not found' (no probing)."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None or not (cohort.coach_id == user.id or _admin_of(user, cohort)):
        raise NotFound("We couldn't find that cohort among yours.")
    return cohort


def _admin_of(user: User, cohort: Cohort) -> bool:
    return is_admin(user) and cohort.org_id == user.org_id


def members(*, session: Session, cohort: Cohort) -> list[User]:
    return list(session.exec(
        select(User).join(CohortMember, CohortMember.user_id == User.id)
        .where(CohortMember.cohort_id == cohort.id)
        .order_by(User.display_name, User.id)
    ))


def _same_org(query, cohort: Cohort):
    # People who signed up on their own have no district yet: they can be added too.
    if cohort.org_id is None:
        return query
    return query.where(or_(User.org_id == cohort.org_id, User.org_id.is_(None)))


def _member_ids(session: Session, cohort: Cohort) -> set[int]:
    return set(session.exec(
        select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id)).all())


def search_people(*, session: Session, cohort: Cohort, query: str) -> list[User]:
    """People to add: name, handle or email containing the text; members left out."""
    text = (query or "").strip()
    if len(text) < 2:
        return []
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    found = session.exec(_same_org(
        select(User).where(or_(User.display_name.ilike(pattern, escape="\\"),
                               User.handle.ilike(pattern, escape="\\"),
                               User.email.ilike(pattern, escape="\\")))
        .where(User.id.not_in(select(CohortMember.user_id)
                              .where(CohortMember.cohort_id == cohort.id)))
        .order_by(User.display_name).limit(SEARCH_LIMIT), cohort))
    return list(found)


def add_member(*, session: Session, cohort: Cohort, user_id: int) -> User:
    user = session.exec(_same_org(select(User).where(User.id == user_id), cohort)).first()
    if user is None:
        raise NotFound("We couldn't find that person.")
    if session.get(CohortMember, (cohort.id, user.id)) is None:
        session.add(CohortMember(cohort_id=cohort.id, user_id=user.id))
        session.flush()
    return user


def remove_member(*, session: Session, cohort: Cohort, user_id: int) -> None:
    member = session.get(CohortMember, (cohort.id, user_id))
    if member is None:
        raise NotFound("That person isn't in this cohort.")
    session.delete(member)


def parse_people_list(text: str) -> list[str]:
    """Emails and handles from a pasted list: one per line, or CSV rows. When a row holds
    an email, only its emails count (the other cells are names, not handles)."""
    entries: list[str] = []
    for line in (text or "").splitlines():
        tokens = [t.strip().strip("\"'<>") for t in re.split(r"[,;\s\t]+", line)]
        tokens = [t for t in tokens if t]
        emails = [t.lower() for t in tokens if EMAIL.match(t)]
        if emails:
            entries += emails
        else:
            entries += [t.lstrip("@").lower() for t in tokens
                        if HANDLE.match(t) and t.lower() not in HEADER_WORDS]
    unique = list(dict.fromkeys(entries))
    if len(unique) > MAX_LIST_ENTRIES:
        raise InvalidInput(f"Paste at most {MAX_LIST_ENTRIES} people at a time.", field="people")
    return unique


def add_from_list(*, session: Session, cohort: Cohort, text: str) -> AddReport:
    entries = parse_people_list(text)
    if not entries:
        raise InvalidInput("Paste at least one email address or handle.", field="people")
    found = _users_by_email_or_handle(session, cohort, entries)
    already_in = _member_ids(session, cohort)
    report = AddReport()
    seen: set[int] = set()
    for entry in entries:
        user = found.get(entry)
        if user is None:
            report.not_found.append(entry)
        elif user.id in seen:
            continue
        elif user.id in already_in:
            report.already.append(user)
        else:
            session.add(CohortMember(cohort_id=cohort.id, user_id=user.id))
            report.added.append(user)
        if user is not None:
            seen.add(user.id)
    session.flush()
    return report


def _users_by_email_or_handle(session: Session, cohort: Cohort,
                              entries: list[str]) -> dict[str, User]:
    found: dict[str, User] = {}
    for start in range(0, len(entries), 500):
        chunk = entries[start:start + 500]
        wanted = set(chunk)
        for user in session.exec(_same_org(
                select(User).where(or_(func.lower(User.email).in_(chunk),
                                       func.lower(User.handle).in_(chunk))), cohort)):
            for key in (user.email, user.handle):
                if key and key.lower() in wanted:
                    found[key.lower()] = user
    return found


def cohort_by_invite(*, session: Session, code: str) -> Cohort:
    cohort = session.exec(select(Cohort).where(Cohort.invite_code == code)).first()
    if cohort is None:
        raise NotFound("This invite link doesn't work. Ask your coach for a new one.")
    return cohort


def join(*, session: Session, cohort: Cohort, user: User) -> bool:
    """Join through the invite link; False when already a member (caller commits)."""
    if session.get(CohortMember, (cohort.id, user.id)) is not None:
        return False
    session.add(CohortMember(cohort_id=cohort.id, user_id=user.id))
    session.flush()
    return True


def coach_name(*, session: Session, cohort: Cohort) -> str:
    coach = session.get(User, cohort.coach_id)
    return coach.display_name if coach else "your coach"
