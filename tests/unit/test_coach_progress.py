"""The cohort dashboard: states per member and credential, last activity, filters."""

from __future__ import annotations

import pytest

from server.coach import progress, service
from tests.support.coaching import NOW, dated_attempt, days_ago, evidence_added, joined_days_ago
from tests.support.factories import (
    make_cohort,
    make_credential,
    make_stack,
    make_user,
)


@pytest.fixture
def cohort_story(session):
    """Five members, each in a different place; returns (cohort, credentials by name)."""
    coach = make_user(session, "coach")
    cohort = service.create_cohort(session=session, coach=coach, name="Early Adopters")
    stack = make_stack(session, slug="fractions", title="Fractions Foundations", position=1)
    numbers = make_credential(session, stack=stack, title="Fractions as Numbers")
    line = make_credential(session, stack=stack, title="Number-line reasoning")
    untouched = make_credential(session, title="Nobody started this")
    people = {name: make_user(session, name=name) for name in ("Ana", "Ben", "Cy", "Dee", "Eve")}
    for user in people.values():
        service.join(session=session, cohort=cohort, user=user)
    # Everyone joined long ago, so "no activity" counts as stalled.
    joined_days_ago(session, {user.id: 60 for user in people.values()})

    # Ana: earned on a second attempt after a not yet, 3 days ago.
    dated_attempt(session, people["Ana"], numbers, "not_yet", attempt=1, created=20, decided=20)
    dated_attempt(session, people["Ana"], numbers, "awarded", attempt=2, created=3, decided=3)
    # Ben: "not yet" 10 days ago, never resubmitted.
    dated_attempt(session, people["Ben"], numbers, "not_yet", created=10, decided=10)
    # Cy: a draft untouched for 9 days; its last evidence is 8 days old.
    draft = dated_attempt(session, people["Cy"], line, "draft", created=9)
    evidence_added(session, draft, "e1", days=8)
    # Dee: draft updated long ago but evidence added yesterday: active, not idle.
    dee_draft = dated_attempt(session, people["Dee"], line, "draft", created=30)
    evidence_added(session, dee_draft, "e2", days=1)
    session.commit()
    # Eve: nothing at all.
    return cohort, {"numbers": numbers, "line": line, "untouched": untouched}


def _rows(session, cohort, filter_name=None) -> dict:
    board = progress.dashboard(session=session, cohort=cohort, filter_name=filter_name, now=NOW)
    return {row.user.display_name: row for row in board.rows}


@pytest.fixture
def rows(session, cohort_story) -> dict:
    """The unfiltered board's rows by member name."""
    return _rows(session, cohort_story[0])


def test_columns_are_the_credentials_someone_started(session, cohort_story):
    cohort, credentials = cohort_story
    board = progress.dashboard(session=session, cohort=cohort, now=NOW)
    assert [s.title for s in board.stacks] == ["Fractions Foundations"]
    assert [c.title for c in board.credentials] == ["Fractions as Numbers", "Number-line reasoning"]
    assert credentials["untouched"].id not in {c.id for c in board.credentials}


@pytest.mark.parametrize(
    "name, credential, state",
    [
        ("Ana", "numbers", "earned"),  # the awarded retry wins over the first "not yet"
        ("Ana", "line", "not_started"),
        ("Ben", "numbers", "not_yet"),
        ("Cy", "line", "draft"),
    ],
)
def test_each_cell_shows_the_members_state(cohort_story, rows, name, credential, state):
    assert rows[name].cell(cohort_story[1][credential].id).state == state


@pytest.mark.parametrize("name, days", [("Cy", 8), ("Dee", 1), ("Eve", None)])
def test_last_activity_is_the_latest_attempt_or_evidence(rows, name, days):
    assert rows[name].last_activity == (None if days is None else days_ago(days))


@pytest.mark.parametrize(
    "name, flags",
    [
        ("Ana", set()),
        ("Ben", {"not_yet_idle"}),
        ("Cy", {"draft_idle"}),
        ("Dee", set()),
        ("Eve", {"stalled"}),
    ],
)
def test_each_member_is_flagged_for_what_holds_them_up(rows, name, flags):
    assert rows[name].flags == flags


def test_the_counts_add_up_the_flags(session, cohort_story):
    cohort, _ = cohort_story
    board = progress.dashboard(session=session, cohort=cohort, now=NOW)
    assert board.counts == {"all": 5, "stalled": 1, "not_yet_idle": 1, "draft_idle": 1}


@pytest.mark.parametrize(
    "filter_name, shown",
    [
        ("stalled", ["Eve"]),
        ("not_yet_idle", ["Ben"]),
        ("draft_idle", ["Cy"]),
        ("nonsense", ["Ana", "Ben", "Cy", "Dee", "Eve"]),
    ],
)
def test_a_filter_shows_only_its_members(session, cohort_story, filter_name, shown):
    assert list(_rows(session, cohort_story[0], filter_name)) == shown


def test_a_new_member_with_nothing_started_is_not_stalled(session):
    cohort = make_cohort(
        session, make_user(session, "coach"), "New", members=[make_user(session, name="Newcomer")]
    )
    board = progress.dashboard(session=session, cohort=cohort)
    assert board.rows[0].flags == set() and board.counts["stalled"] == 0


def test_activity_before_joining_still_counts_joining_does_not(session):
    """Grace: last active 18 days ago, joined the cohort today: stalled."""
    quiet = make_user(session, name="Quiet")
    cohort = make_cohort(session, make_user(session, "coach"), "Old", members=[quiet])
    dated_attempt(session, quiet, make_credential(session), "submitted", created=20, submitted=18)

    board = progress.dashboard(session=session, cohort=cohort, now=NOW)

    assert board.rows[0].last_activity == days_ago(18)
    assert "stalled" in board.rows[0].flags and board.counts["stalled"] == 1
    assert board.rows[0].cell(board.credentials[0].id).state == "submitted"
