"""Credential versions: what a credential said at each published version, and the diff
between two versions for the history page.

The live rows always describe the newest version. Requirements and criteria carry the
range of versions they belong to (added_in ≤ v < removed_in, see catalog.in_version), so an
attempt started on version 1 is captured and reviewed against version 1's rows even
after version 2 exists. Each published version's text is also kept as a JSON snapshot in
CredentialVersion, which the history page diffs (difflib over a plain-text rendering).
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from server.catalog.service import criteria_for, requirements_for
from server.models import Credential, CredentialVersion, User

TEXT_FIELDS = (
    "title",
    "competency",
    "key_method",
    "method_components",
    "research",
    "resources",
)


def snapshot(*, session: Session, credential: Credential, version: int | None = None) -> dict:
    """The credential's content at `version` (default: the live one), ids left out."""
    assert credential.id is not None
    return {
        **{name: getattr(credential, name) for name in TEXT_FIELDS},
        "points": credential.points,
        "credit_hours": credential.credit_hours,
        "requirements": [
            {
                "kind": r.kind,
                "prompt": r.prompt,
                "min_count": r.min_count,
                "max_count": r.max_count,
                "min_words": r.min_words,
                "max_words": r.max_words,
            }
            for r in requirements_for(session=session, credential_id=credential.id, version=version)
        ],
        "criteria": [
            {
                "title": c.title,
                "met_descriptor": c.met_descriptor,
                "not_yet_descriptor": c.not_yet_descriptor,
            }
            for c in criteria_for(session=session, credential_id=credential.id, version=version)
        ],
    }


def keep(*, session: Session, credential: Credential, actor: User | None) -> None:
    """Store the live version's snapshot unless it is stored already."""
    exists = session.exec(
        select(CredentialVersion.id).where(
            CredentialVersion.credential_id == credential.id,
            CredentialVersion.version == credential.version,
        )
    ).first()
    if exists is None:
        session.add(
            CredentialVersion(
                credential_id=credential.id,
                version=credential.version,
                snapshot=json.dumps(snapshot(session=session, credential=credential)),
                created_by=actor.id if actor else None,
            )
        )
        session.flush()


@dataclass
class VersionEntry:
    version: int
    created_at: datetime
    author: str
    diff: list[str]  # unified diff lines against the version before ([] for the first)


def history(*, session: Session, credential: Credential) -> list[VersionEntry]:
    """Every kept version, newest first, each with what changed since the one before."""
    rows = session.exec(
        select(CredentialVersion, User.display_name)
        .join(User, User.id == CredentialVersion.created_by, isouter=True)
        .where(CredentialVersion.credential_id == credential.id)
        .order_by(CredentialVersion.version)
    ).all()
    entries: list[VersionEntry] = []
    before: tuple[int, list[str]] | None = None
    for row, author in rows:
        text = as_text(json.loads(row.snapshot))
        diff = (
            list(
                difflib.unified_diff(
                    before[1], text, f"version {before[0]}", f"version {row.version}", lineterm=""
                )
            )[2:]
            if before
            else []
        )
        entries.append(VersionEntry(row.version, row.created_at, author or "Someone", diff))
        before = (row.version, text)
    return entries[::-1]


def as_text(data: dict[str, Any]) -> list[str]:
    """A snapshot as lines a person can diff: one labelled block per field and row."""
    lines = []
    for name in TEXT_FIELDS:
        lines.append(f"{name.replace('_', ' ').capitalize()}:")
        lines.extend(f"  {line}" for line in str(data.get(name) or "").splitlines())
    lines.append(f"Points: {data.get('points')}")
    lines.append(f"Credit hours: {data.get('credit_hours')}")
    for n, r in enumerate(data.get("requirements", []), start=1):
        words = ""
        if r.get("min_words") or r.get("max_words"):
            words = f", words {r.get('min_words') or 0}–{r.get('max_words') or 'any'}"
        lines.append(
            f"Evidence {n} ({r['kind']}, {r['min_count']}–{r['max_count']}{words}): {r['prompt']}"
        )
    for n, c in enumerate(data.get("criteria", []), start=1):
        lines.append(f"Criterion {n}: {c['title']}")
        lines.append(f"  Met: {c['met_descriptor']}")
        lines.append(f"  Not yet: {c['not_yet_descriptor']}")
    return lines
