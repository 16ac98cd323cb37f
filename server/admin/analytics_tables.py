"""The analytics report as tables: the page's number formats and the rows of each CSV
download (the same figures, machine-readable: rates as fractions, durations in hours)."""

from __future__ import annotations

from datetime import datetime

from server.admin.analytics_report import Report


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f} %"


def duration(hours: float | None) -> str:
    if hours is None:
        return "—"
    if hours < 48:
        return f"{hours:.1f} h"
    return f"{hours / 24:.1f} days"


def age(moment: datetime | None, now: datetime) -> str:
    return "—" if moment is None else duration((now - moment).total_seconds() / 3600)


def _csv_rate(value: float | None) -> object:
    return "" if value is None else round(value, 4)


def _csv_hours(value: float | None) -> object:
    return "" if value is None else round(value, 2)


def _table_credentials(rep: Report) -> tuple[list[str], list[list[object]]]:
    header = [
        "credential",
        "attempts",
        "first_try_award_rate",
        "resubmission_rate_after_not_yet",
        "eventual_award_rate",
        "median_turnaround_hours",
        "p90_turnaround_hours",
        "waiting_now",
        "oldest_waiting_hours",
    ]
    rows = [
        [
            c.title,
            c.attempts,
            _csv_rate(c.first_try_rate),
            _csv_rate(c.resubmission_rate),
            _csv_rate(c.eventual_rate),
            _csv_hours(c.median_hours),
            _csv_hours(c.p90_hours),
            c.waiting,
            _csv_hours(
                (rep.now - c.oldest_waiting).total_seconds() / 3600 if c.oldest_waiting else None
            ),
        ]
        for c in rep.credentials
    ]
    return header, rows


def _table_criteria(rep: Report) -> tuple[list[str], list[list[object]]]:
    header = ["credential", "criterion", "reviews", "not_met", "not_yet_rate"]
    rows = [
        [c.credential, c.title, c.scored, c.not_met, _csv_rate(c.not_yet_rate)]
        for c in rep.criteria
    ]
    return header, rows


def _table_assessors(rep: Report) -> tuple[list[str], list[list[object]]]:
    header = ["assessor", "decisions", "awarded", "not_yet"]
    return header, [[a.name, a.decisions, a.awarded, a.not_yet] for a in rep.assessors]


def _table_cohorts(rep: Report) -> tuple[list[str], list[list[object]]]:
    header = ["cohort", "members", "started", "submitted", "awarded", "stalled"]
    rows = [[c.name, c.members, c.started, c.submitted, c.awarded, c.stalled] for c in rep.cohorts]
    return header, rows


def _table_hours(rep: Report) -> tuple[list[str], list[list[object]]]:
    header = ["month", "awards", "credit_hours"]
    rows = [[f"{m.year}-{m.month:02d}", m.awards, round(m.hours, 2)] for m in rep.months]
    return header, rows


TABLES = {
    "credentials": _table_credentials,
    "criteria": _table_criteria,
    "assessors": _table_assessors,
    "cohorts": _table_cohorts,
    "hours": _table_hours,
}


def table(rep: Report, name: str) -> tuple[list[str], list[list[object]]]:
    return TABLES[name](rep)
