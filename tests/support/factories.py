"""Small builders for test data; each returns committed rows."""

from __future__ import annotations

import itertools

from sqlmodel import Session

from server.models import (
    Credential,
    EvidenceRequirement,
    Org,
    RubricCriterion,
    Stack,
    User,
)

_counter = itertools.count(1)


def make_user(session: Session, *roles: str, name: str | None = None, **fields) -> User:
    n = next(_counter)
    user = User(
        handle=fields.pop("handle", f"user{n}"),
        display_name=name or f"Test User {n}",
        roles=",".join(roles or ("teacher",)),
        **fields,
    )
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def make_org(session: Session, **fields) -> Org:
    n = next(_counter)
    org = Org(slug=fields.pop("slug", f"org-{n}"), name=fields.pop("name", f"District {n}"),
              **fields)
    session.add(org)
    session.commit()
    session.refresh(org)
    return org


def make_credential(session: Session, *, criteria: int = 3, kinds=("photo", "text"),
                    stack: Stack | None = None, **fields) -> Credential:
    n = next(_counter)
    if stack is None:
        stack = Stack(slug=f"stack-{n}", title=f"Stack {n}", summary="A test stack",
                      category="Testing")
        session.add(stack)
        session.commit()
    credential = Credential(
        stack_id=stack.id,
        slug=fields.pop("slug", f"credential-{n}"),
        title=fields.pop("title", f"Credential {n}"),
        competency="The educator does the thing.",
        key_method="Do it well.",
        **fields,
    )
    session.add(credential)
    session.commit()
    for position, kind in enumerate(kinds):
        session.add(EvidenceRequirement(credential_id=credential.id, position=position,
                                        kind=kind, prompt=f"Show {kind} evidence"))
    for position in range(criteria):
        session.add(RubricCriterion(
            credential_id=credential.id, position=position, title=f"Criterion {position + 1}",
            met_descriptor="Clearly shown.", not_yet_descriptor="Not shown yet."))
    session.commit()
    session.refresh(credential)
    return credential
