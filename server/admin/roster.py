"""Roster import: the uploaded file held between preview and import, and what each row
does to a district's people (the preview, which is the dry run; roster_apply.py applies
it in one transaction). No Flask here.

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
from datetime import timedelta
from typing import NamedTuple

from sqlalchemy import delete, func
from sqlalchemy import select as columns  # any number of columns (sqlmodel's: up to 4)
from sqlmodel import Session, col, select

from server.admin.roster_csv import RosterRow, read_rows
from server.auth.devicelinks import token_hash
from server.errors import Expired, NotFound
from server.models import Cohort, CohortMember, Org, RosterUpload, User, utcnow

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


class Person(NamedTuple):
    """The columns of an existing account the plan compares (no full model per row)."""

    id: int
    org_id: int | None
    display_name: str
    school: str | None
    roles: str

    @property
    def role_set(self) -> set[str]:
        return {role for role in self.roles.split(",") if role}


@dataclass
class PlannedRow:
    row: RosterRow
    outcome: str
    changes: list[str] = field(default_factory=list)  # what will happen, in words
    person: Person | None = None  # the existing account
    invite: bool = False  # to the row's cohort

    @property
    def user_id(self) -> int | None:
        return self.person.id if self.person else None


@dataclass
class Plan:
    rows: list[PlannedRow]
    new_cohorts: list[str]  # names, as first written in the file

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(OUTCOMES, 0)
        for planned in self.rows:
            counts[planned.outcome] += 1
        return counts


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
    cohorts = cohorts_by_name(session, org)
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
            planned.append(PlannedRow(row, outcome, changes, user, invite))
    return Plan(planned, list(new_cohorts.values()))


def _new_words(row: RosterRow, new_cohort: bool) -> list[str]:
    words = [f"joins as {', '.join(row.roles)}"]
    if row.cohort:
        words.append(f"invited to “{row.cohort}”" + (" (a new cohort)" if new_cohort else ""))
    return words


def _changes(row: RosterRow, user: Person, invite: bool) -> list[str]:
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


def chunks(values: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


PERSON_COLUMNS = (User.email, User.id, User.org_id, User.display_name, User.school, User.roles)


def _people_by_email(session: Session, emails: list[str]) -> dict[str, Person]:
    """Accounts by lower-cased email. Emails are stored lower-cased (auth.service.clean_email),
    so the unique index finds them; the few stored otherwise are read in one more query."""
    wanted = sorted(set(emails))
    people: dict[str, Person] = {}
    for chunk in chunks(wanted):
        for email, *person in session.execute(
            columns(*PERSON_COLUMNS).where(col(User.email).in_(chunk))
        ):
            people[email] = Person(*person)
    mixed_case = columns(*PERSON_COLUMNS).where(User.email != func.lower(User.email))
    lookup = set(wanted)
    for email, *person in session.execute(mixed_case):
        if email.lower() in lookup:
            people.setdefault(email.lower(), Person(*person))
    return people


def cohorts_by_name(session: Session, org: Org) -> dict[str, int]:
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
    for chunk in chunks(user_ids):
        query = select(CohortMember).where(
            col(CohortMember.user_id).in_(chunk), col(CohortMember.cohort_id).in_(cohort_ids)
        )
        for member in session.exec(query):
            found[(member.cohort_id, member.user_id)] = member.status
    return found


def result_of(upload: RosterUpload) -> dict[str, int]:
    return json.loads(upload.result) if upload.result else {}
