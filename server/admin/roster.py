"""Roster import: what each row of an uploaded roster does to a district's people (the
preview, which is the dry run), and applying it in one transaction. No Flask here.

Decisions (README "Roster import"):
- People are matched by email (lower-cased). Someone of another district, or with no
  district, is refused with one message that tells nothing about them.
- Roles are added, never removed (a file can't demote an admin); empty cells leave
  what is there (a school is never blanked by an empty cell).
- A cohort named in the file is created in the district when missing, with the
  importing admin as its coach (the roles page can hand it to a coach later).
- Cohort membership starts INVITED, as when a coach invites someone: nothing is shared
  with the coach until the person accepts; someone who left a cohort is not re-invited.
- Each new person gets a one-time link to add their first passkey (a DeviceLink, valid
  SIGNUP_LINK_DAYS); re-importing the same file changes nothing and makes no new links.
Everything is done with a few bulk queries, never one per row: 10,000 rows take seconds.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from server.admin import audit
from server.admin.roster_csv import RosterRow, read_rows
from server.auth.devicelinks import token_hash
from server.auth.service import handle_base, new_webauthn_user_id
from server.coach.service import MY_COHORTS_URL
from server.errors import Conflict, Expired, NotFound
from server.models import (
    Cohort,
    CohortMember,
    DeviceLink,
    MemberStatus,
    NoticeKind,
    Notification,
    Org,
    RosterUpload,
    User,
    utcnow,
)

PREVIEW_MINUTES = 60
SIGNUP_LINK_DAYS = 14
CHUNK = 900  # ids per IN (...): below every database's parameter limit
NEW, UNCHANGED, UPDATED, ERROR = "new", "unchanged", "updated", "error"
OUTCOMES = (NEW, UPDATED, UNCHANGED, ERROR)
NOT_YOURS = (
    "This email belongs to an account your district doesn't manage, so it can't be "
    "imported. The person can join your district's cohorts through an invitation link."
)
UNKNOWN = "We couldn't find that import. Upload the file again to see a new preview."
EXPIRED = "This preview has expired. Upload the file again to see a fresh one."
APPLIED = "This file was imported already."
RACED = (
    "Someone joined with one of these email addresses while you were looking at the "
    "preview, so nothing was imported. Upload the file again to see the new preview."
)


@dataclass
class PlannedRow:
    row: RosterRow
    outcome: str
    changes: list[str] = field(default_factory=list)  # what will happen, in words
    user_id: int | None = None
    invite: bool = False  # to the row's cohort


@dataclass
class Plan:
    rows: list[PlannedRow]
    new_cohorts: list[str]  # names, as first written in the file

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(OUTCOMES, 0)
        for planned in self.rows:
            counts[planned.outcome] += 1
        return counts


@dataclass(frozen=True)
class SignupLink:
    name: str
    email: str
    school: str
    token: str


@dataclass(frozen=True)
class Imported:
    counts: dict[str, int]
    links: list[SignupLink]
    links_expire: datetime


# --- the upload held between preview and import ------------------------------------------


def store_upload(
    *, session: Session, org: Org, admin: User, filename: str, data: bytes
) -> tuple[str, list[RosterRow]]:
    """Parses the file (InvalidInput/TooLarge when it can't be used) and keeps its rows
    under a fresh random token; returns the token. Expired uploads of the district go."""
    rows = read_rows(data)
    session.exec(
        delete(RosterUpload).where(
            RosterUpload.org_id == org.id, RosterUpload.expires_at <= utcnow()
        )
    )
    token = secrets.token_urlsafe(24)
    session.add(
        RosterUpload(
            token_hash=token_hash(token),
            org_id=org.id,
            actor_id=admin.id,
            filename=filename[:200],
            rows=json.dumps([row.as_json() for row in rows]),
            expires_at=utcnow() + timedelta(minutes=PREVIEW_MINUTES),
        )
    )
    session.commit()
    return token, rows


def load_upload(*, session: Session, org: Org, admin: User, token: str) -> RosterUpload:
    """The admin's own upload (another admin's, or another district's, is not found)."""
    query = select(RosterUpload).where(RosterUpload.token_hash == token_hash(token))
    upload = session.exec(query).first() if 0 < len(token) <= 100 else None
    if upload is None or upload.org_id != org.id or upload.actor_id != admin.id:
        raise NotFound(UNKNOWN)
    if upload.applied_at is None and upload.expires_at <= utcnow():
        raise Expired(EXPIRED)
    return upload


def rows_of(upload: RosterUpload) -> list[RosterRow]:
    return [RosterRow.from_json(data) for data in json.loads(upload.rows)]


# --- the plan: what each row does ---------------------------------------------------------


def plan(*, session: Session, org: Org, rows: Sequence[RosterRow]) -> Plan:
    valid = [row for row in rows if not row.error]
    people = _people_by_email(session, [row.email for row in valid])
    cohorts = _cohorts_by_name(session, org)
    ours = [u.id for u in people.values() if u.org_id == org.id]
    memberships = _memberships(session, list(cohorts.values()), ours)
    planned: list[PlannedRow] = []
    new_cohorts: dict[str, str] = {}
    for row in rows:
        if row.error:
            planned.append(PlannedRow(row, ERROR, [row.error]))
            continue
        cohort_key = row.cohort.lower()
        if row.cohort and cohort_key not in cohorts:
            new_cohorts.setdefault(cohort_key, row.cohort)
        user = people.get(row.email)
        if user is None:
            words = _new_words(row, cohort_key in new_cohorts)
            planned.append(PlannedRow(row, NEW, words, invite=bool(row.cohort)))
        elif user.org_id != org.id:
            planned.append(PlannedRow(row, ERROR, [NOT_YOURS]))
        else:
            invite = bool(row.cohort) and (cohorts.get(cohort_key), user.id) not in memberships
            changes = _changes(row, user, invite)
            outcome = UPDATED if changes else UNCHANGED
            planned.append(PlannedRow(row, outcome, changes, user.id, invite))
    return Plan(planned, list(new_cohorts.values()))


def _new_words(row: RosterRow, new_cohort: bool) -> list[str]:
    words = [f"joins as {', '.join(row.roles)}"]
    if row.cohort:
        words.append(f"invited to “{row.cohort}”" + (" (a new cohort)" if new_cohort else ""))
    return words


def _changes(row: RosterRow, user: User, invite: bool) -> list[str]:
    changes = []
    if row.name != user.display_name:
        changes.append(f"name “{user.display_name}” → “{row.name}”")
    if row.school and row.school != (user.school or ""):
        changes.append(f"school “{user.school or ''}” → “{row.school}”")
    added = sorted(set(row.roles) - user.role_set)
    if added:
        changes.append(f"adds the role {', '.join(added)}")
    if invite:
        changes.append(f"invited to “{row.cohort}”")
    return changes


def _chunks(values: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _people_by_email(session: Session, emails: list[str]) -> dict[str, User]:
    """Accounts by lower-cased email. Emails are stored lower-cased (auth.service.clean_email),
    so the unique index finds them; the few stored otherwise are read in one more query."""
    wanted = sorted(set(emails))
    people: dict[str, User] = {}
    for chunk in _chunks(wanted):
        for user in session.exec(select(User).where(col(User.email).in_(chunk))):
            people[user.email or ""] = user
    mixed_case = select(User).where(User.email != func.lower(User.email))
    lookup = set(wanted)
    for user in session.exec(mixed_case):
        email = (user.email or "").lower()
        if email in lookup:
            people.setdefault(email, user)
    return people


def _cohorts_by_name(session: Session, org: Org) -> dict[str, int]:
    """The district's cohorts by lower-cased name (the oldest of two with one name)."""
    found: dict[str, int] = {}
    for cohort_id, name in session.exec(
        select(Cohort.id, Cohort.name).where(Cohort.org_id == org.id).order_by(Cohort.id)
    ):
        found.setdefault(name.lower(), cohort_id)
    return found


def _memberships(
    session: Session, cohort_ids: list[int], user_ids: list[int]
) -> dict[tuple[int, int], str]:
    found: dict[tuple[int, int], str] = {}
    if not cohort_ids:
        return found
    for chunk in _chunks(user_ids):
        query = select(CohortMember).where(
            col(CohortMember.user_id).in_(chunk), col(CohortMember.cohort_id).in_(cohort_ids)
        )
        for member in session.exec(query):
            found[(member.cohort_id, member.user_id)] = member.status
    return found


# --- applying it --------------------------------------------------------------------------


def apply(*, session: Session, org: Org, admin: User, upload: RosterUpload) -> Imported:
    """Imports the rows without errors, in one transaction with its audit entry; rows with
    errors are skipped (they are in the preview). Refused when already applied."""
    now = utcnow()
    claimed = session.exec(
        update(RosterUpload)
        .where(col(RosterUpload.id) == upload.id, col(RosterUpload.applied_at).is_(None))
        .values(applied_at=now)
    )
    if claimed.rowcount != 1:
        raise Conflict(APPLIED)
    try:
        return _apply(session, org, admin, upload)
    except IntegrityError:  # a sign-up took an email or handle meanwhile: all or nothing
        session.rollback()
        raise Conflict(RACED) from None


def _apply(session: Session, org: Org, admin: User, upload: RosterUpload) -> Imported:
    the_plan = plan(session=session, org=org, rows=rows_of(upload))
    cohorts = _create_cohorts(session, org, admin, the_plan.new_cohorts)
    links_expire = utcnow() + timedelta(days=SIGNUP_LINK_DAYS)
    new = [p for p in the_plan.rows if p.outcome == NEW]
    new_ids, links = _insert_people(session, org, new, links_expire)
    _update_people(session, [p for p in the_plan.rows if p.outcome == UPDATED])
    _invite(session, the_plan.rows, cohorts, new_ids, admin)
    counts = the_plan.counts()
    audit.record(
        session=session,
        org=org,
        actor=admin,
        action="imported a roster",
        target=upload.filename or "a roster file",
        after=counts,
    )
    upload.result = json.dumps(counts)
    upload.rows = "[]"  # the people are in the district now; the file need not stay
    session.add(upload)
    session.commit()
    return Imported(counts, links, links_expire)


def result_of(upload: RosterUpload) -> dict[str, int]:
    return json.loads(upload.result) if upload.result else {}


def _create_cohorts(session: Session, org: Org, admin: User, names: list[str]) -> dict[str, int]:
    for name in names:
        session.add(Cohort(name=name, org_id=org.id, coach_id=admin.id))
    session.flush()
    return _cohorts_by_name(session, org)


def _insert_people(
    session: Session, org: Org, planned: list[PlannedRow], expires: datetime
) -> tuple[dict[str, int], list[SignupLink]]:
    if not planned:
        return {}, []
    handles = _HandleMaker(session)
    now = utcnow()
    # The model's defaults once, not a model per row (that costs more than the INSERT).
    defaults = User(handle="", display_name="", created_at=now).model_dump(exclude={"id"})
    values = [
        {
            **defaults,
            "handle": handles.next(p.row.name),
            "display_name": p.row.name,
            "email": p.row.email,
            "roles": ",".join(p.row.roles),
            "org_id": org.id,
            "school": p.row.school or None,
            "webauthn_user_id": new_webauthn_user_id(),
        }
        for p in planned
    ]
    inserted = session.execute(insert(User).returning(User.id, User.email), values)
    new_ids = {email: user_id for user_id, email in inserted}
    links, link_rows = [], []
    for p in planned:
        token = secrets.token_urlsafe(32)
        links.append(SignupLink(p.row.name, p.row.email, p.row.school, token))
        user_id = new_ids[p.row.email]
        link_rows.append(
            {
                "token_hash": token_hash(token),
                "user_id": user_id,
                "created_at": now,
                "expires_at": expires,
            }
        )
    session.execute(insert(DeviceLink), link_rows)
    return new_ids, links


def _update_people(session: Session, planned: list[PlannedRow]) -> None:
    if not planned:
        return
    users = {
        u.id: u
        for chunk in _chunks([p.user_id for p in planned])
        for u in session.exec(select(User).where(col(User.id).in_(chunk)))
    }
    values = []
    for p in planned:
        user = users[p.user_id or 0]
        values.append(
            {
                "id": user.id,
                "display_name": p.row.name,
                "school": p.row.school or user.school,
                "roles": ",".join(sorted(user.role_set | set(p.row.roles))),
            }
        )
    session.execute(update(User), values)


def _invite(
    session: Session,
    planned: list[PlannedRow],
    cohorts: dict[str, int],
    new_ids: dict[str, int],
    admin: User,
) -> None:
    """Invitations for every row naming a cohort the person isn't in (someone who left it
    stays out), each with the usual notice in the inbox."""
    now = utcnow()
    members, notices = [], []
    for p in planned:
        if not p.invite:
            continue
        user_id = new_ids.get(p.row.email, p.user_id)
        cohort_id = cohorts[p.row.cohort.lower()]
        member = {"cohort_id": cohort_id, "user_id": user_id, "joined_at": now}
        members.append({**member, "status": MemberStatus.INVITED.value})
        notices.append(
            {
                "user_id": user_id,
                "kind": NoticeKind.COHORT_INVITE.value,
                "title": f"{admin.display_name} invited you to the cohort “{p.row.cohort}”"[:200],
                "body": "Accept to let the coach follow your progress, or decline.",
                "url": MY_COHORTS_URL,
                "created_at": now,
            }
        )
    if members:
        session.execute(insert(CohortMember), members)
    if notices:
        session.execute(insert(Notification), notices)


class _HandleMaker:
    """Unique handles for many new people from one read of the handles in use."""

    def __init__(self, session: Session):
        self.taken = set(session.exec(select(User.handle)).all())
        self.next_number: dict[str, int] = {}

    def next(self, name: str) -> str:
        base = handle_base(name)
        candidate, number = base, self.next_number.get(base, 2)
        while candidate in self.taken:
            candidate = f"{base}-{number}"
            number += 1
        self.next_number[base] = number
        self.taken.add(candidate)
        return candidate
