"""Ids and small integers read from URLs, forms and query strings, checked once at the edge.

Only ASCII digits count: `str.isdigit()` also accepts "²" or "①", which int() then
refuses, and int() accepts "٣" or " 7 ", which no form of ours sends. An id is 1..2^63-1,
the range of a BIGINT: a larger one would overflow the database driver (a 500), so it
is simply an id that doesn't exist.
"""

from __future__ import annotations

import re

from werkzeug.routing import BaseConverter, UnicodeConverter, ValidationError

# Every id column is an INTEGER: PostgreSQL's is 4 bytes, so a larger id must never reach
# a query (it raised "integer out of range", a 500).
MAX_ID = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")
_SIGNED = re.compile(r"-?[0-9]{1,19}")


def parse_id(value) -> int | None:
    """The id in `value`, or None when it isn't one (not digits, 0, or too large)."""
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


def parse_int(value, *, low: int = -MAX_ID, high: int = MAX_ID) -> int | None:
    """A whole number in low..high written with ASCII digits (and an optional minus)."""
    if not isinstance(value, str) or not _SIGNED.fullmatch(value):
        return None
    number = int(value)
    return number if low <= number <= high else None


def parse_ids(values) -> list[int]:
    """Every valid id in a list of strings (e.g. a form's checkboxes), bad ones dropped."""
    return [number for number in map(parse_id, values) if number is not None]


def arg_id(mapping, name: str) -> int | None:
    """`request.args` / `request.form` id: use instead of `.get(name, type=int)`."""
    return parse_id(mapping.get(name))


class BoundedIntConverter(BaseConverter):
    """Replaces Werkzeug's `int` converter app-wide, so every `<int:id>` route answers
    404 for an id outside 1..MAX_ID instead of passing it to the database."""

    regex = r"[0-9]+"
    part_isolating = True

    def __init__(self, map, *args, **kwargs) -> None:  # accepts the stock converter's options
        super().__init__(map)

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value) -> str:
        return str(int(value))


class PrintableConverter(UnicodeConverter):
    """Replaces the default string converter: a path part with a NUL or another control
    character (PostgreSQL refuses NUL in text: a 500) is no page of ours, so 404."""

    def to_python(self, value: str) -> str:
        if not value.isprintable():
            raise ValidationError()
        return value
