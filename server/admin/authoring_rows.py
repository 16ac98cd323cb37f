"""The rows of a credential's form written to the database: requirements and criteria
checked against the credential's live rows, then kept, updated or added by version. A
draft is edited in place; once offered, a changed or removed row is closed at the new
version and never deleted (attempts and awards keep the version they started with). No
Flask here."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from server.admin.authoring_forms import CredentialInput, FormInvalid
from server.models import Credential, CredentialStatus, EvidenceRequirement, RubricCriterion

Rows = tuple[list[EvidenceRequirement], list[RubricCriterion]]


def check_row_ids(data: CredentialInput, current: Rows) -> None:
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


def adopt_ids(data: CredentialInput, current: Rows) -> None:
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


def write_rows(
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
