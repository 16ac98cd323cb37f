"""Roles in a district: who coaches, who administers, who reviews which stacks.

Only people of the admin's own district can be found or changed. A change is checked as a
whole (every field), then written in one transaction with one audit entry per change;
the review queue reads appointments on every request, so it follows at once. A district
always keeps an admin: the last one cannot remove their own role.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, func, or_, update
from sqlmodel import Session, select

from server.admin import audit
from server.admin.forms import FormInvalid
from server.errors import NotFound
from server.models import AssessorAppointment, Cohort, Org, Role, Stack, User

SEARCH_LIMIT = 25
NOT_IN_DISTRICT = "We couldn't find that person in your district."
# The roles this page manages; "teacher" (and anything else) is left as it is.
MANAGED = (Role.ASSESSOR.value, Role.COACH.value, Role.ADMIN.value)


@dataclass(frozen=True)
class RoleChoices:
    roles: frozenset[str]  # among MANAGED
    stack_ids: frozenset[int] = field(default_factory=frozenset)
    lead_ids: frozenset[int] = field(default_factory=frozenset)  # lead assessor of these


@dataclass(frozen=True)
class Holders:
    admins: list[User]
    coaches: list[User]
    assessors: list[tuple[User, list[str]]]  # with the titles of the stacks they review


def person_in_district(*, session: Session, org: Org, user_id: int) -> User:
    person = session.get(User, user_id)
    if person is None or person.org_id != org.id:
        raise NotFound(NOT_IN_DISTRICT)
    return person


def search(*, session: Session, org: Org, text: str) -> list[User]:
    """People of the district whose name, handle or email contains `text`."""
    text = text.strip()[:80]
    if not text:
        return []
    pattern = f"%{text.lower()}%"
    return list(
        session.exec(
            select(User)
            .where(User.org_id == org.id)
            .where(
                or_(
                    func.lower(User.display_name).like(pattern),
                    func.lower(User.handle).like(pattern),
                    func.lower(User.email).like(pattern),
                )
            )
            .order_by(User.display_name, User.id)
            .limit(SEARCH_LIMIT)
        )
    )


def stacks(*, session: Session) -> list[Stack]:
    return list(session.exec(select(Stack).order_by(Stack.position, Stack.title, Stack.id)))


def holders(*, session: Session, org: Org) -> Holders:
    people = list(
        session.exec(
            select(User)
            .where(User.org_id == org.id, or_(*(User.roles.contains(r) for r in MANAGED)))
            .order_by(User.display_name, User.id)
        )
    )
    appointed: dict[int, list[str]] = {}
    for user_id, title in session.exec(
        select(AssessorAppointment.user_id, Stack.title)
        .join(Stack, Stack.id == AssessorAppointment.stack_id)
        .where(AssessorAppointment.user_id.in_([p.id for p in people]))
        .order_by(Stack.position, Stack.title)
    ):
        appointed.setdefault(user_id, []).append(title)
    return Holders(
        admins=[p for p in people if p.has_role(Role.ADMIN.value)],
        coaches=[p for p in people if p.has_role(Role.COACH.value)],
        assessors=[(p, appointed.get(p.id, [])) for p in people if p.has_role(Role.ASSESSOR.value)],
    )


def current(*, session: Session, person: User) -> RoleChoices:
    appointed = session.exec(
        select(AssessorAppointment.stack_id, AssessorAppointment.is_lead).where(
            AssessorAppointment.user_id == person.id
        )
    ).all()
    return RoleChoices(
        roles=frozenset(r for r in MANAGED if person.has_role(r)),
        stack_ids=frozenset(stack_id for stack_id, _ in appointed),
        lead_ids=frozenset(stack_id for stack_id, lead in appointed if lead),
    )


def coached_cohorts(*, session: Session, person: User) -> list[Cohort]:
    return list(session.exec(select(Cohort).where(Cohort.coach_id == person.id)))


def _stack_ids(values: Sequence[str], known: set[int]) -> frozenset[int]:
    return frozenset(
        {int(v) for v in values if v.isascii() and v.isdigit() and len(v) < 10} & known
    )


def as_ticked(
    roles: Sequence[str], stack_ids: Sequence[str], known: set[int], leads: Sequence[str] = ()
) -> RoleChoices:
    """What the form ticked, leaving out anything that is not a role or a known stack."""
    return RoleChoices(
        roles=frozenset(roles) & frozenset(MANAGED),
        stack_ids=_stack_ids(stack_ids, known),
        lead_ids=_stack_ids(leads, known),
    )


def parse(
    roles: Sequence[str], stack_ids: Sequence[str], known: set[int], leads: Sequence[str] = ()
) -> RoleChoices:
    """The form's ticked roles, stacks and lead stacks (`known`: every stack id);
    FormInvalid names each field that is wrong."""
    errors: dict[str, str] = {}
    ticked = as_ticked(roles, stack_ids, known, leads)
    if len(ticked.lead_ids) != len(set(leads)):
        errors["leads"] = "Choose lead stacks from the list."
    elif not ticked.lead_ids <= ticked.stack_ids:
        errors["leads"] = (
            "A lead assessor reviews the stack too: tick it under the stacks reviewed, "
            "or clear the lead."
        )
    if len(ticked.roles) != len(set(roles)):
        errors["roles"] = "Choose among assessor, coach and admin."
    if len(ticked.stack_ids) != len(set(stack_ids)):
        errors["stacks"] = "Choose stacks from the list."
    elif ticked.stack_ids and Role.ASSESSOR.value not in ticked.roles:
        errors["stacks"] = (
            "Reviewing a stack needs the assessor role: tick Assessor, or clear the stacks."
        )
    if errors:
        raise FormInvalid(errors)
    return ticked


def save(
    *, session: Session, org: Org, actor: User, person: User, choices: RoleChoices
) -> list[str]:
    """Apply the choices (the caller commits); one audit entry per change, whose actions
    are returned (none when nothing changed)."""
    before = current(session=session, person=person)
    if Role.ADMIN.value in before.roles and Role.ADMIN.value not in choices.roles:
        _keep_an_admin(session, org, actor, person)
    done = _set_roles(session, org, actor, person, before.roles, choices.roles)
    done += _set_appointments(session, org, actor, person, before.stack_ids, choices.stack_ids)
    done += _set_leads(session, org, actor, person, before, choices)
    return done


def _keep_an_admin(session: Session, org: Org, actor: User, person: User) -> None:
    # Locked on PostgreSQL: two admins removing each other at once can't both succeed.
    admins = session.exec(
        select(User.id)
        .where(User.org_id == org.id, User.roles.contains(Role.ADMIN.value))
        .where(User.deactivated_at.is_(None), User.id != person.id)
        .with_for_update()
    ).all()
    if admins:
        return
    who = "You are" if person.id == actor.id else f"{person.display_name} is"
    raise FormInvalid(
        {
            "roles": f"{who} the last admin of {org.name}. Make someone else an admin "
            "first, then remove this role."
        }
    )


def _set_roles(
    session: Session,
    org: Org,
    actor: User,
    person: User,
    before: frozenset[str],
    after: frozenset[str],
) -> list[str]:
    if before == after:
        return []
    kept = [r for r in person.roles.split(",") if r and r not in MANAGED]
    person.roles = ",".join(kept + [r for r in MANAGED if r in after]) or Role.TEACHER.value
    session.add(person)
    done = []
    for role in MANAGED:
        if (role in after) != (role in before):
            action = f"made {role}" if role in after else f"removed {role} role"
            audit.record(
                session=session,
                org=org,
                actor=actor,
                action=action,
                target=person.display_name,
                before=sorted(before),
                after=sorted(after),
            )
            done.append(action)
    return done


def _set_appointments(
    session: Session,
    org: Org,
    actor: User,
    person: User,
    before: frozenset[int],
    after: frozenset[int],
) -> list[str]:
    titles = dict(session.exec(select(Stack.id, Stack.title)).all())
    done = []
    for stack_id in sorted(after - before):
        session.add(
            AssessorAppointment(user_id=person.id, stack_id=stack_id, appointed_by=actor.id)
        )
        done.append(_log(session, org, actor, person, "appointed assessor", titles[stack_id]))
    gone = sorted(before - after)
    if gone:
        session.exec(
            delete(AssessorAppointment).where(
                AssessorAppointment.user_id == person.id,
                AssessorAppointment.stack_id.in_(gone),
            )
        )
    for stack_id in gone:
        done.append(_log(session, org, actor, person, "removed assessor", titles[stack_id]))
    return done


def _set_leads(
    session: Session, org: Org, actor: User, person: User, before: RoleChoices, after: RoleChoices
) -> list[str]:
    """Lead assessors reconcile double-blind disagreements of the stack (review/leads.py);
    a lead stack is always one the person reviews (parse checks it)."""
    titles = dict(session.exec(select(Stack.id, Stack.title)).all())
    done = []
    made = after.lead_ids - before.lead_ids
    ended = (before.lead_ids - after.lead_ids) & after.stack_ids  # removed ones are logged
    for stack_id, lead in [(s, True) for s in sorted(made)] + [(s, False) for s in sorted(ended)]:
        session.exec(
            update(AssessorAppointment)
            .where(AssessorAppointment.user_id == person.id)
            .where(AssessorAppointment.stack_id == stack_id)
            .values(is_lead=lead)
        )
        action = "made lead assessor" if lead else "removed lead assessor"
        done.append(_log(session, org, actor, person, action, titles[stack_id]))
    return done


def _log(session: Session, org: Org, actor: User, person: User, action: str, stack: str) -> str:
    audit.record(
        session=session,
        org=org,
        actor=actor,
        action=action,
        target=f"{person.display_name} for {stack}",
        before=None if action.startswith(("appointed", "made")) else stack,
        after=stack if action.startswith(("appointed", "made")) else None,
    )
    return f"{action}: {stack}"
