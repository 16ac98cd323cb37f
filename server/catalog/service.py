"""The public catalog: published stacks and credentials (the one rule for each), a stack's
and a credential's page, and the requirements and rubric of a version. The listing and
search are in catalog/search.py.

Only published stacks and credentials are ever returned; anything else is NotFound, so
a draft never leaks through a guessed slug.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

from server.errors import NotFound
from server.models import (
    Credential,
    CredentialStatus,
    EvidenceRequirement,
    RubricCriterion,
    Stack,
)


@dataclass(frozen=True)
class Resource:
    title: str
    url: str | None = None

    @property
    def is_link(self) -> bool:
        # Only web addresses become links, so a stored `javascript:` never runs.
        return bool(self.url and self.url.lower().startswith(("https://", "http://")))


@dataclass
class CredentialSummary:
    credential: Credential
    evidence_count: int


@dataclass
class StackDetail:
    stack: Stack
    credentials: list[CredentialSummary]


@dataclass
class CredentialDetail:
    credential: Credential
    stack: Stack
    method_components: list[str]
    resources: list[Resource]
    requirements: list[EvidenceRequirement]
    criteria: list[RubricCriterion]


# --- text stored one item per line --------------------------------------------------


def parse_lines(text: str | None) -> list[str]:
    """One item per line; blank lines and surrounding spaces are ignored."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def parse_resources(text: str | None) -> list[Resource]:
    """Lines of `Title | https://url`; the url is optional (a book, a chapter)."""
    resources = []
    for line in parse_lines(text):
        title, separator, url = line.rpartition("|")
        if not separator:
            title, url = line, ""
        title, url = title.strip(), url.strip()
        resources.append(Resource(title=title or url, url=url or None))
    return resources


def count_label(min_count: int, max_count: int) -> str:
    """How many items a requirement asks for, in words a teacher reads at a glance."""
    if min_count <= 0:
        return f"optional, up to {max_count}"
    if max_count <= min_count:
        return str(min_count)
    return f"{min_count} to {max_count}"


# --- stacks -------------------------------------------------------------------------


def published_stack() -> ColumnElement[bool]:
    """The one rule for a stack the catalog shows: a SQL condition on Stack."""
    return Stack.published.is_(True)


def published_credential() -> ColumnElement[bool]:
    """The one rule for a credential teachers may see and start: a SQL condition on
    Credential (its stack's flag is checked separately, with published_stack)."""
    return Credential.status == CredentialStatus.PUBLISHED.value


def published_credentials() -> SelectOfScalar[Credential]:
    return select(Credential).where(published_credential())


def get_stack(*, session: Session, slug: str) -> StackDetail:
    stack = session.exec(select(Stack).where(Stack.slug == slug, published_stack())).first()
    if stack is None:
        raise NotFound("We couldn't find that stack. It may have been renamed or retired.")
    credentials = session.exec(
        published_credentials()
        .where(Credential.stack_id == stack.id)
        .order_by(Credential.position, Credential.title)
    ).all()
    counts = _requirement_counts(session, [c.id for c in credentials])
    summaries = [CredentialSummary(c, counts.get(c.id, 0)) for c in credentials]
    return StackDetail(stack=stack, credentials=summaries)


def _requirement_counts(session: Session, credential_ids: list[int]) -> dict[int, int]:
    if not credential_ids:
        return {}
    rows = session.exec(
        select(EvidenceRequirement.credential_id, func.count(EvidenceRequirement.id))
        .where(
            EvidenceRequirement.credential_id.in_(credential_ids),
            EvidenceRequirement.removed_in.is_(None),
        )
        .group_by(EvidenceRequirement.credential_id)
    ).all()
    return dict(rows)


# --- credentials --------------------------------------------------------------------


def get_published_credential(*, session: Session, slug: str) -> tuple[Credential, Stack]:
    row = session.exec(
        select(Credential, Stack)
        .join(Stack, Stack.id == Credential.stack_id)
        .where(
            Credential.slug == slug,
            published_credential(),
            published_stack(),
        )
    ).first()
    if row is None:
        raise NotFound(
            "We couldn't find that micro-credential. It may have been renamed or retired."
        )
    return row


def get_credential(*, session: Session, slug: str) -> CredentialDetail:
    credential, stack = get_published_credential(session=session, slug=slug)
    return CredentialDetail(
        credential=credential,
        stack=stack,
        method_components=parse_lines(credential.method_components),
        resources=parse_resources(credential.resources),
        requirements=requirements_for(session=session, credential_id=credential.id),
        criteria=criteria_for(session=session, credential_id=credential.id),
    )


def requirements_for(
    *, session: Session, credential_id: int, version: int | None = None
) -> list[EvidenceRequirement]:
    """A credential's evidence requirements in the order teachers see them: the current
    ones, or those of `version` (an attempt keeps the version it started with)."""
    return _in_order(session, EvidenceRequirement, credential_id, version)


def criteria_for(
    *, session: Session, credential_id: int, version: int | None = None
) -> list[RubricCriterion]:
    """A credential's rubric, in the order both the teacher and the assessor see it: the
    current one, or that of `version` (an attempt is reviewed against its own version)."""
    return _in_order(session, RubricCriterion, credential_id, version)


Part = TypeVar("Part", EvidenceRequirement, RubricCriterion)


def in_version(part: EvidenceRequirement | RubricCriterion, version: int) -> bool:
    """Whether a requirement or criterion belongs to the credential's `version`."""
    return part.added_in <= version and (part.removed_in is None or part.removed_in > version)


def _in_order(
    session: Session, model: type[Part], credential_id: int, version: int | None
) -> list[Part]:
    statement = select(model).where(model.credential_id == credential_id)
    if version is None:
        statement = statement.where(model.removed_in.is_(None))
    else:
        statement = statement.where(
            model.added_in <= version, or_(model.removed_in.is_(None), model.removed_in > version)
        )
    return list(session.exec(statement.order_by(model.position, model.id)).all())
