"""Authoring: a district admin creates and edits stacks and credentials. No Flask here.

Tenancy: a stack belongs to the district that authored it (Stack.org_id); only that
district's admins edit it and its credentials. Stacks with no district are the shared
library: every admin sees and exports them, nobody edits them here (import a copy to
adapt one). Another district's stacks are not found.

Status: draft → published → retired (and retired → published again). A draft is edited in
place; editing a published or retired credential makes a new version (see
authoring_versions.py): unchanged requirements and criteria keep their rows and ids,
changed or removed ones are closed at the new version and never deleted, so attempts and
awards keep the version they started with. Every change is audited in its transaction;
callers commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, or_, select

from server.admin import audit
from server.admin.authoring_forms import (
    CredentialInput,
    CriterionInput,
    FormInvalid,
    RequirementInput,
    StackInput,
    slugify,
    validate_credential,
    validate_stack,
)
from server.admin.authoring_versions import keep
from server.catalog.service import criteria_for, requirements_for
from server.errors import Conflict, Forbidden, NotFound
from server.models import (
    Credential,
    CredentialStatus,
    EvidenceRequirement,
    Org,
    RubricCriterion,
    Stack,
    User,
)

SHARED = "This stack is in the shared library: export it and import the file to adapt a copy."
NO_STACK = "We couldn't find that stack in your district."
NO_CREDENTIAL = "We couldn't find that micro-credential in your district."
STALE = "Someone saved a newer version meanwhile: reload the page to see it, then edit again."
TRANSITIONS = {
    CredentialStatus.DRAFT.value: {CredentialStatus.PUBLISHED.value},
    CredentialStatus.PUBLISHED.value: {CredentialStatus.RETIRED.value},
    CredentialStatus.RETIRED.value: {CredentialStatus.PUBLISHED.value},
}


@dataclass
class StackRow:
    stack: Stack
    credentials: list[Credential]
    editable: bool


# --- finding what an admin may see and edit ---------------------------------------------


def library(*, session: Session, org: Org) -> list[StackRow]:
    """The district's own stacks (editable), then the shared library (read-only)."""
    stacks = session.exec(
        select(Stack)
        .where(or_(Stack.org_id == org.id, Stack.org_id.is_(None)))
        .order_by(Stack.org_id.is_(None), Stack.position, Stack.title)
    ).all()
    credentials = session.exec(
        select(Credential)
        .where(Credential.stack_id.in_([s.id for s in stacks]))
        .order_by(Credential.position, Credential.title)
    ).all()
    by_stack: dict[int, list[Credential]] = {}
    for credential in credentials:
        by_stack.setdefault(credential.stack_id, []).append(credential)
    return [StackRow(s, by_stack.get(s.id, []), s.org_id == org.id) for s in stacks]


def visible_stack(*, session: Session, org: Org, stack_id: int) -> Stack:
    """A stack of this district or the shared library (for reading and export)."""
    stack = session.get(Stack, stack_id)
    if stack is None or stack.org_id not in (None, org.id):
        raise NotFound(NO_STACK)
    return stack


def own_stack(*, session: Session, org: Org, stack_id: int) -> Stack:
    stack = visible_stack(session=session, org=org, stack_id=stack_id)
    if stack.org_id is None:
        raise Forbidden(SHARED)
    return stack


def visible_credential(*, session: Session, org: Org, credential_id: int) -> Credential:
    credential = session.get(Credential, credential_id)
    if credential is None:
        raise NotFound(NO_CREDENTIAL)
    try:
        visible_stack(session=session, org=org, stack_id=credential.stack_id)
    except NotFound:
        raise NotFound(NO_CREDENTIAL) from None
    return credential


def own_credential(*, session: Session, org: Org, credential_id: int) -> Credential:
    credential = visible_credential(session=session, org=org, credential_id=credential_id)
    own_stack(session=session, org=org, stack_id=credential.stack_id)
    return credential


def form_values(*, session: Session, credential: Credential) -> CredentialInput:
    """The live credential as the form shows it."""
    assert credential.id is not None
    return CredentialInput(
        title=credential.title,
        competency=credential.competency,
        key_method=credential.key_method,
        method_components=credential.method_components,
        research=credential.research,
        resources=credential.resources,
        points=credential.points,
        credit_hours=credential.credit_hours,
        scoring_mode=credential.scoring_mode or "",
        requirements=[
            RequirementInput(
                r.id, r.kind, r.prompt, r.min_count, r.max_count, r.min_words, r.max_words
            )
            for r in requirements_for(session=session, credential_id=credential.id)
        ],
        criteria=[
            CriterionInput(c.id, c.title, c.met_descriptor, c.not_yet_descriptor)
            for c in criteria_for(session=session, credential_id=credential.id)
        ],
    )


# --- stacks -----------------------------------------------------------------------------


def _unique_slug(session: Session, model: type[Stack] | type[Credential], title: str) -> str:
    base = slugify(title)
    taken = set(
        session.exec(
            select(model.slug).where(or_(model.slug == base, model.slug.startswith(f"{base}-")))
        ).all()
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def save_stack(
    *, session: Session, org: Org, actor: User, data: StackInput, stack_id: int | None = None
) -> Stack:
    data = validate_stack(data)
    if stack_id is None:
        position = session.exec(select(func.coalesce(func.max(Stack.position), 0))).one()
        stack = Stack(
            slug=_unique_slug(session, Stack, data.title),
            title=data.title,
            org_id=org.id,
            published=data.listed,
            position=position + 1,
        )
        before = None
    else:
        stack = own_stack(session=session, org=org, stack_id=stack_id)
        before = _stack_facts(stack)
    stack.title, stack.summary, stack.category = data.title, data.summary, data.category
    stack.published = data.listed
    session.add(stack)
    session.flush()
    audit.record(
        session=session,
        org=org,
        actor=actor,
        action="created stack" if before is None else "edited stack",
        target=stack.title,
        before=before,
        after=_stack_facts(stack),
    )
    return stack


def _stack_facts(stack: Stack) -> dict:
    return {
        "title": stack.title,
        "summary": stack.summary,
        "category": stack.category,
        "listed": stack.published,
    }


# --- credentials ------------------------------------------------------------------------


def create_credential(
    *, session: Session, org: Org, actor: User, stack_id: int, data: CredentialInput
) -> Credential:
    """A new draft in one of the district's stacks."""
    stack = own_stack(session=session, org=org, stack_id=stack_id)
    clean = validate_credential(data)
    position = session.exec(
        select(func.coalesce(func.max(Credential.position), 0)).where(
            Credential.stack_id == stack.id
        )
    ).one()
    credential = Credential(
        stack_id=stack.id,
        slug=_unique_slug(session, Credential, clean.title),
        title=clean.title,
        status=CredentialStatus.DRAFT.value,
        version=1,
        position=position + 1,
    )
    _set_text(credential, clean)
    session.add(credential)
    session.flush()
    _write_rows(session, credential, clean, current=([], []))
    audit.record(
        session=session,
        org=org,
        actor=actor,
        action="created credential",
        target=f"{credential.title} (draft)",
        after=clean.as_dict(),
    )
    return credential


def edit_credential(
    *,
    session: Session,
    org: Org,
    actor: User,
    credential_id: int,
    data: CredentialInput,
    based_on: int | None = None,
) -> Credential:
    """Save an edit: in place for a draft, as a new version once it was published. An
    edit that changes nothing makes no version. `based_on`: the version the form showed;
    a newer one saved meanwhile is a Conflict (never a silent overwrite)."""
    credential = own_credential(session=session, org=org, credential_id=credential_id)
    if based_on is not None and based_on != credential.version:
        raise Conflict(STALE)
    clean = validate_credential(data)
    before = form_values(session=session, credential=credential)
    current = (
        requirements_for(session=session, credential_id=credential.id),
        criteria_for(session=session, credential_id=credential.id),
    )
    _check_row_ids(clean, current)
    _adopt_ids(clean, current)
    if _same(before, clean):
        return credential
    if credential.status != CredentialStatus.DRAFT.value:
        keep(session=session, credential=credential, actor=None)  # the version before
        _next_version(session, credential)
    _set_text(credential, clean)
    session.add(credential)
    _write_rows(session, credential, clean, current=current)
    if credential.status != CredentialStatus.DRAFT.value:
        keep(session=session, credential=credential, actor=actor)
    audit.record(
        session=session,
        org=org,
        actor=actor,
        action="edited credential",
        target=f"{credential.title} (version {credential.version}, {credential.status})",
        before=before.as_dict(),
        after=clean.as_dict(),
    )
    return credential


def _next_version(session: Session, credential: Credential) -> None:
    """Bump the version only if nobody else did since we read it (two admins saving at
    once: one wins, the other gets a Conflict and nothing of theirs is saved)."""
    bumped = session.exec(
        update(Credential)
        .where(Credential.id == credential.id, Credential.version == credential.version)
        .values(version=credential.version + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if bumped != 1:
        raise Conflict(STALE)
    credential.version += 1


def set_status(
    *, session: Session, org: Org, actor: User, credential_id: int, status: str
) -> Credential:
    credential = own_credential(session=session, org=org, credential_id=credential_id)
    if status not in TRANSITIONS.get(credential.status, set()):
        raise Conflict(f"A {credential.status} micro-credential can't become {status}.")
    before = credential.status
    credential.status = status
    session.add(credential)
    if status == CredentialStatus.PUBLISHED.value:
        keep(session=session, credential=credential, actor=actor)
        stack = session.get_one(Stack, credential.stack_id)
        stack.published = True  # a stack with something to offer is listed
        session.add(stack)
    session.flush()
    audit.record(
        session=session,
        org=org,
        actor=actor,
        action=f"{status} credential",
        target=f"{credential.title} (version {credential.version})",
        before={"status": before},
        after={"status": status},
    )
    return credential


def _set_text(credential: Credential, data: CredentialInput) -> None:
    credential.title = data.title
    credential.competency = data.competency
    credential.key_method = data.key_method
    credential.method_components = data.method_components
    credential.research = data.research
    credential.resources = data.resources
    credential.points = int(data.points)
    credential.credit_hours = float(data.credit_hours)
    credential.scoring_mode = data.scoring_mode or None


def _same(before: CredentialInput, after: CredentialInput) -> bool:
    return before.as_dict() == after.as_dict()


Rows = tuple[list[EvidenceRequirement], list[RubricCriterion]]


def _check_row_ids(data: CredentialInput, current: Rows) -> None:
    """Row ids in the form must be this credential's live rows (a stale or forged id
    is refused, never attached to another credential's row)."""
    errors = {}
    live_requirements = {r.id for r in current[0]}
    live_criteria = {c.id for c in current[1]}
    for i, r in enumerate(data.requirements):
        if r.id is not None and r.id not in live_requirements:
            errors[f"req-{i}-prompt"] = "This row changed meanwhile; reload the page."
    for i, c in enumerate(data.criteria):
        if c.id is not None and c.id not in live_criteria:
            errors[f"crit-{i}-title"] = "This row changed meanwhile; reload the page."
    if errors:
        raise FormInvalid(errors)


def _adopt_ids(data: CredentialInput, current: Rows) -> None:
    """Rows given without an id (an imported file) take the id of an identical live row,
    so re-importing the same file changes nothing and unchanged rows keep their ids."""
    for wanted_rows, live in ((data.requirements, current[0]), (data.criteria, current[1])):
        taken = {row.id for row in wanted_rows if row.id is not None}
        for row in wanted_rows:
            if row.id is not None:
                continue
            for candidate in live:
                if candidate.id not in taken and _content(candidate) == row.content():
                    row.id = candidate.id
                    taken.add(candidate.id)
                    break


def _content(row: EvidenceRequirement | RubricCriterion) -> tuple:
    if isinstance(row, EvidenceRequirement):
        return (row.kind, row.prompt, row.min_count, row.max_count, row.min_words, row.max_words)
    return (row.title, row.met_descriptor, row.not_yet_descriptor)


def _write_rows(
    session: Session, credential: Credential, data: CredentialInput, *, current: Rows
) -> None:
    draft = credential.status == CredentialStatus.DRAFT.value
    version = credential.version
    live_requirements = {r.id: r for r in current[0]}
    kept: set[int | None] = set()  # requirement ids
    kept_criteria: set[int | None] = set()
    for position, wanted in enumerate(data.requirements):
        row = live_requirements.get(wanted.id) if wanted.id is not None else None
        values: dict[str, Any] = {
            "kind": wanted.kind,
            "prompt": wanted.prompt,
            "min_count": int(wanted.min_count),
            "max_count": int(wanted.max_count),
            "min_words": wanted.min_words,
            "max_words": wanted.max_words,
            "position": position,
        }
        kept.add(
            _keep_or_add(session, row, values, EvidenceRequirement, credential, version, draft)
        )
    live_criteria = {c.id: c for c in current[1]}
    for position, wanted_c in enumerate(data.criteria):
        crit = live_criteria.get(wanted_c.id) if wanted_c.id is not None else None
        values = {
            "title": wanted_c.title,
            "met_descriptor": wanted_c.met_descriptor,
            "not_yet_descriptor": wanted_c.not_yet_descriptor,
            "position": position,
        }
        kept_criteria.add(
            _keep_or_add(session, crit, values, RubricCriterion, credential, version, draft)
        )
    gone = [r for r in current[0] if r.id not in kept]
    for old in [*gone, *(c for c in current[1] if c.id not in kept_criteria)]:
        if draft:
            session.delete(old)  # a draft was never offered: nothing refers to its rows
        else:
            old.removed_in = version  # older versions keep it
            session.add(old)
    session.flush()


def _keep_or_add(
    session: Session,
    row: Any,
    values: dict[str, Any],
    model: type[EvidenceRequirement] | type[RubricCriterion],
    credential: Credential,
    version: int,
    draft: bool,
) -> int | None:
    """Update `row` in place when it may change (a draft, or nothing of it changed), and
    return its id (kept); else add a new row from this version on (None: nothing kept)."""
    if row is not None and (draft or _unchanged(row, values)):
        row.sqlmodel_update(values)
        session.add(row)
        return row.id
    session.add(model(credential_id=credential.id, added_in=version, **values))
    return None


def _unchanged(row: EvidenceRequirement | RubricCriterion, values: dict) -> bool:
    """Only the position may move without a new row (its text is what was assessed)."""
    return all(getattr(row, k) == v for k, v in values.items() if k != "position")
