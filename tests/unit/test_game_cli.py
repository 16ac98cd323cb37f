"""`chalkmark game rebuild` recomputes the totals from the ledger."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session

from server.game import ledger
from server.models import UserPoints
from tests.support.factories import make_user
from tests.support.game import cached_totals


def test_game_rebuild_command_repairs_totals(runner, engine):
    with Session(engine) as session:
        teacher = make_user(session)
        ledger.pay(
            session=session, user_id=teacher.id, rule="review_completed", ref="review:1", points=20
        )
        session.execute(update(UserPoints).values(total=7))
        session.commit()
        teacher_id = teacher.id

    result = runner.invoke(args=["game", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "from 1 ledger rows" in result.output and "1 total(s) corrected" in result.output
    with Session(engine) as session:
        assert cached_totals(session) == {teacher_id: 20}
