"""District analytics for the admin: per credential, per rubric criterion, per assessor,
per cohort and per month, all scoped to one district. No Flask here.

Fast at state scale: every figure is aggregated in SQL (GROUP BY), in a fixed number of
queries whatever the district's size (nine, plus two small look-ups of titles and names).

Scoping: an attempt belongs to the district of the teacher who made it (User.org_id);
credit hours to the district that issued the award (Award.org_id, as the HR report).

Period: attempts count when submitted in the period (their decisions may come later),
decisions per assessor when decided in it, cohort funnels when started in it, credit
hours when issued in it. Periods and months are UTC calendar days and months.

Definitions (attempt k+1 exists only after attempt k was marked "not yet"):
- first-try award rate: first attempts awarded / first attempts decided;
- resubmission rate: "not yet" attempts whose next attempt was submitted / "not yet"s;
- eventual award rate: teachers awarded / teachers with any decided attempt;
- turnaround: submitted → decided of decided attempts. PostgreSQL computes median and
  p90 exactly (percentile_cont); SQLite has no percentile function, so it counts decided
  attempts per whole hour of turnaround in SQL and the percentile is read off that
  histogram (exact to the hour, a few hundred rows per credential at most);
- "not yet" rate of a criterion: reviews that scored it not met / reviews that scored it;
- stalled cohort member: as on the coach's dashboard (one definition, coach/stalled.py).

Cache: at state scale the live aggregates take seconds (every attempt, review and rubric
score of the district), so the page reads a snapshot per district and period
(AnalyticsSnapshot) while it is younger than FRESH_FOR, and computes and stores it when
it is not; `chalkmark analytics refresh` (cron, every few minutes) keeps every district's
snapshots warm so nobody waits. The page says when its figures were computed.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, distinct, extract, func, literal_column, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from server.coach.stalled import stalled_clause
from server.errors import InvalidInput
from server.models import (
    AWAITING_REVIEW,
    DECIDED,
    AnalyticsSnapshot,
    Award,
    Cohort,
    CohortMember,
    Credential,
    CriterionScore,
    MemberStatus,
    Org,
    Review,
    RubricCriterion,
    Submission,
    SubmissionStatus,
    User,
    utcnow,
)
from server.transcript.service import SCHOOL_YEAR_STARTS, school_year_label, school_year_of

AWARDED = SubmissionStatus.AWARDED.value
NOT_YET = SubmissionStatus.NOT_YET.value
WITHDRAWN = SubmissionStatus.WITHDRAWN.value

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


def report(*, session: Session, org: Org, period: Period, now: datetime | None = None) -> Report:
    """Every table of the page, computed live from the district's rows."""
    now = now or utcnow()
    return Report(
        period=period,
        now=now,
        credentials=_credentials(session, org, period),
        criteria=_criteria(session, org, period),
        assessors=_assessors(session, org, period),
        cohorts=_cohorts(session, org, period, now),
        months=_months(session, org, period),
    )


def _in_district(org: Org) -> Any:
    return and_(User.id == Submission.user_id, User.org_id == org.id)


def _submitted_in(period: Period) -> tuple[Any, ...]:
    return (Submission.submitted_at >= period.start, Submission.submitted_at < period.end)


def _count_if(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


def _credentials(session: Session, org: Org, period: Period) -> list[CredentialStats]:
    titles = dict(session.execute(select(Credential.id, Credential.title)).all())
    stats: dict[int, CredentialStats] = {}

    def of(credential_id: int) -> CredentialStats:
        if credential_id not in stats:
            stats[credential_id] = CredentialStats(credential_id, titles.get(credential_id, "?"))
        return stats[credential_id]

    following = aliased(Submission)
    first = Submission.attempt == 1
    decided = Submission.status.in_(sorted(DECIDED))
    rows = session.execute(
        select(
            Submission.credential_id,
            func.count(),
            _count_if(and_(first, decided)),
            _count_if(and_(first, Submission.status == AWARDED)),
            _count_if(Submission.status == NOT_YET),
            _count_if(following.id.is_not(None)),
            func.count(distinct(case((decided, Submission.user_id)))),
            func.count(distinct(case((Submission.status == AWARDED, Submission.user_id)))),
        )
        .join(User, _in_district(org))
        .outerjoin(
            following,
            and_(
                Submission.status == NOT_YET,
                following.user_id == Submission.user_id,
                following.credential_id == Submission.credential_id,
                following.attempt == Submission.attempt + 1,
                following.submitted_at.is_not(None),
            ),
        )
        .where(*_submitted_in(period))
        .group_by(Submission.credential_id)
    ).all()
    for credential_id, *counts in rows:
        row = of(credential_id)
        (
            row.attempts,
            row.first_decided,
            row.first_awarded,
            row.not_yet,
            row.resubmitted,
            row.people_decided,
            row.people_awarded,
        ) = (int(n or 0) for n in counts)
    for credential_id, median, p90 in _turnaround(session, org, period):
        row = of(credential_id)
        row.median_hours, row.p90_hours = median, p90
    for credential_id, waiting, oldest in session.execute(
        select(Submission.credential_id, func.count(), func.min(Submission.submitted_at))
        .join(User, _in_district(org))
        .where(Submission.status.in_(sorted(AWAITING_REVIEW)))
        .group_by(Submission.credential_id)
    ).all():
        row = of(credential_id)
        row.waiting, row.oldest_waiting = int(waiting), _aware(oldest)
    return sorted(stats.values(), key=lambda s: (s.title.casefold(), s.id))


def _turnaround(
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
            .join(User, _in_district(org))
            .where(*_submitted_in(period), *where)
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
        .join(User, _in_district(org))
        .where(*_submitted_in(period), *where)
        .group_by(Submission.credential_id, bucket)
        .order_by(Submission.credential_id, bucket)
    ).all():
        histograms[credential_id].append((int(hour), int(count)))
    return [
        (cid, _histogram_percentile(h, 0.5), _histogram_percentile(h, 0.9))
        for cid, h in histograms.items()
    ]


def _histogram_percentile(buckets: list[tuple[int, int]], fraction: float) -> float | None:
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


def _criteria(session: Session, org: Org, period: Period) -> list[CriterionStats]:
    rows = session.execute(
        select(
            CriterionScore.criterion_id,
            func.count(),
            _count_if(CriterionScore.met.is_(False)),
        )
        .join(Review, Review.id == CriterionScore.review_id)
        .join(Submission, Submission.id == Review.submission_id)
        .join(User, _in_district(org))
        .where(*_submitted_in(period), Review.decision.is_not(None))
        .group_by(CriterionScore.criterion_id)
    ).all()
    if not rows:
        return []
    names = {
        cid: (credential, title, position)
        for cid, credential, title, position in session.execute(
            select(
                RubricCriterion.id,
                Credential.title,
                RubricCriterion.title,
                RubricCriterion.position,
            )
            .join(Credential, Credential.id == RubricCriterion.credential_id)
            .where(RubricCriterion.id.in_([row[0] for row in rows]))
        ).all()
    }
    found = [
        (names[cid], CriterionStats(names[cid][0], names[cid][1], int(scored), int(not_met or 0)))
        for cid, scored, not_met in rows
        if cid in names
    ]
    found.sort(key=lambda item: (item[0][0].casefold(), item[0][2], item[0][1]))
    return [stats for _, stats in found]


def _assessors(session: Session, org: Org, period: Period) -> list[AssessorLoad]:
    assessor = aliased(User)
    rows = session.execute(
        select(
            assessor.display_name,
            func.count(),
            _count_if(Review.decision == AWARDED),
            _count_if(Review.decision == NOT_YET),
        )
        .select_from(Review)
        .join(Submission, Submission.id == Review.submission_id)
        .join(User, _in_district(org))
        .join(assessor, assessor.id == Review.assessor_id)
        .where(
            Review.decision.is_not(None),
            Review.decided_at >= period.start,
            Review.decided_at < period.end,
        )
        .group_by(assessor.id, assessor.display_name)
        .order_by(func.count().desc(), assessor.display_name)
    ).all()
    return [AssessorLoad(name, int(n), int(a or 0), int(ny or 0)) for name, n, a, ny in rows]


def _cohorts(session: Session, org: Org, period: Period, now: datetime) -> list[CohortFunnel]:
    active = and_(
        CohortMember.cohort_id == Cohort.id,
        CohortMember.status == MemberStatus.ACTIVE.value,
    )
    member = CohortMember.user_id
    funnel = session.execute(
        select(
            Cohort.id,
            Cohort.name,
            func.count(distinct(member)),
            func.count(distinct(case((Submission.id.is_not(None), member)))),
            func.count(distinct(case((Submission.submitted_at.is_not(None), member)))),
            func.count(distinct(case((Submission.status == AWARDED, member)))),
        )
        .join(CohortMember, active)
        .outerjoin(
            Submission,
            and_(
                Submission.user_id == member,
                Submission.status != WITHDRAWN,
                Submission.created_at >= period.start,
                Submission.created_at < period.end,
            ),
        )
        .where(Cohort.org_id == org.id)
        .group_by(Cohort.id, Cohort.name)
        .order_by(Cohort.name, Cohort.id)
    ).all()
    stalled = dict(
        session.execute(
            select(Cohort.id, func.count())
            .join(CohortMember, active)
            .where(
                Cohort.org_id == org.id,
                stalled_clause(member, CohortMember.joined_at, now),
            )
            .group_by(Cohort.id)
        ).all()
    )
    return [
        CohortFunnel(name, int(m), int(st), int(sb), int(aw), int(stalled.get(cid, 0)))
        for cid, name, m, st, sb, aw in funnel
    ]


def _months(session: Session, org: Org, period: Period) -> list[MonthHours]:
    year, month = extract("year", Award.issued_at), extract("month", Award.issued_at)
    issued = {
        (int(y), int(m)): (int(n), float(hours or 0))
        for y, m, n, hours in session.execute(
            select(year, month, func.count(), func.sum(Credential.credit_hours))
            .join(Credential, Credential.id == Award.credential_id)
            .where(
                Award.org_id == org.id,
                Award.revoked_at.is_(None),
                Award.issued_at >= period.start,
                Award.issued_at < period.end,
            )
            .group_by(year, month)
        ).all()
    }
    return [MonthHours(y, m, *issued.get((y, m), (0, 0.0))) for y, m in period.months]


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


# --- the tables, for the page and the CSV downloads ----------------------------------


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


# --- the snapshot cache ----------------------------------------------------------------

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
