"""Reading a roster CSV: bytes → validated rows, each with its line number and what is
wrong with it. No database and no Flask here (roster.py decides what each row does).

Columns are found by header name (any case, any order; extra columns are ignored).
Spreadsheets save UTF-8 (often with a byte-order mark) or, on Windows, Windows-1252:
UTF-8 is tried first, then Windows-1252.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, replace

from server.auth.service import MAX_NAME, clean_display_name, clean_email
from server.errors import InvalidInput, TooLarge
from server.models import Role

MAX_BYTES = 5 * 1024 * 1024  # about 50,000 rows of a usual roster
MAX_ROWS = 20_000
REQUIRED = ("name", "email", "role")
OPTIONAL = ("school", "cohort")
MAX_SCHOOL, MAX_COHORT = 200, 120
ROLE_SEPARATORS = re.compile(r"[;,/|+]|\s+and\s+|\s+")
ROLE_WORDS = ", ".join(r.value for r in Role)

TOO_LARGE = (
    f"That file is larger than {MAX_BYTES // (1024 * 1024)} MB. Split the roster into "
    "smaller files (each is imported on its own, and importing a file twice changes nothing)."
)
NOT_TEXT = (
    "We couldn't read that file as text. Save it from your spreadsheet as "
    "“CSV UTF-8” (or plain CSV) and upload it again."
)


@dataclass(frozen=True)
class RosterRow:
    line: int
    name: str
    email: str
    school: str
    roles: tuple[str, ...]
    cohort: str
    error: str = ""  # what is wrong with the row; empty when it is fine

    def as_json(self) -> list:
        """Compact (a list, not a dict): 10,000 rows are stored and read back quickly."""
        return [self.line, self.name, self.email, self.school, self.roles, self.cohort, self.error]

    @classmethod
    def from_json(cls, data: list) -> RosterRow:
        line, name, email, school, roles, cohort, error = data
        return cls(line, name, email, school, tuple(roles), cohort, error)


def decode(data: bytes) -> io.TextIOWrapper:
    """The file as text: UTF-8 (a byte-order mark dropped) or else Windows-1252."""
    if len(data) > MAX_BYTES:
        raise TooLarge(TOO_LARGE, field="file")
    if b"\x00" in data:
        raise InvalidInput(NOT_TEXT, field="file")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            codecs.decode(data, encoding)
        except UnicodeDecodeError:
            continue
        return io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    raise InvalidInput(NOT_TEXT, field="file")


def read_rows(data: bytes) -> list[RosterRow]:
    """Every data row of the file, valid or not; InvalidInput when the file itself can't be
    used (not text, no header, a required column missing, too many rows)."""
    reader = csv.reader(decode(data))
    try:
        header = next(reader, None)
        if header is None:
            raise InvalidInput("That file is empty. Upload a CSV with a header row.", field="file")
        columns = _columns(header)
        rows: list[RosterRow] = []
        seen: dict[str, int] = {}
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue  # blank lines between blocks are common in hand-made files
            if len(rows) == MAX_ROWS:
                raise InvalidInput(
                    f"That file has more than {MAX_ROWS:,} people. Split it into smaller files.",
                    field="file",
                )
            rows.append(_row(reader.line_num, cells, columns, seen))
    except csv.Error as error:
        raise InvalidInput(
            f"Line {reader.line_num} can't be read as CSV ({error}). Check its quotes.",
            field="file",
        ) from None
    return rows


def _columns(header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        key = title.strip().lower()
        if key in REQUIRED + OPTIONAL and key not in positions:
            positions[key] = index
    missing = [name for name in REQUIRED if name not in positions]
    if missing:
        raise InvalidInput(
            f"The file has no {_and(missing)} column. The first row must name the columns: "
            f"{', '.join(REQUIRED)} (required) and {', '.join(OPTIONAL)} (optional).",
            field="file",
        )
    return positions


def _and(words: list[str]) -> str:
    quoted = [f"“{word}”" for word in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _row(line: int, cells: list[str], columns: dict[str, int], seen: dict[str, int]) -> RosterRow:
    def cell(name: str) -> str:
        index = columns.get(name)
        return " ".join(cells[index].split()) if index is not None and index < len(cells) else ""

    raw_email = cell("email")
    row = RosterRow(
        line=line,
        name=cell("name")[: MAX_NAME + 1],
        email=raw_email.lower()[:254],
        school=cell("school"),
        roles=(),
        cohort=cell("cohort"),
    )
    try:
        row = replace(row, roles=parse_roles(cell("role")))
        row = replace(row, name=_name(row.name), email=_email(raw_email))
        _limit(row.school, MAX_SCHOOL, "School")
        _limit(row.cohort, MAX_COHORT, "Cohort")
        first = seen.setdefault(row.email, line)
        if first != line:
            raise InvalidInput(f"The same email is on line {first}: each person once, please.")
    except InvalidInput as problem:
        return replace(row, error=problem.message)
    return row


def parse_roles(text: str) -> tuple[str, ...]:
    """'teacher; coach' → ('coach', 'teacher'); empty → a teacher."""
    words = [w for w in ROLE_SEPARATORS.split(text.lower()) if w]
    unknown = [w for w in words if w not in {r.value for r in Role}]
    if unknown:
        raise InvalidInput(f"Unknown role “{unknown[0][:40]}”: use {ROLE_WORDS}.")
    return tuple(sorted(set(words) or {Role.TEACHER.value}))


def _name(value: str) -> str:
    if not value:
        raise InvalidInput("The name is missing.")
    try:
        return clean_display_name(value)
    except InvalidInput:
        raise InvalidInput(f"The name is longer than {MAX_NAME} characters.") from None


def _email(value: str) -> str:
    if not value:
        raise InvalidInput("The email is missing.")
    try:
        email = clean_email(value)
    except InvalidInput:
        email = None
    if not email:
        raise InvalidInput(f"“{value[:80]}” isn't an email address.")
    return email


def _limit(value: str, most: int, label: str) -> None:
    if len(value) > most:
        raise InvalidInput(f"{label} is longer than {most} characters.")
