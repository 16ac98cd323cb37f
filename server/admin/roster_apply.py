"""Applying a roster preview (roster.py) in one transaction: new people with their
sign-up links, updates, cohorts and invitations, the audit entry. Bulk statements only
(a few per import, never one per row). No Flask here."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from server.admin import audit
from server.admin.roster import (
    NEW,
    SIGNUP_LINK_DAYS,
    UPDATED,
    PlannedRow,
    cohorts_by_name,
    plan,
    rows_of,
)
from server.auth.devicelinks import token_hash
from server.auth.service import handle_base, new_member_visibility, new_webauthn_user_id
from server.coach.service import MY_COHORTS_URL
from server.errors import Conflict
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

APPLIED = "This file was imported already."
RACED = (
    "Someone joined with one of these email addresses while you were looking at the "
    "preview, so nothing was imported. Upload the file again to see the new preview."
)


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


def _create_cohorts(session: Session, org: Org, admin: User, names: list[str]) -> dict[str, int]:
    for name in names:
        session.add(Cohort(name=name, org_id=org.id, coach_id=admin.id))
    session.flush()
    return cohorts_by_name(session, org)


def _insert_people(
    session: Session, org: Org, planned: list[PlannedRow], expires: datetime
) -> tuple[dict[str, int], list[SignupLink]]:
    if not planned:
        return {}, []
    handles = _HandleMaker(session)
    now = utcnow()
    # The model's defaults once, not a model per row (that costs more than the INSERT).
    defaults = User(handle="", display_name="", created_at=now).model_dump(exclude={"id"})
    # New members start with the district's chosen leaderboard visibility.
    defaults["leaderboard_visibility"] = new_member_visibility(session=session, org_id=org.id)
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
    values = [
        {
            "id": p.person.id,
            "display_name": p.row.name,
            "school": p.row.school or p.person.school,
            "roles": ",".join(sorted(p.person.role_set | set(p.row.roles))),
        }
        for p in planned
        if p.person is not None
    ]
    if values:
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
