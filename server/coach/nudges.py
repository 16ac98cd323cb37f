"""Nudges: a coach's short message to one or many cohort members, as an in-app notice
and a push. Two limits protect the people nudged:

- at most one nudge per member per day: the member's own calendar day on which it
  arrives (Nudge.day), because the limit protects the person and their day is the one
  they live (a UTC day would let two nudges land in one local morning). A unique key on
  (member, day) holds it under concurrency: inserts skip on conflict, and a skipped
  member is reported "already nudged today";
- never in the member's quiet hours (their district's, set on /admin/settings; else
  21:00–07:00), in their time zone: such a nudge is delayed to the end of the quiet hours
  their time, not dropped (Nudge.deliver_after), and a job delivers it
  (nudge_delivery.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from server import quiet_hours
from server.coach.nudge_delivery import schedule
from server.errors import InvalidInput, NotFound
from server.game.weeks import local_date  # a person's own calendar
from server.inserts import insert_new
from server.models import (
    Cohort,
    CohortMember,
    MemberStatus,
    Nudge,
    User,
    utcnow,
)
from server.timezones import in_zone

MAX_MESSAGE_CHARS = 1000
INSERT_CHUNK = 500  # rows per INSERT (SQLite caps the bound parameters of a statement)

log = logging.getLogger(__name__)

FIT = "fit"  # each person gets the template that fits where they are
TEMPLATES = {  # key: (label, text); the first four match progress_grid.MemberRow.nudge_template
    "start": (
        "Start one",
        "Hi {first_name}, you have no micro-credential on the go right now. Pick one "
        "from a stack that matters to your class and start a draft: ten minutes is "
        "enough to add the first piece of evidence.",
    ),
    "draft": (
        "Continue your draft",
        "Hi {first_name}, your draft is waiting for you. Add the evidence that's "
        "missing and submit when it's ready: you're closer than you think.",
    ),
    "not_yet": (
        "Answer the feedback",
        "Hi {first_name}, “not yet” is part of the process: most people earn it on "
        "the next try. Read the assessor's notes beside each requirement, change one "
        "thing, and resubmit. I'm happy to look at it with you.",
    ),
    "waiting": (
        "Hang in there",
        "Hi {first_name}, your submission is with an assessor: nothing to do until "
        "they decide. Thank you for sending it in.",
    ),
    "custom": ("Write my own", ""),
}
FIT_LABEL = "The one that fits each person (recommended)"


@dataclass
class NudgeReport:
    sent: list[str] = field(default_factory=list)
    delayed: list[tuple[str, str]] = field(default_factory=list)  # name, local time
    already: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.sent) + len(self.delayed) + len(self.already)


def template_text(name: str) -> str:
    return TEMPLATES.get(name, TEMPLATES["custom"])[1]


def fitted_messages(fits: dict[int, str]) -> dict[int, str]:
    """{member id: message} from {member id: the template that fits them}."""
    return {user_id: template_text(name) for user_id, name in fits.items()}


def personalise(message: str, user: User) -> str:
    first_name = (user.display_name or user.handle).split()[0]
    return message.replace("{first_name}", first_name)


def deliver_after(
    now: datetime, timezone: str | None, quiet: quiet_hours.QuietHours = quiet_hours.DEFAULT
) -> datetime:
    """`now`, or the end of the member's quiet hours (their time) when `now` is in them."""
    return quiet_hours.until(now, timezone, quiet)


def quiet_hours_for(session: Session, org_id: int | None) -> quiet_hours.QuietHours:
    """The member's district's quiet hours (/admin/settings), else the defaults."""
    return quiet_hours.of_district(session, org_id) or quiet_hours.DEFAULT


def nudge_members(
    *,
    session: Session,
    coach: User,
    cohort: Cohort,
    member_ids: list[int],
    message: str = "",
    messages: dict[int, str] | None = None,
    now: datetime | None = None,
) -> NudgeReport:
    """Create the nudges and schedule their delivery after the caller commits. One
    `message` for everyone, or `messages` per member (fitted_messages)."""
    now = now or utcnow()
    if messages is None:
        _check_message(message)
    members = _members(session, cohort, member_ids)
    if not members:
        raise InvalidInput("Choose at least one member to nudge.", field="members")
    quiet = {org_id: quiet_hours_for(session, org_id) for org_id in {u.org_id for u in members}}
    texts = {u.id: message if messages is None else messages.get(u.id, "") for u in members}
    for text in texts.values():
        _check_message(text)
    rows = [_row(coach, user, texts[user.id].strip(), now, quiet[user.org_id]) for user in members]
    created = _insert_new(session, rows)  # {user_id: nudge id}, one per member per day
    report = NudgeReport()
    for user, row in zip(members, rows, strict=True):
        arrives = row["deliver_after"]
        if user.id not in created:
            report.already.append(user.display_name)
        elif arrives > now:
            local = in_zone(arrives, user.timezone)
            report.delayed.append((user.display_name, local.strftime("%H:%M %Z")))
        else:
            report.sent.append(user.display_name)
    schedule(
        session=session,
        due=[(created[r["user_id"]], r["deliver_after"]) for r in rows if r["user_id"] in created],
        now=now,
    )
    return report


def _check_message(message: str) -> None:
    message = (message or "").strip()
    if not message:
        raise InvalidInput("Write a message for the nudge.", field="message")
    if len(message) > MAX_MESSAGE_CHARS:
        raise InvalidInput(
            f"Keep the message under {MAX_MESSAGE_CHARS} characters.", field="message"
        )


def history(*, session: Session, cohort: Cohort, member_id: int) -> list[Nudge]:
    """The nudges this cohort's coach sent one of its members, newest first. Only an
    active member's: who left is no longer the coach's to follow."""
    active = session.exec(
        select(CohortMember.user_id).where(
            CohortMember.cohort_id == cohort.id,
            CohortMember.user_id == member_id,
            CohortMember.status == MemberStatus.ACTIVE.value,
        )
    ).first()
    if active is None:
        raise NotFound("We couldn't find that person among this cohort's members.")
    return list(
        session.exec(
            select(Nudge)
            .where(Nudge.user_id == member_id, Nudge.coach_id == cohort.coach_id)
            .order_by(col(Nudge.created_at).desc(), col(Nudge.id).desc())
        )
    )


def _row(
    coach: User, user: User, message: str, now: datetime, quiet: quiet_hours.QuietHours
) -> dict[str, Any]:
    arrives = deliver_after(now, user.timezone, quiet)
    return {
        "coach_id": coach.id,
        "user_id": user.id,
        "message": personalise(message, user),
        "created_at": now,
        "deliver_after": arrives,
        "day": local_date(arrives, user.timezone),
    }


def _insert_new(session: Session, rows: list[dict[str, Any]]) -> dict[int, int]:
    """Insert the nudges whose (member, day) is free; {user_id: id} of those inserted
    (racing coaches: the database lets one insert per key, server/inserts.py)."""
    created: dict[int, int] = {}
    for start in range(0, len(rows), INSERT_CHUNK):
        chunk = rows[start : start + INSERT_CHUNK]
        found = insert_new(
            session, Nudge, chunk, keys=("user_id", "day"), returning=("id", "user_id")
        )
        created.update({user_id: nudge_id for nudge_id, user_id in found})
    return created


def _members(session: Session, cohort: Cohort, member_ids: list[int]) -> list[User]:
    wanted = {int(i) for i in member_ids}
    in_cohort = session.exec(
        select(User)
        .join(CohortMember, CohortMember.user_id == User.id)
        .where(
            CohortMember.cohort_id == cohort.id, CohortMember.status == MemberStatus.ACTIVE.value
        )
        .order_by(User.display_name, User.id)
    )
    return [user for user in in_cohort if user.id in wanted]
