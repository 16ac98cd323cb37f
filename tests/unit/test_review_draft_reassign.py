"""A scoring draft saved while an admin reassigns the claim: the reassign ends the lease
and deletes the draft; a save that read the claim just before must not leave a draft on
the ended claim (it would come back if the assessor claimed the item again)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from server.admin.reassign import reassign
from server.errors import Conflict
from server.models import Org, ScoringDraft, User
from server.review import drafts
from tests.unit.test_admin_reassign_race import _world

pytestmark = pytest.mark.usefixtures("app")


def test_a_save_racing_a_reassign_leaves_no_draft(engine, monkeypatch):
    world = _world(engine)
    submission_id = world["submissions"][0]
    checked = drafts.validate

    def reassigned_meanwhile(**kwargs):
        with Session(engine) as other:  # the admin, on their own connection
            reassign(
                session=other,
                org=other.get_one(Org, world["org"]),
                actor=other.get_one(User, world["admin"]),
                submission_id=submission_id,
                assessor_raw=str(world["taker"]),
                lease_hours=24,
            )
            other.commit()
        return checked(**kwargs)

    monkeypatch.setattr(drafts, "validate", reassigned_meanwhile)
    with Session(engine) as session:
        holder = session.get_one(User, world["holder"])
        with pytest.raises(Conflict):
            drafts.save(
                session=session,
                viewer=holder,
                submission_id=submission_id,
                data={"feedback": "half way"},
            )
        session.rollback()
    with Session(engine) as session:
        assert session.exec(select(ScoringDraft)).all() == []
