"""Cohorts: who a coach follows. A coach sees only their own cohorts; admins see all.

A coach invites people of their own district (found by search or a pasted list of emails
or handles); nothing is shared until the person accepts (coach/invitations.py). Joining
through the cohort's invite link is itself acceptance, from any district.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import false, func, or_
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

from server.access import is_admin
from server.errors import InvalidInput, NotFound
from server.models import Cohort, CohortMember, MemberStatus, NoticeKind, User, utcnow
from server.notify import service as notify

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


MY_COHORTS_URL = "/coach/my-cohorts"  # where an invitation is answered
ACTIVE = MemberStatus.ACTIVE.value
INVITED = MemberStatus.INVITED.value
LEFT = MemberStatus.LEFT.value


@dataclass
class AddReport:
    """What a pasted list did. `invited` holds the entries as typed, whether or not they
    matched an account: the report must not tell the coach who has one."""

    invited: list[str] = field(default_factory=list)
    already: list[User] = field(default_factory=list)


def cohorts_for(*, session: Session, user: User) -> list[CohortSummary]:
    members = (
        select(CohortMember.cohort_id, func.count().label("n"))
        .where(CohortMember.status == ACTIVE)
        .group_by(CohortMember.cohort_id)
        .subquery()
    )
    query = (
        select(Cohort, func.coalesce(members.c.n, 0), User.display_name)
        .join(User, User.id == Cohort.coach_id)
        .outerjoin(members, members.c.cohort_id == Cohort.id)
        .order_by(Cohort.name, Cohort.id)
    )
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


def members(*, session: Session, cohort: Cohort, status: str = ACTIVE) -> list[User]:
    """The people who accepted (or, with status=INVITED, those yet to answer)."""
    return list(
        session.exec(
            select(User)
            .join(CohortMember, CohortMember.user_id == User.id)
            .where(CohortMember.cohort_id == cohort.id, CohortMember.status == status)
            .order_by(User.display_name, User.id)
        )
    )


def _same_district(query: SelectOfScalar[User], cohort: Cohort, by: User) -> SelectOfScalar[User]:
    """Only people of the inviter's own district; someone without a district (or acting
    on another district's cohort) finds nobody. Anyone else joins through the link."""
    if by.org_id is None or cohort.org_id not in (None, by.org_id):
        return query.where(false())
    return query.where(User.org_id == by.org_id)


def _statuses(session: Session, cohort: Cohort) -> dict[int, str]:
    return dict(
        session.exec(
            select(CohortMember.user_id, CohortMember.status).where(
                CohortMember.cohort_id == cohort.id
            )
        ).all()
    )


def search_people(*, session: Session, cohort: Cohort, by: User, query: str) -> list[User]:
    """People to invite: name, handle or email containing the text; members and people
    already invited left out."""
    text = (query or "").strip()
    if len(text) < 2:
        return []
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    found = session.exec(
        _same_district(
            select(User)
            .where(
                or_(
                    User.display_name.ilike(pattern, escape="\\"),
                    User.handle.ilike(pattern, escape="\\"),
                    User.email.ilike(pattern, escape="\\"),
                )
            )
            .where(
                User.id.not_in(
                    select(CohortMember.user_id).where(
                        CohortMember.cohort_id == cohort.id, CohortMember.status != LEFT
                    )
                )
            )
            .order_by(User.display_name)
            .limit(SEARCH_LIMIT),
            cohort,
            by,
        )
    )
    return list(found)


def invite_member(*, session: Session, cohort: Cohort, by: User, user_id: int) -> tuple[User, str]:
    """Invite one person found by search; returns them and their membership status now.

    Someone who declined or left stays so: no second notice (they can still use the link)."""
    user = session.exec(_same_district(select(User).where(User.id == user_id), cohort, by)).first()
    if user is None:
        raise NotFound("We couldn't find that person in your district.")
    member = session.get(CohortMember, (cohort.id, user.id))
    if member is None:
        _invite(session, cohort, by, user.id)
        return user, INVITED
    return user, member.status


def _invite(session: Session, cohort: Cohort, by: User, user_id: int) -> None:
    session.add(CohortMember(cohort_id=cohort.id, user_id=user_id, status=INVITED))
    notify.send(
        session=session,
        user_id=user_id,
        kind=NoticeKind.COHORT_INVITE,
        title=f"{by.display_name} invited you to the cohort “{cohort.name}”",
        body="Accept to let the coach follow your progress, or decline.",
        url=MY_COHORTS_URL,
    )
    session.flush()


def remove_member(*, session: Session, cohort: Cohort, user_id: int) -> None:
    """Remove a member or withdraw an invitation. A 'left' row stays: it is the person's
    answer, which the coach may not erase to invite them again."""
    member = session.get(CohortMember, (cohort.id, user_id))
    if member is None or member.status == LEFT:
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
            entries += [
                t.lstrip("@").lower()
                for t in tokens
                if HANDLE.match(t) and t.lower() not in HEADER_WORDS
            ]
    unique = list(dict.fromkeys(entries))
    if len(unique) > MAX_LIST_ENTRIES:
        raise InvalidInput(f"Paste at most {MAX_LIST_ENTRIES} people at a time.", field="people")
    return unique


def invite_from_list(*, session: Session, cohort: Cohort, by: User, text: str) -> AddReport:
    """Invite everyone on the list who has an account in the inviter's district. Unknown,
    newly invited, still invited and declined entries are all reported alike."""
    entries = parse_people_list(text)
    if not entries:
        raise InvalidInput("Paste at least one email address or handle.", field="people")
    found = _users_by_email_or_handle(session, cohort, by, entries)
    statuses = _statuses(session, cohort)
    report = AddReport()
    for entry in entries:
        user = found.get(entry)
        if user is not None and statuses.get(user.id) == ACTIVE:
            if user not in report.already:
                report.already.append(user)
            continue
        if user is not None and user.id not in statuses:
            _invite(session, cohort, by, user.id)
            statuses[user.id] = INVITED
        report.invited.append(entry)
    session.flush()
    return report


def _users_by_email_or_handle(
    session: Session, cohort: Cohort, by: User, entries: list[str]
) -> dict[str, User]:
    found: dict[str, User] = {}
    for start in range(0, len(entries), 500):
        chunk = entries[start : start + 500]
        wanted = set(chunk)
        for user in session.exec(
            _same_district(
                select(User).where(
                    or_(func.lower(User.email).in_(chunk), func.lower(User.handle).in_(chunk))
                ),
                cohort,
                by,
            )
        ):
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
    """Join through the invite link (that is consent, also to a pending invitation);
    False when already a member (caller commits)."""
    member = session.get(CohortMember, (cohort.id, user.id))
    if member is not None and member.status == ACTIVE:
        return False
    member = member or CohortMember(cohort_id=cohort.id, user_id=user.id)
    member.status, member.joined_at = ACTIVE, utcnow()
    session.add(member)
    session.flush()
    return True


def coach_name(*, session: Session, cohort: Cohort) -> str:
    coach = session.get(User, cohort.coach_id)
    return coach.display_name if coach else "your coach"
