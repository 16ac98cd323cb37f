"""The coach's dashboard as the page shows it: a cell per member × credential (its
state, last activity and attempt), a row per member with their summary and the nudge
that fits them, the stacks as column groups, and the page. Built by coach/progress.py;
no queries here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from server.labels import PROGRESS_LABELS
from server.models import Credential, SubmissionStatus, User


class CellState(StrEnum):
    """A member's standing at one credential, as the coach's table shows it (a CSS class
    too): in review counts as submitted, and an attempt never started is its own state."""

    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    NOT_YET = "not_yet"
    EARNED = "earned"


STATE_OF_STATUS = {
    SubmissionStatus.DRAFT.value: CellState.DRAFT,
    SubmissionStatus.SUBMITTED.value: CellState.SUBMITTED,
    SubmissionStatus.IN_REVIEW.value: CellState.SUBMITTED,
    SubmissionStatus.NOT_YET.value: CellState.NOT_YET,
    SubmissionStatus.AWARDED.value: CellState.EARNED,
}


@dataclass(frozen=True)
class Cell:
    state: str
    last_activity: datetime | None = None
    submission_id: int | None = None

    @property
    def label(self) -> str:
        return PROGRESS_LABELS[self.state]


NOT_STARTED = Cell(CellState.NOT_STARTED)


IN_PROGRESS = frozenset({CellState.DRAFT, CellState.SUBMITTED, CellState.NOT_YET})


@dataclass
class MemberRow:
    user: User
    joined_at: datetime
    cells: dict[int, Cell] = field(default_factory=dict)
    last_activity: datetime | None = None
    flags: set[str] = field(default_factory=set)
    credit_hours: float = 0.0  # of the credentials earned
    nudges: int = 0  # from this cohort's coach
    last_nudge: datetime | None = None

    def cell(self, credential_id: int) -> Cell:
        return self.cells.get(credential_id, NOT_STARTED)

    @property
    def earned(self) -> int:
        return sum(1 for c in self.cells.values() if c.state == CellState.EARNED)

    @property
    def in_progress(self) -> int:
        return sum(1 for c in self.cells.values() if c.state in IN_PROGRESS)

    @property
    def nudge_template(self) -> str:
        """The nudge that fits where this person is (a key of nudges.TEMPLATES): answer
        a "not yet" first, then finish a draft; someone only waiting for a decision is
        told to hang in there; someone with nothing open is invited to start one."""
        states = {c.state for c in self.cells.values()}
        for state, template in (
            (CellState.NOT_YET, "not_yet"),
            (CellState.DRAFT, "draft"),
            (CellState.SUBMITTED, "waiting"),
        ):
            if state in states:
                return template
        return "start"


@dataclass(frozen=True)
class StackColumns:
    title: str
    credentials: list[Credential]


@dataclass
class Dashboard:
    stacks: list[StackColumns]
    rows: list[MemberRow]
    counts: dict[str, int]
    active_filter: str
    page: int = 1
    per_page: int | None = None  # None: every member on one page
    more: bool = False  # another page follows

    @property
    def credentials(self) -> list[Credential]:
        return [c for stack in self.stacks for c in stack.credentials]

    @property
    def first(self) -> int:
        """The position of the page's first row among the filter's members (1-based)."""
        return (self.page - 1) * (self.per_page or 0) + 1

    @property
    def paged(self) -> bool:
        return self.page > 1 or self.more
