"""What an admin typed into the stack and credential forms (or an imported JSON file),
checked field by field. No Flask here: forms arrive as plain mappings of strings.

Errors are keyed by the form field's name (`title`, `req-0-prompt`, `crit-2-met`), so the
page shows each message next to its field; nothing is saved while any error stands.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from server.errors import InvalidInput
from server.models import EvidenceKind
from server.review.modes import MODE_LABELS

KINDS = tuple(kind.value for kind in EvidenceKind)
MAX_ROWS = 20
MAX_COUNT = 20
MAX_WORDS = 20000
MAX_POINTS = 1000
MAX_HOURS = 100.0
_ROW = re.compile(r"^(req|crit)-(\d{1,3})-")


class FormInvalid(InvalidInput):
    """Several fields are wrong at once; `errors` maps each field name to its message."""

    def __init__(self, errors: dict[str, str]):
        first = next(iter(errors.values()), "Please check the form.")
        super().__init__(first)
        self.errors = errors


@dataclass
class StackInput:
    title: str = ""
    summary: str = ""
    category: str = ""
    listed: bool = False


@dataclass
class RequirementInput:
    id: int | None = None
    kind: str = EvidenceKind.PHOTO.value
    prompt: str = ""
    min_count: int | str = 1
    max_count: int | str = 1
    min_words: int | str | None = None
    max_words: int | str | None = None

    def content(self) -> tuple:
        return (
            self.kind,
            self.prompt,
            self.min_count,
            self.max_count,
            self.min_words,
            self.max_words,
        )


@dataclass
class CriterionInput:
    id: int | None = None
    title: str = ""
    met_descriptor: str = ""
    not_yet_descriptor: str = ""

    def content(self) -> tuple:
        return (self.title, self.met_descriptor, self.not_yet_descriptor)


@dataclass
class CredentialInput:
    title: str = ""
    competency: str = ""
    key_method: str = ""
    method_components: str = ""
    research: str = ""
    resources: str = ""
    points: int | str = 100
    credit_hours: float | str = 1.0
    scoring_mode: str = ""  # a ScoringMode, or "" for the district's (review/modes.py)
    requirements: list[RequirementInput] = field(default_factory=list)
    criteria: list[CriterionInput] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- reading a submitted form -----------------------------------------------------------


def _text(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name)
    return without_nul(value).replace("\r\n", "\n").strip() if isinstance(value, str) else ""


def without_nul(text: str) -> str:
    """PostgreSQL refuses NUL inside text (a 500): it never means anything here."""
    return text.replace("\x00", "")


def _row_indexes(form: Mapping[str, Any], prefix: str) -> list[int]:
    found = set()
    for key in form:
        match = _ROW.match(key)
        if match and match.group(1) == prefix:
            found.add(int(match.group(2)))
    return sorted(found)


def _row_id(form: Mapping[str, Any], name: str) -> int | None:
    value = _text(form, name)
    return int(value) if value.isdigit() else None


def stack_from_form(form: Mapping[str, Any]) -> StackInput:
    return StackInput(
        title=_text(form, "title"),
        summary=_text(form, "summary"),
        category=_text(form, "category"),
        listed=bool(form.get("listed")),
    )


def credential_from_form(form: Mapping[str, Any]) -> CredentialInput:
    """The typed values, unchecked (numbers stay text until validate_credential)."""
    return CredentialInput(
        title=_text(form, "title"),
        competency=_text(form, "competency"),
        key_method=_text(form, "key_method"),
        method_components=_text(form, "method_components"),
        research=_text(form, "research"),
        resources=_text(form, "resources"),
        points=_text(form, "points"),
        credit_hours=_text(form, "credit_hours"),
        scoring_mode=_text(form, "scoring_mode"),
        requirements=[
            RequirementInput(
                id=_row_id(form, f"req-{i}-id"),
                kind=_text(form, f"req-{i}-kind"),
                prompt=_text(form, f"req-{i}-prompt"),
                min_count=_text(form, f"req-{i}-min_count"),
                max_count=_text(form, f"req-{i}-max_count"),
                min_words=_text(form, f"req-{i}-min_words") or None,
                max_words=_text(form, f"req-{i}-max_words") or None,
            )
            for i in _row_indexes(form, "req")[:MAX_ROWS]
        ],
        criteria=[
            CriterionInput(
                id=_row_id(form, f"crit-{i}-id"),
                title=_text(form, f"crit-{i}-title"),
                met_descriptor=_text(form, f"crit-{i}-met"),
                not_yet_descriptor=_text(form, f"crit-{i}-not_yet"),
            )
            for i in _row_indexes(form, "crit")[:MAX_ROWS]
        ],
    )


# --- checking ---------------------------------------------------------------------------


def _required(errors: dict[str, str], name: str, value: str, label: str, limit: int) -> None:
    if not value:
        errors[name] = f"Enter {label}."
    elif len(value) > limit:
        errors[name] = f"Keep {label} under {limit} characters (it has {len(value)})."


def _optional(errors: dict[str, str], name: str, value: str, label: str, limit: int) -> None:
    if len(value) > limit:
        errors[name] = f"Keep {label} under {limit} characters (it has {len(value)})."


def _whole(
    errors: dict[str, str], name: str, value: Any, label: str, low: int, high: int
) -> int | None:
    text = str(value).strip() if value is not None else ""
    if text.lstrip("-").isdigit() and len(text) <= 7 and low <= int(text) <= high:
        return int(text)
    errors[name] = f"{label} must be a whole number from {low} to {high}."
    return None


def validate_stack(data: StackInput) -> StackInput:
    errors: dict[str, str] = {}
    _required(errors, "title", data.title, "a title", 200)
    _optional(errors, "summary", data.summary, "the summary", 2000)
    _optional(errors, "category", data.category, "the category", 80)
    if errors:
        raise FormInvalid(errors)
    return data


def validate_credential(data: CredentialInput) -> CredentialInput:
    """The same input with numbers as numbers; FormInvalid listing every wrong field."""
    errors: dict[str, str] = {}
    _required(errors, "title", data.title, "a title", 200)
    _required(errors, "competency", data.competency, "the competency", 2000)
    _required(errors, "key_method", data.key_method, "the key method", 5000)
    _optional(errors, "method_components", data.method_components, "the components", 5000)
    _optional(errors, "research", data.research, "the research", 20000)
    _optional(errors, "resources", data.resources, "the resources", 5000)
    points = _whole(errors, "points", data.points, "Points", 0, MAX_POINTS)
    hours = _hours(errors, data.credit_hours)
    if data.scoring_mode and data.scoring_mode not in MODE_LABELS:
        errors["scoring_mode"] = "Choose the district's default, single assessor or double blind."
    if not data.requirements:
        errors["requirements"] = "Add at least one piece of evidence to ask for."
    if not data.criteria:
        errors["criteria"] = "Add at least one rubric criterion."
    requirements = [_requirement(errors, i, r) for i, r in enumerate(data.requirements)]
    criteria = [_criterion(errors, i, c) for i, c in enumerate(data.criteria)]
    _no_repeated_ids(errors, "req", [r.id for r in requirements])
    _no_repeated_ids(errors, "crit", [c.id for c in criteria])
    if errors:
        raise FormInvalid(errors)
    assert points is not None and hours is not None
    return replace(
        data, points=points, credit_hours=hours, requirements=requirements, criteria=criteria
    )


def _hours(errors: dict[str, str], value: Any) -> float | None:
    try:
        hours = float(str(value).strip())
    except ValueError:
        hours = math.nan
    if math.isfinite(hours) and 0 <= hours <= MAX_HOURS:
        return round(hours, 2)
    errors["credit_hours"] = f"Credit hours must be a number from 0 to {MAX_HOURS:g}, like 1.5."
    return None


def _requirement(errors: dict[str, str], i: int, row: RequirementInput) -> RequirementInput:
    name = f"req-{i}"
    if row.kind not in KINDS:
        errors[f"{name}-kind"] = "Choose what kind of evidence this is."
    _required(errors, f"{name}-prompt", row.prompt, "what to submit", 2000)
    least = _whole(errors, f"{name}-min_count", row.min_count, "At least", 0, MAX_COUNT)
    most = _whole(errors, f"{name}-max_count", row.max_count, "At most", 1, MAX_COUNT)
    if least is not None and most is not None and most < least:
        errors[f"{name}-max_count"] = "At most can't be fewer than at least."
    words: list[int | None] = [None, None]
    for n, (key, value) in enumerate((("min_words", row.min_words), ("max_words", row.max_words))):
        if value in (None, ""):
            continue
        label = "Fewest words" if n == 0 else "Most words"
        words[n] = _whole(errors, f"{name}-{key}", value, label, 1, MAX_WORDS)
        if row.kind != EvidenceKind.TEXT.value:
            errors[f"{name}-{key}"] = "A word range applies to written (text) evidence only."
    if words[0] is not None and words[1] is not None and words[1] < words[0]:
        errors[f"{name}-max_words"] = "Most words can't be fewer than fewest words."
    return RequirementInput(
        id=row.id,
        kind=row.kind,
        prompt=row.prompt,
        min_count=least if least is not None else 0,
        max_count=most if most is not None else 1,
        min_words=words[0],
        max_words=words[1],
    )


def _criterion(errors: dict[str, str], i: int, row: CriterionInput) -> CriterionInput:
    name = f"crit-{i}"
    _required(errors, f"{name}-title", row.title, "the criterion", 200)
    _required(errors, f"{name}-met", row.met_descriptor, "what “met” looks like", 2000)
    _required(errors, f"{name}-not_yet", row.not_yet_descriptor, "what “not yet” looks like", 2000)
    return row


def _no_repeated_ids(errors: dict[str, str], prefix: str, ids: list[int | None]) -> None:
    seen: set[int] = set()
    for i, row_id in enumerate(ids):
        if row_id is not None and row_id in seen:
            errors[f"{prefix}-{i}-id"] = "This row appears twice; reload the page and try again."
        if row_id is not None:
            seen.add(row_id)


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60].strip("-") or "untitled"
