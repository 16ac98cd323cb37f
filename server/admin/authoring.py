"""Authoring: a district admin creates and edits stacks and credentials. No Flask here.

Tenancy (who may see and edit what) is in authoring_access.py; the rows of a credential's
requirements and criteria are written by authoring_rows.py.

Status: draft → published → retired (and retired → published again). A draft is edited in
place; editing a published or retired credential makes a new version (see
authoring_versions.py): unchanged requirements and criteria keep their rows and ids,
changed or removed ones are closed at the new version and never deleted, so attempts and
awards keep the version they started with. Every change is audited in its transaction;
callers commit.
"""

from __future__ import annotations

from sqlalchemy import func, update
from sqlmodel import Session, or_, select

from server.admin import audit
from server.admin.authoring_access import form_values, own_credential, own_stack
from server.admin.authoring_forms import (
    CredentialInput,
    StackInput,
    slugify,
    validate_credential,
    validate_stack,
)
from server.admin.authoring_rows import adopt_ids, check_row_ids, write_rows
from server.admin.authoring_versions import keep
from server.catalog.service import criteria_for, requirements_for
from server.errors import Conflict
from server.models import (
    Credential,
    CredentialStatus,
    Org,
    Stack,
    User,
)

STALE = "Someone saved a newer version meanwhile: reload the page to see it, then edit again."
TRANSITIONS = {
    CredentialStatus.DRAFT.value: {CredentialStatus.PUBLISHED.value},
    CredentialStatus.PUBLISHED.value: {CredentialStatus.RETIRED.value},
    CredentialStatus.RETIRED.value: {CredentialStatus.PUBLISHED.value},
}


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
    write_rows(session, credential, clean, current=([], []))
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
    check_row_ids(clean, current)
    adopt_ids(clean, current)
    if _same(before, clean):
        return credential
    if credential.status != CredentialStatus.DRAFT.value:
        keep(session=session, credential=credential, actor=None)  # the version before
        _next_version(session, credential)
    _set_text(credential, clean)
    session.add(credential)
    write_rows(session, credential, clean, current=current)
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
