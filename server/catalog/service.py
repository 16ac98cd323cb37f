"""The public catalog: published stacks and credentials, search and category filters.

Only published stacks and credentials are ever returned; anything else is NotFound, so
a draft never leaks through a guessed slug.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_, func, or_
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

MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class Resource:
    title: str
    url: str | None = None

    @property
    def is_link(self) -> bool:
        # Only web addresses become links, so a stored `javascript:` never runs.
        return bool(self.url and self.url.lower().startswith(("https://", "http://")))


@dataclass
class StackCard:
    stack: Stack
    credential_titles: list[str] = field(default_factory=list)

    @property
    def credential_count(self) -> int:
        return len(self.credential_titles)


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


def _published_credentials() -> SelectOfScalar[Credential]:
    return select(Credential).where(published_credential())


def normalise_query(query: str | None) -> str:
    return " ".join((query or "").split())[:MAX_QUERY_LENGTH]


def categories(*, session: Session) -> list[str]:
    rows = session.exec(
        select(Stack.category).where(published_stack(), Stack.category != "").distinct()
    ).all()
    return sorted(rows, key=str.lower)


MAX_QUERY_WORDS = 8


def query_words(query: str) -> list[str]:
    """The words of a search, each matched on its own (any order, any case, any part of a
    word: "math" finds "Mathematics")."""
    return normalise_query(query).split()[:MAX_QUERY_WORDS]


def _each_word_in(words: list[str], *fields: Any) -> ColumnElement[bool]:
    """Every word appears in one of the fields: ILIKE on PostgreSQL, lower() LIKE on SQLite
    (the catalog is a few hundred rows: a scan is cheaper than keeping a text index)."""
    return and_(
        *(or_(*(field.icontains(word, autoescape=True) for field in fields)) for word in words)
    )


def list_stacks(*, session: Session, query: str = "", category: str = "") -> list[StackCard]:
    """Published stacks in catalog order, matching the search words (title, summary,
    category or a credential's title, any case) and the category when given."""
    statement = select(Stack).where(published_stack())
    words = query_words(query)
    if words:
        credential_titles = select(Credential.title).where(
            Credential.stack_id == Stack.id, published_credential()
        )
        statement = statement.where(
            and_(
                *(
                    or_(
                        _each_word_in([word], Stack.title, Stack.summary, Stack.category),
                        credential_titles.where(
                            Credential.title.icontains(word, autoescape=True)
                        ).exists(),
                    )
                    for word in words
                )
            )
        )
    if category:
        statement = statement.where(Stack.category == category)
    stacks = session.exec(statement.order_by(Stack.position, Stack.title)).all()
    return _cards(session, stacks)


@dataclass(frozen=True)
class CredentialHit:
    credential: Credential
    stack: Stack


def search_credentials(
    *, session: Session, query: str, category: str = "", limit: int = 50
) -> list[CredentialHit]:
    """Published credentials whose title, competency, key method or stack category holds
    every search word; none for an empty search."""
    words = query_words(query)
    if not words:
        return []
    statement = (
        select(Credential, Stack)
        .join(Stack, Stack.id == Credential.stack_id)
        .where(published_credential(), published_stack())
        .where(
            _each_word_in(
                words,
                Credential.title,
                Credential.competency,
                Credential.key_method,
                Stack.category,
            )
        )
    )
    if category:
        statement = statement.where(Stack.category == category)
    rows = session.exec(
        statement.order_by(
            Stack.position, Stack.title, Credential.position, Credential.title
        ).limit(limit)
    ).all()
    return [CredentialHit(credential, stack) for credential, stack in rows]


def featured_stacks(*, session: Session, limit: int = 3) -> list[StackCard]:
    return list_stacks(session=session)[:limit]


def _cards(session: Session, stacks: Sequence[Stack]) -> list[StackCard]:
    cards = {stack.id: StackCard(stack=stack) for stack in stacks}
    if not cards:
        return []
    credentials = session.exec(
        _published_credentials()
        .where(Credential.stack_id.in_(cards.keys()))
        .order_by(Credential.position, Credential.title)
    ).all()
    for credential in credentials:
        cards[credential.stack_id].credential_titles.append(credential.title)
    return list(cards.values())


def get_stack(*, session: Session, slug: str) -> StackDetail:
    stack = session.exec(select(Stack).where(Stack.slug == slug, published_stack())).first()
    if stack is None:
        raise NotFound("We couldn't find that stack. It may have been renamed or retired.")
    credentials = session.exec(
        _published_credentials()
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
