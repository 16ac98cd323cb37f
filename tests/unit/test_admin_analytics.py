"""District analytics on a small hand-made dataset: the rates, turnaround percentiles,
per-criterion "not yet" rates, assessor workload, cohort funnel and stalled members, and
credit hours per month (revoked excluded), all of one district only."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from server.admin import analytics, analytics_report, analytics_snapshot, analytics_turnaround
from server.errors import InvalidInput
from server.models import AnalyticsSnapshot, CohortMember, MemberStatus, SubmissionStatus, utcnow
from tests.support.factories import (
    make_award,
    make_cohort,
    make_credential,
    make_org,
    make_review,
    make_submission,
    make_user,
)

NOW = utcnow()


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def attempt(session, teacher, credential, assessor, *, sent, hours=None, decision=None, fail=()):
    """An attempt sent at `sent`; decided `hours` later when `decision` is given (the
    rubric positions in `fail` not met)."""
    submission = make_submission(
        session,
        teacher,
        credential,
        status=SubmissionStatus.SUBMITTED,
        submitted_at=sent,
        created_at=sent - timedelta(days=1),
        updated_at=sent,
    )
    if decision:
        decided = sent + timedelta(hours=hours)
        make_review(
            session,
            submission,
            assessor,
            decision=decision,
            scores={p: (p not in fail, "") for p in range(5)},
            now=decided,
        )
        submission.updated_at = decided
        session.add(submission)
        session.commit()
    return submission


@pytest.fixture
def world(session):
    home, far = make_org(session, name="Home"), make_org(session, name="Far")
    coach = make_user(session, "coach", org_id=home.id)
    assessor = make_user(session, "assessor", name="Jordan Lee", org_id=home.id)
    far_assessor = make_user(session, "assessor", name="Far Assessor", org_id=far.id)
    a = make_credential(session, criteria=3, title="Working Memory", credit_hours=2.5)
    b = make_credential(session, criteria=2, title="Questioning", credit_hours=1)
    t = {n: make_user(session, name=f"T{n}", org_id=home.id) for n in range(1, 8)}
    far_teacher = make_user(session, name="Faraway", org_id=far.id)

    # Working Memory: t1 not yet then awarded, t2 awarded, t3 not yet (no retry), t4 waits.
    attempt(session, t[1], a, assessor, sent=days_ago(50), hours=10.5, decision="not_yet", fail=[0])
    t1_award = attempt(
        session, t[1], a, assessor, sent=days_ago(40), hours=30.5, decision="awarded"
    )
    t2_award = attempt(
        session, t[2], a, assessor, sent=days_ago(35), hours=20.5, decision="awarded"
    )
    attempt(
        session, t[3], a, assessor, sent=days_ago(30), hours=40.5, decision="not_yet", fail=[0, 1]
    )
    attempt(session, t[4], a, assessor, sent=days_ago(5))
    attempt(session, t[4], b, assessor, sent=days_ago(9))
    # Questioning: t5 awarded, then the award was revoked; t6 awarded.
    t5_award = attempt(session, t[5], b, assessor, sent=days_ago(20), hours=2, decision="awarded")
    t6_award = attempt(session, t[6], b, assessor, sent=days_ago(400), hours=2, decision="awarded")
    # Far district: a failing attempt, reviewed by the home assessor too, and an award.
    far_sub = attempt(
        session, far_teacher, a, assessor, sent=days_ago(30), hours=1, decision="not_yet",
        fail=[0, 1, 2],
    )  # fmt: skip
    issued = {
        "t1": days_ago(38),
        "t2": days_ago(34),
        "t5": days_ago(19),
        "t6": days_ago(399),
    }
    make_award(session, t[1], a, t1_award, org_id=home.id, issued_at=issued["t1"])
    make_award(session, t[2], a, t2_award, org_id=home.id, issued_at=issued["t2"])
    make_award(session, t[5], b, t5_award, org_id=home.id, issued_at=issued["t5"], revoked=True)
    make_award(session, t[6], b, t6_award, org_id=home.id, issued_at=issued["t6"])
    make_award(session, far_teacher, a, far_sub, org_id=far.id, issued_at=issued["t2"])

    cohort = make_cohort(session, coach, members=[t[1], t[2], t[3], t[4], t[7]], invited=[t[5]])
    for member in session.exec(select(CohortMember).where(CohortMember.cohort_id == cohort.id)):
        member.joined_at = days_ago(60)
        session.add(member)
    make_cohort(session, far_assessor, "Far cohort", members=[far_teacher], org_id=far.id)
    session.commit()
    return {"home": home, "far": far, "a": a, "b": b, "issued": issued, "assessor": assessor}


def run(session, org, key="12m"):
    return analytics.report(
        session=session, org=org, period=analytics_report.parse_period(key, now=NOW), now=NOW
    )


def test_rates_and_turnaround_per_credential(session, world):
    rep = run(session, world["home"])
    by_title = {c.title: c for c in rep.credentials}
    memory = by_title["Working Memory"]
    assert memory.attempts == 5
    assert (memory.first_awarded, memory.first_decided) == (1, 3)
    assert memory.first_try_rate == pytest.approx(1 / 3)
    assert (memory.resubmitted, memory.not_yet) == (1, 2)
    assert memory.resubmission_rate == 0.5
    assert memory.eventual_rate == pytest.approx(2 / 3)
    # Turnarounds 10.5, 20.5, 30.5, 40.5 h: median 25.5, p90 (interpolated) 37.5.
    assert memory.median_hours == pytest.approx(25.5)
    assert memory.p90_hours == pytest.approx(37.5)
    assert memory.waiting == 1
    assert memory.oldest_waiting == pytest.approx(days_ago(5), abs=timedelta(seconds=1))
    questioning = by_title["Questioning"]
    # t6's attempt was sent before the period; t4's waits (queue age is "now", any period).
    assert (questioning.attempts, questioning.first_try_rate) == (2, 1.0)
    assert questioning.waiting == 1
    assert questioning.oldest_waiting == pytest.approx(days_ago(9), abs=timedelta(seconds=1))


def test_not_yet_rate_per_criterion(session, world):
    rows = [
        (c.credential, c.title, c.scored, c.not_met) for c in run(session, world["home"]).criteria
    ]
    assert rows == [
        ("Questioning", "Criterion 1", 1, 0),
        ("Questioning", "Criterion 2", 1, 0),
        ("Working Memory", "Criterion 1", 4, 2),
        ("Working Memory", "Criterion 2", 4, 1),
        ("Working Memory", "Criterion 3", 4, 0),
    ]


def test_assessor_workload_counts_this_districts_attempts(session, world):
    rep = run(session, world["home"])
    assert [(a.name, a.decisions, a.awarded, a.not_yet) for a in rep.assessors] == [
        ("Jordan Lee", 5, 3, 2)
    ]


def test_cohort_funnel_and_stalled_members(session, world):
    (cohort,) = run(session, world["home"]).cohorts
    assert (cohort.members, cohort.started, cohort.submitted, cohort.awarded) == (5, 4, 4, 2)
    # t1, t2, t3 idle for 14+ days and t7 never started; t4 submitted 5 days ago.
    assert cohort.stalled == 4


def test_credit_hours_per_month_exclude_revoked_and_other_districts(session, world):
    rep = run(session, world["home"])
    assert len(rep.months) == 12
    expected: dict[tuple[int, int], float] = {}
    for key in ("t1", "t2"):
        moment = world["issued"][key]
        expected[(moment.year, moment.month)] = expected.get((moment.year, moment.month), 0) + 2.5
    got = {(m.year, m.month): m.hours for m in rep.months if m.awards}
    assert got == expected
    assert sum(m.awards for m in rep.months) == 2


def test_a_far_district_sees_only_its_own(session, world):
    rep = run(session, world["far"])
    (memory,) = rep.credentials
    assert (memory.attempts, memory.not_yet, memory.resubmitted) == (1, 1, 0)
    assert [c.name for c in rep.cohorts] == ["Far cohort"]
    assert sum(m.hours for m in rep.months) == 2.5
    assert [(a.name, a.decisions) for a in rep.assessors] == [("Jordan Lee", 1)]


def test_an_empty_district_has_empty_tables(session, world):
    rep = run(session, make_org(session, name="Empty"))
    assert rep.empty
    assert (rep.credentials, rep.criteria, rep.assessors, rep.cohorts) == ([], [], [], [])
    assert all(m.awards == 0 for m in rep.months)


def test_periods_are_checked_and_bounded():
    now = datetime(2026, 3, 15, 12, tzinfo=UTC)
    twelve = analytics_report.parse_period(None, now=now)
    assert (twelve.key, twelve.start, twelve.end) == ("12m", datetime(2025, 4, 1, tzinfo=UTC), now)
    assert twelve.months[0] == (2025, 4) and twelve.months[-1] == (2026, 3)
    last = analytics_report.parse_period("last-school-year", now=now)
    assert (last.start, last.end) == (
        datetime(2024, 7, 1, tzinfo=UTC),
        datetime(2025, 7, 1, tzinfo=UTC),
    )
    assert "2024–25" in last.label
    for bad in ("forever", "12M", "<script>", "1" * 500):
        with pytest.raises(InvalidInput) as raised:
            analytics_report.parse_period(bad, now=now)
        assert raised.value.field == "period"


def test_percentile_from_an_hour_histogram():
    assert analytics_turnaround.histogram_percentile([], 0.5) is None
    assert analytics_turnaround.histogram_percentile([(3, 1)], 0.9) == 3.5
    assert analytics_turnaround.histogram_percentile([(1, 2), (5, 2)], 0.5) == 3.5


def test_invited_members_are_not_counted(session, world):
    (cohort,) = run(session, world["home"]).cohorts
    invited = len(
        session.exec(
            select(CohortMember).where(CohortMember.status == MemberStatus.INVITED.value)
        ).all()
    )
    assert invited == 1 and cohort.members == 5


def test_a_snapshot_keeps_every_figure(session, world):
    rep = run(session, world["home"])
    assert analytics_snapshot.from_payload(analytics_snapshot.to_payload(rep)) == rep
    assert analytics_snapshot.from_payload('{"version": 0}') is None
    assert analytics_snapshot.from_payload("not json") is None


def test_a_stored_snapshot_is_read_and_marked_stale_after_fresh_for(session, world):
    org, period = world["home"], analytics_report.parse_period("12m", now=NOW)
    rep = analytics.report(session=session, org=org, period=period, now=NOW)
    analytics_snapshot.store(session=session, org=org, rep=rep)
    session.commit()
    soon = NOW + timedelta(minutes=1)
    stored = analytics_snapshot.stored
    assert stored(session=session, org=org, period=period, now=soon) == (rep, False)
    late = NOW + analytics_snapshot.FRESH_FOR + timedelta(seconds=1)
    assert stored(session=session, org=org, period=period, now=late) == (rep, True)
    other = analytics_report.parse_period("90d", now=NOW)
    assert stored(session=session, org=org, period=other, now=soon) == (None, True)
    assert stored(session=session, org=world["far"], period=period, now=soon) == (None, True)


def test_the_refresh_command_stores_every_period_of_every_district(runner, app, world):
    result = runner.invoke(args=["analytics", "refresh"])
    assert result.exit_code == 0, result.output
    assert "Home: 4 periods" in result.output and "Far: 4 periods" in result.output
    with Session(app.extensions["db_engine"]) as db:
        assert len(db.exec(select(AnalyticsSnapshot)).all()) == 2 * len(analytics_report.PERIODS)
    missing = runner.invoke(args=["analytics", "refresh", "--district", "nowhere"])
    assert missing.exit_code != 0 and "No district has the slug" in missing.output
