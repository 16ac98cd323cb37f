"""The demo's game history: lively, spread over eight weeks, and consistent totals."""

from __future__ import annotations

from sqlalchemy import func, select

from server.demo.game import seed_game
from server.game import leaderboard as boards
from server.models import PointEvent
from tests.support.factories import make_cohort, make_credential, make_user
from tests.support.game import cached_totals, ledger_totals


def test_seed_game_fills_the_early_adopters_board(session):
    coach = make_user(session, "coach", handle="sam")
    members = [make_user(session, handle=h) for h in ("maya", "priya", "diego", "grace")]
    for _ in range(4):
        make_credential(session)
    cohort = make_cohort(session, coach=coach, members=members, name="Early Adopters")

    summary = seed_game(session=session)
    session.commit()

    assert summary.endswith("for 4 Early Adopters over 8 weeks")
    assert cached_totals(session) == ledger_totals(session)
    assert set(ledger_totals(session)) == {m.id for m in members}
    span = session.execute(
        select(func.min(PointEvent.created_at), func.max(PointEvent.created_at))
    ).one()
    assert (span[1] - span[0]).days >= 28  # spread over weeks, not one afternoon
    scope = boards.resolve(session=session, viewer=coach, kind="cohort", scope_id=cohort.id)
    board = boards.leaderboard(session=session, viewer=coach, scope=scope, period="all")
    assert len({e.points for e in board.top}) > 1

    assert seed_game(session=session).startswith("0 point events")  # pays once only


def test_seed_game_without_the_cohort_does_nothing(session):
    assert seed_game(session=session) == "no Early Adopters cohort, so no game history"
