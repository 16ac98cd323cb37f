"""What the admin's analytics report holds: the period it covers (UTC calendar days and
months, checked at the edge) and the figures per credential, criterion, assessor, cohort
and month. The queries that fill it are in analytics.py; no Flask here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import and_

from server.errors import InvalidInput
from server.models import Org, Submission, User, utcnow
from server.transcript.service import SCHOOL_YEAR_STARTS, school_year_label, school_year_of

# --- the period ---------------------------------------------------------------------

PERIODS = {
    "12m": "Last 12 months",
    "90d": "Last 90 days",
    "school-year": "This school year",
    "last-school-year": "Last school year",
}
DEFAULT_PERIOD = "12m"
BAD_PERIOD = "Choose one of the periods in the list."


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    start: datetime  # included, UTC
    end: datetime  # excluded, UTC

    @property
    def months(self) -> list[tuple[int, int]]:
        """Every (year, month) the period touches, in order."""
        year, month = self.start.year, self.start.month
        last = self.end - timedelta(microseconds=1)
        found = []
        while (year, month) <= (last.year, last.month):
            found.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found


def parse_period(text: str | None, *, now: datetime | None = None) -> Period:
    """The period named by `text` (the default when absent); InvalidInput otherwise."""
    key = DEFAULT_PERIOD if text is None or text == "" else text
    if key not in PERIODS:
        raise InvalidInput(BAD_PERIOD, field="period")
    now = (now or utcnow()).astimezone(UTC)
    today = now.date()
    if key == "12m":
        first = _add_months(date(today.year, today.month, 1), -11)
        start, end = _midnight(first), now
    elif key == "90d":
        start, end = _midnight(today - timedelta(days=89)), now
    else:
        year = school_year_of(today) - (1 if key == "last-school-year" else 0)
        start = _midnight(date(year, SCHOOL_YEAR_STARTS, 1))
        end = _midnight(date(year + 1, SCHOOL_YEAR_STARTS, 1)) if key != "school-year" else now
        return Period(key, f"{PERIODS[key]} ({school_year_label(year)})", start, end)
    return Period(key, PERIODS[key], start, end)


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


# --- the report -------------------------------------------------------------------


@dataclass
class CredentialStats:
    id: int
    title: str
    attempts: int = 0
    first_decided: int = 0
    first_awarded: int = 0
    not_yet: int = 0
    resubmitted: int = 0
    people_decided: int = 0
    people_awarded: int = 0
    median_hours: float | None = None
    p90_hours: float | None = None
    waiting: int = 0
    oldest_waiting: datetime | None = None

    @property
    def first_try_rate(self) -> float | None:
        return _rate(self.first_awarded, self.first_decided)

    @property
    def resubmission_rate(self) -> float | None:
        return _rate(self.resubmitted, self.not_yet)

    @property
    def eventual_rate(self) -> float | None:
        return _rate(self.people_awarded, self.people_decided)


@dataclass(frozen=True)
class CriterionStats:
    credential: str
    title: str
    scored: int
    not_met: int

    @property
    def not_yet_rate(self) -> float | None:
        return _rate(self.not_met, self.scored)


@dataclass(frozen=True)
class AssessorLoad:
    name: str
    decisions: int
    awarded: int
    not_yet: int


@dataclass(frozen=True)
class CohortFunnel:
    name: str
    members: int
    started: int
    submitted: int
    awarded: int
    stalled: int


@dataclass(frozen=True)
class MonthHours:
    year: int
    month: int
    awards: int
    hours: float

    @property
    def label(self) -> str:
        return date(self.year, self.month, 1).strftime("%b %Y")


@dataclass
class Report:
    period: Period
    now: datetime
    credentials: list[CredentialStats] = field(default_factory=list)
    criteria: list[CriterionStats] = field(default_factory=list)
    assessors: list[AssessorLoad] = field(default_factory=list)
    cohorts: list[CohortFunnel] = field(default_factory=list)
    months: list[MonthHours] = field(default_factory=list)

    @property
    def funnel(self) -> tuple[int, int, int]:
        """started, submitted, awarded summed over the district's cohorts."""
        return (
            sum(c.started for c in self.cohorts),
            sum(c.submitted for c in self.cohorts),
            sum(c.awarded for c in self.cohorts),
        )

    @property
    def empty(self) -> bool:
        return not (self.credentials or self.cohorts or any(m.awards for m in self.months))


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# --- the district's rows in the period ---------------------------------------------


def in_district(org: Org) -> Any:
    return and_(User.id == Submission.user_id, User.org_id == org.id)


def submitted_in(period: Period) -> tuple[Any, ...]:
    return (Submission.submitted_at >= period.start, Submission.submitted_at < period.end)
