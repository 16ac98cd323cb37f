"""Finding what a district admin may see and edit in authoring. No Flask here.

Tenancy: a stack belongs to the district that authored it (Stack.org_id); only that
district's admins edit it and its credentials. Stacks with no district are the shared
library: every admin sees and exports them, nobody edits them here (import a copy to
adapt one). Another district's stacks are not found.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, or_, select

from server.admin.authoring_forms import CredentialInput, CriterionInput, RequirementInput
from server.catalog.service import criteria_for, requirements_for
from server.errors import Forbidden, NotFound
from server.models import Credential, Org, Stack

SHARED = "This stack is in the shared library: export it and import the file to adapt a copy."
NO_STACK = "We couldn't find that stack in your district."
NO_CREDENTIAL = "We couldn't find that micro-credential in your district."


@dataclass
class StackRow:
    stack: Stack
    credentials: list[Credential]
    editable: bool


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
