"""The catalog's listing and search: published stacks in catalog order (all, the first
few, or those matching search words and a category), credentials matching the words, and
the categories to filter by. What counts as published is catalog/service.py's rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, select

from server.catalog.service import published_credential, published_credentials, published_stack
from server.models import Credential, Stack

MAX_QUERY_LENGTH = 100


@dataclass
class StackCard:
    stack: Stack
    credential_titles: list[str] = field(default_factory=list)

    @property
    def credential_count(self) -> int:
        return len(self.credential_titles)


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
        published_credentials()
        .where(Credential.stack_id.in_(cards.keys()))
        .order_by(Credential.position, Credential.title)
    ).all()
    for credential in credentials:
        cards[credential.stack_id].credential_titles.append(credential.title)
    return list(cards.values())
