"""The analytics snapshot cache: a district's report per period, stored as JSON text
(AnalyticsSnapshot) so a state-sized district's page does not aggregate every attempt on
each view. No Flask here.

Cache: at state scale the live aggregates take seconds (every attempt, review and rubric
score of the district), so the page reads a snapshot per district and period. While it is
younger than FRESH_FOR it is shown as it is; once stale it is still shown at once, marked
"updating", and one background job (REFRESH_JOB) recomputes the district's stale periods:
a key row per district (AnalyticsRefresh, inserted once) lets only the first of many
concurrent requests queue it. Only a district's very first view of a period (no snapshot,
or one written by another version of this code) computes in the request: there is nothing
to show yet, and `chalkmark analytics refresh` (cron, every few minutes) keeps every
district's snapshots warm, so that is rare. The page says when its figures were computed.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

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
from server.inserts import insert_once
from server.models import AnalyticsRefresh, AnalyticsSnapshot, Org, utcnow

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


def stored(
    *, session: Session, org: Org, period: Period, now: datetime | None = None
) -> tuple[Report | None, bool]:
    """(the district's stored report for the period, is it stale?); (None, True) when
    there is none or another version of this code wrote it."""
    snapshot = session.get(AnalyticsSnapshot, (org.id, period.key))
    found = from_payload(snapshot.payload) if snapshot is not None else None
    if snapshot is None or found is None:
        return None, True
    return found, snapshot.computed_at < (now or utcnow()) - FRESH_FOR


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


def refresh(*, session: Session, org: Org, now: datetime | None = None) -> int:
    """Recompute and store every period's snapshot for `org` (the caller commits)."""
    now = now or utcnow()
    for key in PERIODS:
        rep = report(session=session, org=org, period=parse_period(key, now=now), now=now)
        store(session=session, org=org, rep=rep)
    return len(PERIODS)


# --- one background refresh per district at a time --------------------------------------

REFRESH_JOB = "server.admin.jobs.refresh_analytics"
# Longer than the slowest refresh of a district's periods: a key row this old belongs to
# a job that died, and the next request for stale figures takes it over.
REFRESH_LEASE = timedelta(minutes=10)


def claim_refresh(*, session: Session, org_id: int, now: datetime | None = None) -> bool:
    """True when the caller is the one to queue the district's refresh: it inserted the
    key row, or took over a lapsed one (the caller commits, then queues the job)."""
    now = now or utcnow()
    lapsed = session.connection().execute(
        update(AnalyticsRefresh)
        .where(
            col(AnalyticsRefresh.org_id) == org_id,
            col(AnalyticsRefresh.started_at) < now - REFRESH_LEASE,
        )
        .values(started_at=now)
    )
    if lapsed.rowcount:
        return True
    row = {"org_id": org_id, "started_at": now}
    return insert_once(session, AnalyticsRefresh, row, keys=("org_id",))


def refresh_stale(*, session: Session, org: Org, now: datetime | None = None) -> int:
    """The job: recompute the district's stale snapshots (each period commits on its own:
    seconds of work apiece at state scale), then free the key row. Returns how many."""
    now = now or utcnow()
    keys = session.exec(
        select(AnalyticsSnapshot.period_key).where(
            AnalyticsSnapshot.org_id == org.id,
            col(AnalyticsSnapshot.computed_at) < now - FRESH_FOR,
            col(AnalyticsSnapshot.period_key).in_(list(PERIODS)),
        )
    ).all()
    try:
        for key in keys:
            period = parse_period(key, now=now)
            store(session=session, org=org, rep=report(session=session, org=org, period=period))
            session.commit()
    finally:
        session.rollback()  # a failed period leaves nothing half-done before the release
        session.execute(delete(AnalyticsRefresh).where(col(AnalyticsRefresh.org_id) == org.id))
        session.commit()
    return len(keys)
