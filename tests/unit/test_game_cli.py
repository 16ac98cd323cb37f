"""`chalkmark game rebuild` recomputes the totals from the ledger."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session

from server.game import ledger
from server.models import UserPoints
from tests.support.factories import make_org, make_user
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


def test_game_rebuild_for_one_district_leaves_everyone_else_alone(runner, engine):
    with Session(engine) as session:
        org = make_org(session, slug="riverbend")
        member, outsider = make_user(session, org_id=org.id), make_user(session)
        for person in (member, outsider):
            ledger.pay(session=session, user_id=person.id, rule="streak_week", ref="w", points=10)
        session.execute(update(UserPoints).values(total=7))
        session.commit()
        ids = (member.id, outsider.id)

    result = runner.invoke(args=["game", "rebuild", "--district", "riverbend"])
    assert result.exit_code == 0, result.output
    with Session(engine) as session:
        assert cached_totals(session) == {ids[0]: 10, ids[1]: 7}
    unknown = runner.invoke(args=["game", "rebuild", "--district", "nowhere"])
    assert unknown.exit_code != 0 and "No district with the slug 'nowhere'" in unknown.output
