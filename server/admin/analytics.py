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
- turnaround: submitted → decided of decided attempts, median and p90
  (analytics_turnaround.py);
- "not yet" rate of a criterion: reviews that scored it not met / reviews that scored it;
- stalled cohort member: as on the coach's dashboard (one definition, coach/stalled.py).

The report's shape is in analytics_report.py, its tables and CSV rows in
analytics_tables.py, the snapshot cache that keeps the page fast in analytics_snapshot.py.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, case, distinct, extract, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from server.admin.analytics_report import (
    AssessorLoad,
    CohortFunnel,
    CredentialStats,
    CriterionStats,
    MonthHours,
    Period,
    Report,
    in_district,
    submitted_in,
)
from server.admin.analytics_turnaround import turnaround
from server.coach.stalled import stalled_clause
from server.models import (
    AWAITING_REVIEW,
    DECIDED,
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

AWARDED = SubmissionStatus.AWARDED.value
NOT_YET = SubmissionStatus.NOT_YET.value
WITHDRAWN = SubmissionStatus.WITHDRAWN.value


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
        .join(User, in_district(org))
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
        .where(*submitted_in(period))
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
    for credential_id, median, p90 in turnaround(session, org, period):
        row = of(credential_id)
        row.median_hours, row.p90_hours = median, p90
    for credential_id, waiting, oldest in session.execute(
        select(Submission.credential_id, func.count(), func.min(Submission.submitted_at))
        .join(User, in_district(org))
        .where(Submission.status.in_(sorted(AWAITING_REVIEW)))
        .group_by(Submission.credential_id)
    ).all():
        row = of(credential_id)
        row.waiting, row.oldest_waiting = int(waiting), _aware(oldest)
    return sorted(stats.values(), key=lambda s: (s.title.casefold(), s.id))


def _criteria(session: Session, org: Org, period: Period) -> list[CriterionStats]:
    rows = session.execute(
        select(
            CriterionScore.criterion_id,
            func.count(),
            _count_if(CriterionScore.met.is_(False)),
        )
        .join(Review, Review.id == CriterionScore.review_id)
        .join(Submission, Submission.id == Review.submission_id)
        .join(User, in_district(org))
        .where(*submitted_in(period), Review.decision.is_not(None))
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
        .join(User, in_district(org))
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
