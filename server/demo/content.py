"""The demo catalog: stack files (server/demo/stacks/*.json, the format admins export and
import, see admin/authoring_transfer.py) read and checked like an import, in catalog
order (the files' number prefix). `seed-demo` loads them as the shared library."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

STACK_FILES = Path(__file__).resolve().parent / "stacks"


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
    # Imported here: the admin area imports the catalog, which the demo must not need first.
    from server.admin.authoring_transfer import parse

    stacks = []
    for path in sorted(STACK_FILES.glob("*.json"), key=lambda p: int(p.name.split("-", 1)[0])):
        slug, stack, credentials = parse(path.read_bytes())
        stacks.append(
            StackContent(
                slug=slug,
                title=stack.title,
                category=stack.category,
                summary=stack.summary,
                credentials=tuple(
                    CredentialContent(
                        slug=credential_slug,
                        title=c.title,
                        competency=c.competency,
                        key_method=c.key_method,
                        components=tuple(c.method_components.splitlines()),
                        research=c.research,
                        resources=tuple(c.resources.splitlines()),
                        requirements=tuple(
                            Requirement(r.kind, r.prompt, int(r.min_count), int(r.max_count))
                            for r in c.requirements
                        ),
                        criteria=tuple(
                            Criterion(k.title, k.met_descriptor, k.not_yet_descriptor)
                            for k in c.criteria
                        ),
                        points=int(c.points),
                        credit_hours=float(c.credit_hours),
                    )
                    for credential_slug, c in credentials
                ),
            )
        )
    return tuple(stacks)
