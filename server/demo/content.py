"""The demo catalog's shape. The text itself lives in one module per stack (each is long);
`demo_stacks()` gathers them in catalog order."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Requirement:
    kind: str  # EvidenceKind value
    prompt: str
    min_count: int = 1
    max_count: int = 1


@dataclass(frozen=True)
class Criterion:
    title: str
    met: str
    not_yet: str


@dataclass(frozen=True)
class CredentialContent:
    slug: str
    title: str
    competency: str
    key_method: str
    components: tuple[str, ...]
    research: str
    resources: tuple[str, ...]  # "Title | https://url" or just "Title"
    requirements: tuple[Requirement, ...]
    criteria: tuple[Criterion, ...]
    points: int
    credit_hours: float


@dataclass(frozen=True)
class StackContent:
    slug: str
    title: str
    category: str
    summary: str
    credentials: tuple[CredentialContent, ...]


def demo_stacks() -> tuple[StackContent, ...]:
    # Imported here, not at the top: the stack modules import the types above.
    from server.demo import (
        stack_classroom_technology,
        stack_formative_assessment,
        stack_fractions,
        stack_learning_differences,
    )

    return (
        stack_learning_differences.STACK,
        stack_fractions.STACK,
        stack_classroom_technology.STACK,
        stack_formative_assessment.STACK,
    )
