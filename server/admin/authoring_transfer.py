"""A stack as one JSON file, to share between districts. No Flask here.

Export writes the stack and the live version of each of its credentials (no ids, no
status). Import checks the whole file first (clear messages naming where a problem is),
then, in one transaction: into the district's stack of the same slug when there is one
(a credential of the same slug there is edited: a new version when published), else into
a new unlisted stack; new credentials arrive as drafts.
"""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, or_, select

from server.admin import audit, authoring
from server.admin.authoring_forms import (
    CredentialInput,
    CriterionInput,
    FormInvalid,
    RequirementInput,
    StackInput,
    validate_credential,
    validate_stack,
    without_nul,
)
from server.admin.authoring_versions import TEXT_FIELDS, snapshot
from server.errors import InvalidInput
from server.models import Credential, Org, Stack, User

FORMAT = "chalkmark-stack"
FORMAT_VERSION = 1
MAX_BYTES = 2_000_000
MAX_CREDENTIALS = 50


def export_stack(*, session: Session, stack: Stack) -> dict[str, Any]:
    credentials = session.exec(
        select(Credential)
        .where(Credential.stack_id == stack.id)
        .order_by(Credential.position, Credential.title)
    ).all()
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "stack": {
            "slug": stack.slug,
            "title": stack.title,
            "summary": stack.summary,
            "category": stack.category,
        },
        "credentials": [
            {"slug": c.slug, **snapshot(session=session, credential=c)} for c in credentials
        ],
    }


def parse(raw: bytes) -> tuple[str, StackInput, list[tuple[str, CredentialInput]]]:
    """The file checked whole: InvalidInput (field "file") saying where it's wrong."""
    if not raw:
        raise InvalidInput("Choose a stack file (.json) to import.", field="file")
    if len(raw) > MAX_BYTES:
        raise InvalidInput(
            "That file is larger than 2 MB; a stack file is far smaller.", field="file"
        )
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InvalidInput("That file isn't UTF-8 text; export it again.", field="file") from None
    except json.JSONDecodeError as error:
        raise InvalidInput(
            f"That file isn't valid JSON (line {error.lineno}, column {error.colno}: {error.msg}).",
            field="file",
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidInput(
            f'That isn\'t a Chalkmark stack file (it needs "format": "{FORMAT}").', field="file"
        )
    if data.get("format_version") != FORMAT_VERSION:
        raise InvalidInput(
            f"This file's format_version is {data.get('format_version')!r}; this Chalkmark "
            f"reads version {FORMAT_VERSION}.",
            field="file",
        )
    stack = _object(data.get("stack"), "stack")
    stack_input = StackInput(
        title=_string(stack, "title", "stack"),
        summary=_string(stack, "summary", "stack"),
        category=_string(stack, "category", "stack"),
    )
    _checked("stack", lambda: validate_stack(stack_input))
    credentials = data.get("credentials")
    if not isinstance(credentials, list):
        raise InvalidInput('"credentials" must be a list.', field="file")
    if len(credentials) > MAX_CREDENTIALS:
        raise InvalidInput(
            f"A stack file holds at most {MAX_CREDENTIALS} credentials.", field="file"
        )
    parsed = []
    for n, raw_credential in enumerate(credentials, start=1):
        where = f"credential {n}"
        item = _object(raw_credential, where)
        entry = _credential_input(item, where)
        clean = _checked(
            f"{where} ({entry.title or 'untitled'})", lambda e=entry: validate_credential(e)
        )
        parsed.append((_string(item, "slug", where), clean))
    return _string(stack, "slug", "stack"), stack_input, parsed


def _object(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise InvalidInput(f"{where.capitalize()} must be an object {{…}}.", field="file")
    return value


def _string(item: dict, key: str, where: str) -> str:
    value = item.get(key, "")
    if not isinstance(value, str):
        raise InvalidInput(f'{where.capitalize()}: "{key}" must be text.', field="file")
    return without_nul(value).strip()


def _scalar(item: dict, key: str, where: str) -> Any:
    value = item.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float, str, type(None))):
        raise InvalidInput(f'{where.capitalize()}: "{key}" must be a number.', field="file")
    return "" if value is None else value


def _list(item: dict, key: str, where: str) -> list[dict]:
    value = item.get(key)
    if not isinstance(value, list):
        raise InvalidInput(f'{where.capitalize()}: "{key}" must be a list.', field="file")
    return [_object(row, f"{where}, {key} {n}") for n, row in enumerate(value, start=1)]


def _credential_input(item: dict, where: str) -> CredentialInput:
    return CredentialInput(
        **{name: _string(item, name, where) for name in TEXT_FIELDS},
        points=_scalar(item, "points", where),
        credit_hours=_scalar(item, "credit_hours", where),
        requirements=[
            RequirementInput(
                kind=_string(r, "kind", where),
                prompt=_string(r, "prompt", where),
                min_count=_scalar(r, "min_count", where),
                max_count=_scalar(r, "max_count", where),
                min_words=_scalar(r, "min_words", where) or None,
                max_words=_scalar(r, "max_words", where) or None,
            )
            for r in _list(item, "requirements", where)
        ],
        criteria=[
            CriterionInput(
                title=_string(c, "title", where),
                met_descriptor=_string(c, "met_descriptor", where),
                not_yet_descriptor=_string(c, "not_yet_descriptor", where),
            )
            for c in _list(item, "criteria", where)
        ],
    )


def _checked(where: str, check):
    try:
        return check()
    except FormInvalid as error:
        field, message = next(iter(error.errors.items()))
        raise InvalidInput(
            f"{where.capitalize()}, {_field_label(field)}: {message}", field="file"
        ) from None


def _field_label(field: str) -> str:
    parts = field.split("-")
    if parts[0] in {"req", "crit"} and len(parts) == 3:
        noun = "evidence" if parts[0] == "req" else "criterion"
        return f"{noun} {int(parts[1]) + 1} {parts[2].replace('_', ' ')}"
    return field.replace("_", " ")


def import_stack(*, session: Session, org: Org, actor: User, raw: bytes) -> Stack:
    slug, stack_input, credentials = parse(raw)
    # The district's stack with the file's slug, or its title (a copy took a new slug).
    stack = session.exec(
        select(Stack)
        .where(Stack.org_id == org.id, or_(Stack.slug == slug, Stack.title == stack_input.title))
        .order_by(Stack.slug != slug, Stack.id)
    ).first()
    if stack is None:
        stack = authoring.save_stack(session=session, org=org, actor=actor, data=stack_input)
    rows = session.exec(select(Credential).where(Credential.stack_id == stack.id)).all()
    by_slug = {c.slug: c for c in rows}
    by_title = {c.title: c for c in rows}
    for credential_slug, data in credentials:
        match = by_slug.get(credential_slug) or by_title.get(data.title)
        if match is not None:
            authoring.edit_credential(
                session=session, org=org, actor=actor, credential_id=match.id, data=data
            )
        else:
            authoring.create_credential(
                session=session, org=org, actor=actor, stack_id=stack.id, data=data
            )
    audit.record(
        session=session,
        org=org,
        actor=actor,
        action="imported stack",
        target=f"{stack.title} ({len(credentials)} credentials)",
    )
    return stack
