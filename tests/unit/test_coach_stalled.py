""" "Stalled", one definition (coach/stalled.py): the grid's flag, its filter and count,
and the admin's analytics agree; the grid's summary per member; the nudge that fits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from server.admin import analytics, analytics_report
from server.coach import nudges, progress
from server.demo.seed import seed_demo
from server.models import Cohort, CohortMember
from tests.support.coaching import NOW, dated_attempt, evidence_added, joined_days_ago
from tests.support.factories import (
    make_cohort,
    make_credential,
    make_org,
    make_stack,
    make_user,
)


@pytest.fixture
def world(session):
    """Members by name, each joined some days ago, with their activity; and the cohort."""
    org = make_org(session, slug="stalled-town", name="Stalled Town")
    coach = make_user(session, "coach", org_id=org.id)
    fractions = make_stack(session, slug="fr", title="Fractions", position=1)
    tech = make_stack(session, slug="tech", title="Classroom Tech", position=2)
    numbers = make_credential(session, stack=fractions, title="Numbers", credit_hours=3)
    line = make_credential(session, stack=fractions, title="Number line", credit_hours=2)
    docs = make_credential(session, stack=tech, title="Docs", credit_hours=4)
    joined = {
        "Joined20Idle": 20,  # joined 20 days ago, nothing since: stalled
        "Active3": 40,  # evidence added 3 days ago: not stalled
        "Newcomer": 2,  # joined 2 days ago, nothing yet: not stalled (yet)
        "OldDraft": 1,  # a draft last touched 18 days ago, joined yesterday: stalled
        "Claimed": 30,  # submitted 20 days ago, claimed by an assessor today: stalled
        "Withdrew": 30,  # only a withdrawn attempt, 2 days ago: stalled
        "Decided": 30,  # decision received 5 days ago: not stalled
    }
    people = {name: make_user(session, name=name, org_id=org.id) for name in joined}
    cohort = make_cohort(session, coach, "Stalled?", members=list(people.values()))
    joined_days_ago(session, {people[name].id: days for name, days in joined.items()})

    def attempt(name, credential, status, created, **times):
        return dated_attempt(session, people[name], credential, status, created=created, **times)

    draft = attempt("Active3", numbers, "draft", 30)
    evidence_added(session, draft, "a3", days=3)
    attempt("Active3", docs, "awarded", 60, submitted=55, decided=50)
    attempt("OldDraft", line, "draft", 25, updated=18)
    attempt("Claimed", numbers, "in_review", 22, updated=0, submitted=20)
    attempt("Withdrew", numbers, "withdrawn", 2)
    attempt("Decided", line, "not_yet", 12, submitted=10, decided=5)
    session.commit()
    return {"org": org, "cohort": cohort, "people": people, "coach": coach}


STALLED = {"Joined20Idle", "OldDraft", "Claimed", "Withdrew"}


def test_stalled_is_last_real_activity_over_14_days_joining_aside(session, world):
    board = progress.dashboard(session=session, cohort=world["cohort"], now=NOW)
    flagged = {row.user.display_name for row in board.rows if "stalled" in row.flags}
    assert flagged == STALLED


def test_the_filter_the_count_and_the_grid_agree(session, world):
    everyone = progress.dashboard(session=session, cohort=world["cohort"], now=NOW)
    only = progress.dashboard(
        session=session, cohort=world["cohort"], filter_name="stalled", now=NOW
    )
    assert {r.user.display_name for r in only.rows} == STALLED
    assert only.counts["stalled"] == everyone.counts["stalled"] == len(STALLED)
    for row in everyone.rows:  # the last activity the grid shows says the same
        if row.last_activity is not None:
            old = row.last_activity < NOW - timedelta(days=14)
            assert old == ("stalled" in row.flags), row.user.display_name


def test_analytics_counts_the_same_stalled_members(session, world):
    period = analytics_report.parse_period("12m", now=NOW)
    report = analytics.report(session=session, org=world["org"], period=period, now=NOW)
    (cohort,) = report.cohorts
    assert cohort.stalled == len(STALLED)


def test_the_grid_is_grouped_by_stack_with_a_summary_per_member(session, world):
    board = progress.dashboard(session=session, cohort=world["cohort"], now=NOW)
    assert [(s.title, [c.title for c in s.credentials]) for s in board.stacks] == [
        ("Fractions", ["Number line", "Numbers"]),  # by position, then title
        ("Classroom Tech", ["Docs"]),
    ]
    rows = {row.user.display_name: row for row in board.rows}
    assert (rows["Active3"].earned, rows["Active3"].in_progress) == (1, 1)
    assert rows["Active3"].credit_hours == 4
    assert (rows["Newcomer"].earned, rows["Newcomer"].in_progress) == (0, 0)
    assert rows["Claimed"].in_progress == 1


@pytest.mark.parametrize(
    "name, template",
    [
        ("Newcomer", "start"),  # nothing on the go
        ("Withdrew", "start"),  # a withdrawn attempt is nothing on the go
        ("OldDraft", "draft"),
        ("Active3", "draft"),  # earned one, a draft open
        ("Decided", "not_yet"),
        ("Claimed", "waiting"),  # nothing to do but wait
    ],
)
def test_the_nudge_offered_fits_the_members_state(session, world, name, template):
    board = progress.dashboard(session=session, cohort=world["cohort"], now=NOW)
    row = next(r for r in board.rows if r.user.display_name == name)
    assert row.nudge_template == template
    assert nudges.TEMPLATES[template][1]  # a text to send


def test_fitted_nudges_send_each_member_their_own_message(app, session, world):
    board = progress.dashboard(session=session, cohort=world["cohort"], now=NOW)
    fits = {r.user.id: r.nudge_template for r in board.rows}
    people = world["people"]
    chosen = [people["Decided"].id, people["OldDraft"].id]
    with app.app_context():
        nudges.nudge_members(
            session=session,
            coach=world["coach"],
            cohort=world["cohort"],
            member_ids=chosen,
            messages=nudges.fitted_messages(fits),
            now=NOW.replace(hour=12),
        )
        session.commit()
    sent = {
        n.user_id: n.message
        for n in nudges.history(session=session, cohort=world["cohort"], member_id=chosen[0])
        + nudges.history(session=session, cohort=world["cohort"], member_id=chosen[1])
    }
    assert "resubmit" in sent[people["Decided"].id]
    assert "draft is waiting" in sent[people["OldDraft"].id]
    after = progress.dashboard(session=session, cohort=world["cohort"], now=NOW)
    rows = {r.user.display_name: r for r in after.rows}
    assert (rows["Decided"].nudges, rows["Newcomer"].nudges) == (1, 0)


def test_the_demo_cohort_has_realistic_joins_and_grace_is_its_stalled_member(app, session):
    with app.app_context():
        seed_demo(session=session)
    cohort = session.exec(select(Cohort).where(Cohort.name == "Early Adopters")).one()
    board = progress.dashboard(session=session, cohort=cohort, filter_name="stalled")
    assert [row.user.display_name for row in board.rows] == ["Grace Liu"]
    joins = {m.joined_at for m in session.exec(select(CohortMember)).all()}
    assert max(joins) - min(joins) > timedelta(days=14)
    assert board.rows[0].nudges == 1 and board.rows[0].nudge_template == "draft"
