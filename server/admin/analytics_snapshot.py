"""The analytics snapshot cache: a district's report per period, stored as JSON text
(AnalyticsSnapshot) so a state-sized district's page does not aggregate every attempt on
each view. No Flask here.

Cache: at state scale the live aggregates take seconds (every attempt, review and rubric
score of the district), so the page reads a snapshot per district and period
(AnalyticsSnapshot) while it is younger than FRESH_FOR, and computes and stores it when
it is not; `chalkmark analytics refresh` (cron, every few minutes) keeps every district's
snapshots warm so nobody waits. The page says when its figures were computed.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from server.admin.analytics import report
from server.admin.analytics_report import (
    PERIODS,
    AssessorLoad,
    CohortFunnel,
    CredentialStats,
    CriterionStats,
    MonthHours,
    Period,
    Report,
    parse_period,
)
from server.models import AnalyticsSnapshot, Org, utcnow

SNAPSHOT_VERSION = 1
FRESH_FOR = timedelta(minutes=15)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def to_payload(rep: Report) -> str:
    return json.dumps(
        {
            "version": SNAPSHOT_VERSION,
            "period": asdict(rep.period),
            "now": rep.now,
            "credentials": [asdict(c) for c in rep.credentials],
            "criteria": [asdict(c) for c in rep.criteria],
            "assessors": [asdict(a) for a in rep.assessors],
            "cohorts": [asdict(c) for c in rep.cohorts],
            "months": [asdict(m) for m in rep.months],
        },
        default=_jsonable,
    )


def from_payload(text: str) -> Report | None:
    """The stored report; None when it was written by another version of this code."""
    try:
        data = json.loads(text)
        if data.get("version") != SNAPSHOT_VERSION:
            return None
        period = data["period"]
        credentials = [
            CredentialStats(
                **{
                    **c,
                    "oldest_waiting": datetime.fromisoformat(c["oldest_waiting"])
                    if c["oldest_waiting"]
                    else None,
                }
            )
            for c in data["credentials"]
        ]
        return Report(
            period=Period(
                period["key"],
                period["label"],
                datetime.fromisoformat(period["start"]),
                datetime.fromisoformat(period["end"]),
            ),
            now=datetime.fromisoformat(data["now"]),
            credentials=credentials,
            criteria=[CriterionStats(**c) for c in data["criteria"]],
            assessors=[AssessorLoad(**a) for a in data["assessors"]],
            cohorts=[CohortFunnel(**c) for c in data["cohorts"]],
            months=[MonthHours(**m) for m in data["months"]],
        )
    except (ValueError, KeyError, TypeError):
        return None


def cached(
    *, session: Session, org: Org, period: Period, now: datetime | None = None
) -> Report | None:
    """The district's stored report for the period while it is fresh, else None."""
    snapshot = session.get(AnalyticsSnapshot, (org.id, period.key))
    now = now or utcnow()
    if snapshot is None or snapshot.computed_at < now - FRESH_FOR:
        return None
    return from_payload(snapshot.payload)


def store(*, session: Session, org: Org, rep: Report) -> None:
    """Keep `rep` as the district's snapshot for its period (the caller commits)."""
    session.merge(
        AnalyticsSnapshot(
            org_id=org.id,
            period_key=rep.period.key,
            computed_at=rep.now,
            payload=to_payload(rep),
        )
    )


def fresh_or_live(*, session: Session, org: Org, period: Period) -> tuple[Report, bool]:
    """(report, computed now?): the fresh snapshot, or the live figures to store."""
    found = cached(session=session, org=org, period=period)
    if found is not None:
        return found, False
    return report(session=session, org=org, period=period), True


def refresh(*, session: Session, org: Org, now: datetime | None = None) -> int:
    """Recompute and store every period's snapshot for `org` (the caller commits)."""
    now = now or utcnow()
    for key in PERIODS:
        rep = report(session=session, org=org, period=parse_period(key, now=now), now=now)
        store(session=session, org=org, rep=rep)
    return len(PERIODS)
