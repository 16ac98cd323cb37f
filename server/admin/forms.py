"""Admin forms that check every field at once: each problem is reported next to its field
(FormInvalid.errors), and nothing is saved while any remains."""

from __future__ import annotations

from collections.abc import Mapping

from server.errors import InvalidInput

CHECK_FIELDS = "Please check the fields marked below: nothing was saved."


class FormInvalid(InvalidInput):
    """422 with one message per field name."""

    def __init__(self, errors: Mapping[str, str]):
        super().__init__(CHECK_FIELDS, field=next(iter(errors), None))
        self.errors = dict(errors)


def whole_number(
    form: Mapping[str, str],
    name: str,
    errors: dict[str, str],
    *,
    low: int,
    high: int,
) -> int:
    """The field as a whole number from `low` to `high`; else an error for it (and 0)."""
    text = (form.get(name) or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(high)):
        errors[name] = f"Enter a whole number from {low} to {high}."
        return 0
    number = int(text)
    if not low <= number <= high:
        errors[name] = f"Enter a whole number from {low} to {high}."
    return number
