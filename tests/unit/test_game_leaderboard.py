"""Leaderboards: top ten plus neighbours, cohort and org scopes, this week and all time,
and every visibility choice honoured for every viewer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from server.errors import Forbidden
from server.game import leaderboard as boards
from server.game import ledger
from tests.support.factories import make_cohort, make_org, make_user

LONG_AGO = datetime(2025, 1, 6, 12, 0, tzinfo=UTC)


def _give(session, user, points: int, *, at=None, ref="r") -> None:
    ledger.pay(
        session=session, user_id=user.id, rule="credential_earned", ref=ref, points=points, at=at
    )


@pytest.fixture
def cast(session):
    """One district; the cohort "Early Adopters" (coach Sam) with one member per
    visibility choice; a second cohort in the same district; an admin."""
    org = make_org(session, name="Riverside")
    people = {
        name: make_user(session, name=name.capitalize(), org_id=org.id, leaderboard_visibility=vis)
        for name, vis in [
            ("pat", "public"),
            ("cora", "cohort"),
            ("ann", "anonymous"),
            ("hal", "hidden"),
            ("me", "cohort"),
            ("olive", "public"),
            ("otto", "cohort"),
        ]
    }
    people["sam"] = make_user(session, "coach", name="Sam", org_id=org.id)
    people["admin"] = make_user(session, "admin", name="Ada", org_id=org.id)
    adopters = make_cohort(
        session,
        coach=people["sam"],
        org_id=org.id,
        name="Early Adopters",
        members=[people[n] for n in ("pat", "cora", "ann", "hal", "me")],
    )
    others = make_cohort(
        session,
        coach=people["admin"],
        org_id=org.id,
        name="Late Bloomers",
        members=[people["olive"], people["otto"]],
    )
    for points, name in [
        (500, "hal"),
        (400, "pat"),
        (300, "cora"),
        (200, "ann"),
        (100, "me"),
        (350, "olive"),
        (50, "otto"),
    ]:
        _give(session, people[name], points)
    session.commit()
    return {"org": org, "adopters": adopters, "others": others, **people}


def _board(session, viewer, kind, scope_id, period="all"):
    scope = boards.resolve(session=session, viewer=viewer, kind=kind, scope_id=scope_id)
    return boards.leaderboard(session=session, viewer=viewer, scope=scope, period=period)


def _rows(board):
    return [(e.rank, e.label, e.points) for e in board.top + board.around_you]


def test_a_member_sees_names_by_choice_and_never_the_hidden(session, cast):
    board = _board(session, cast["me"], "cohort", cast["adopters"].id)
    assert _rows(board) == [
        (1, "Pat", 400),
        (2, "Cora", 300),
        (3, "Anonymous teacher", 200),
        (4, "Me (you)", 100),
    ]
    assert board.size == 4 and board.you.rank == 4


def test_the_coach_sees_real_names_of_their_cohort_but_not_the_hidden(session, cast):
    board = _board(session, cast["sam"], "cohort", cast["adopters"].id)
    assert _rows(board) == [(1, "Pat", 400), (2, "Cora", 300), (3, "Ann", 200), (4, "Me", 100)]
    assert board.you is None  # a coach is not ranked on the cohort they coach


def test_a_hidden_member_sees_only_themselves_as_hidden(session, cast):
    board = _board(session, cast["hal"], "cohort", cast["adopters"].id)
    assert _rows(board)[0] == (1, "you (hidden)", 500)
    assert board.you.label == "you (hidden)"


def test_the_district_board_names_cohort_only_people_just_for_their_cohort(session, cast):
    outsider_view = _rows(_board(session, cast["olive"], "org", cast["org"].id))
    assert outsider_view == [
        (1, "Pat", 400),
        (2, "Olive (you)", 350),
        (3, "Anonymous teacher", 300),
        (4, "Anonymous teacher", 200),
        (5, "Anonymous teacher", 100),
        (6, "Otto", 50),  # Olive's own cohort: "cohort only" shows the name
        (7, "Anonymous teacher", 0),
        (7, "Anonymous teacher", 0),
    ]  # Sam, Ada: "cohort"
    coach_view = _rows(_board(session, cast["sam"], "org", cast["org"].id))
    assert [label for _, label, _ in coach_view][:5] == [
        "Pat",
        "Olive",
        "Cora",
        "Ann",
        "Me",
    ]  # Ann is anonymous, but in Sam's cohort


def test_a_district_admin_sees_real_names_of_their_district_but_not_the_hidden(session, cast):
    rows = _rows(_board(session, cast["admin"], "cohort", cast["adopters"].id))
    assert rows == [(1, "Pat", 400), (2, "Cora", 300), (3, "Ann", 200), (4, "Me", 100)]


def test_an_admin_of_another_district_sees_anonymity_like_anyone_else(session, cast):
    far_admin = make_user(session, "admin", org_id=make_org(session).id)
    rows = _rows(_board(session, far_admin, "cohort", cast["adopters"].id))
    assert [label for _, label, _ in rows] == [
        "Pat",
        "Anonymous teacher",
        "Anonymous teacher",
        "Anonymous teacher",
    ]


def test_access_to_boards_is_limited_to_own_cohorts_and_district(session, cast):
    keys = [s.key for s in boards.boards_for(session=session, viewer=cast["me"])]
    assert keys == [f"cohort-{cast['adopters'].id}", f"org-{cast['org'].id}"]
    with pytest.raises(Forbidden):
        boards.resolve(
            session=session, viewer=cast["me"], kind="cohort", scope_id=cast["others"].id
        )
    stranger = make_user(session, org_id=make_org(session).id)
    with pytest.raises(Forbidden):
        boards.resolve(session=session, viewer=stranger, kind="org", scope_id=cast["org"].id)
    coach_keys = [s.key for s in boards.boards_for(session=session, viewer=cast["sam"])]
    assert f"cohort-{cast['adopters'].id}" in coach_keys
    admin_keys = {s.key for s in boards.boards_for(session=session, viewer=cast["admin"])}
    assert {f"cohort-{cast['adopters'].id}", f"cohort-{cast['others'].id}"} <= admin_keys


def test_export_is_for_the_coach_and_admins_and_honours_visibility(session, cast):
    scope = boards.resolve(
        session=session, viewer=cast["sam"], kind="cohort", scope_id=cast["adopters"].id
    )
    coach_rows = boards.all_entries(session=session, viewer=cast["sam"], scope=scope, period="all")
    assert [e.label for e in coach_rows] == ["Pat", "Cora", "Ann", "Me"]
    admin_rows = boards.all_entries(
        session=session, viewer=cast["admin"], scope=scope, period="all"
    )
    assert [e.label for e in admin_rows] == ["Pat", "Cora", "Ann", "Me"]  # their district
    with pytest.raises(Forbidden):
        boards.all_entries(session=session, viewer=cast["me"], scope=scope, period="all")


def test_top_ten_and_two_neighbours_either_side(session):
    coach = make_user(session, "coach")
    members = [
        make_user(session, name=f"M{n:02d}", leaderboard_visibility="public") for n in range(1, 21)
    ]
    cohort = make_cohort(session, coach=coach, members=members)
    for n, member in enumerate(members, start=1):
        _give(session, member, 1000 - n * 10)  # M01 first ... M20 last
    session.commit()

    def positions(viewer):
        board = _board(session, viewer, "cohort", cohort.id)
        return ([e.position for e in board.top], [e.position for e in board.around_you])

    assert positions(members[14]) == (list(range(1, 11)), [13, 14, 15, 16, 17])
    assert positions(members[10]) == (list(range(1, 11)), [11, 12, 13])
    assert positions(members[2]) == (list(range(1, 11)), [])
    assert positions(members[19]) == (list(range(1, 11)), [18, 19, 20])


def test_equal_points_share_a_rank(session):
    coach = make_user(session, "coach")
    a, b, c = (make_user(session, leaderboard_visibility="public") for _ in range(3))
    cohort = make_cohort(session, coach=coach, members=[a, b, c])
    for member, points in [(a, 50), (b, 50), (c, 10)]:
        _give(session, member, points)
    session.commit()
    board = _board(session, c, "cohort", cohort.id)
    assert [(e.rank, e.position) for e in board.top] == [(1, 1), (1, 2), (3, 3)]


def test_this_weeks_board_counts_only_this_week_in_the_viewers_zone(session):
    coach = make_user(session, "coach")
    steady, sprinter = (make_user(session, leaderboard_visibility="public") for _ in range(2))
    cohort = make_cohort(session, coach=coach, members=[steady, sprinter])
    _give(session, steady, 900, at=LONG_AGO)
    _give(session, sprinter, 30, ref="new")
    _give(session, steady, 5, ref="new", at=datetime.now(UTC) - timedelta(minutes=1))
    session.commit()
    week = _board(session, steady, "cohort", cohort.id, period="week")
    assert [(e.user_id, e.points) for e in week.top] == [(sprinter.id, 30), (steady.id, 5)]
    assert week.week == boards.current_week(steady)
    all_time = _board(session, steady, "cohort", cohort.id, period="all")
    assert [e.points for e in all_time.top] == [905, 30]


def test_members_without_points_are_ranked_at_zero(session):
    coach = make_user(session, "coach")
    quiet = make_user(session)
    cohort = make_cohort(session, coach=coach, members=[quiet])
    board = _board(session, quiet, "cohort", cohort.id, period="week")
    assert [(e.rank, e.points, e.is_you) for e in board.top] == [(1, 0, True)]
