"""Turnaround per credential: submitted → decided of the district's decided attempts in
the period, median and p90 in hours. PostgreSQL computes them exactly (percentile_cont);
SQLite has no percentile function, so it counts decided attempts per whole hour of
turnaround in SQL and the percentile is read off that histogram (exact to the hour, a few
hundred rows per credential at most)."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from sqlalchemy import extract, func, literal_column, select
from sqlmodel import Session

from server.admin.analytics_report import Period, in_district, submitted_in
from server.models import DECIDED, Org, Submission, User


def turnaround(
    session: Session, org: Org, period: Period
) -> list[tuple[int, float | None, float | None]]:
    where = (Submission.status.in_(sorted(DECIDED)), Submission.decided_at.is_not(None))
    if session.get_bind().dialect.name == "postgresql":
        hours = extract("epoch", Submission.decided_at - Submission.submitted_at) / 3600.0
        rows = session.execute(
            select(
                Submission.credential_id,
                func.percentile_cont(0.5).within_group(hours),
                func.percentile_cont(0.9).within_group(hours),
            )
            .join(User, in_district(org))
            .where(*submitted_in(period), *where)
            .group_by(Submission.credential_id)
        ).all()
        return [(cid, _float(median), _float(p90)) for cid, median, p90 in rows]
    # Whole seconds first (julianday is a float), then whole hours by integer division.
    bucket: Any = literal_column(
        "CAST(ROUND((julianday(submission.decided_at) - julianday(submission.submitted_at))"
        " * 86400) AS INTEGER) / 3600"
    )
    histograms: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for credential_id, hour, count in session.execute(
        select(Submission.credential_id, bucket, func.count())
        .join(User, in_district(org))
        .where(*submitted_in(period), *where)
        .group_by(Submission.credential_id, bucket)
        .order_by(Submission.credential_id, bucket)
    ).all():
        histograms[credential_id].append((int(hour), int(count)))
    return [
        (cid, histogram_percentile(h, 0.5), histogram_percentile(h, 0.9))
        for cid, h in histograms.items()
    ]


def histogram_percentile(buckets: list[tuple[int, int]], fraction: float) -> float | None:
    """The percentile of whole-hour buckets (hour, count) sorted by hour, interpolated
    between the two nearest values as percentile_cont does; each value is its bucket's
    middle (an attempt decided after 2 h 10 min is in bucket 2, counted as 2.5 h)."""
    total = sum(count for _, count in buckets)
    if not total:
        return None
    rank = fraction * (total - 1)
    low, high = math.floor(rank), math.ceil(rank)

    def value_at(index: int) -> float:
        seen = 0
        for hour, count in buckets:
            seen += count
            if index < seen:
                return hour + 0.5
        return buckets[-1][0] + 0.5

    below = value_at(low)
    return below + (value_at(high) - below) * (rank - low)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)
