"""An admin reassigns a claim while its assessor decides it, each on their own
connection: exactly one of them goes through, the other gets a Conflict (never both,
never a crash), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from server.admin.reassign import reassign
from server.errors import Conflict
from server.models import Org, Review, Submission, User
from server.review.decide import decide
from tests.support.factories import (
    appoint,
    make_credential,
    make_org,
    make_review,
    make_submission,
    make_user,
)
from tests.support.review_data import all_met
from tests.support.threads import run_at_once

# Awards are signed as Open Badges with the app's issuer settings.
pytestmark = pytest.mark.usefixtures("app")
ROUNDS = 3


def _world(engine) -> dict:
    with Session(engine, expire_on_commit=False) as session:
        org = make_org(session)
        admin = make_user(session, "admin", org_id=org.id)
        credential = make_credential(session)
        holder, taker = (make_user(session, "assessor", org_id=org.id) for _ in range(2))
        appoint(session, holder, credential)
        appoint(session, taker, credential)
        teacher = make_user(session, org_id=org.id)
        submissions = []
        for _ in range(ROUNDS):
            submission = make_submission(session, teacher, credential, attempt=len(submissions) + 1)
            make_review(session, submission, holder, hours=2)
            submissions.append(submission.id)
        return {
            "org": org.id,
            "admin": admin.id,
            "holder": holder.id,
            "taker": taker.id,
            "submissions": submissions,
            "scores": all_met(session, credential),
        }


def _act(engine, world: dict, role: str, submission_id: int) -> None:
    with Session(engine, expire_on_commit=False) as session:
        user = session.get_one(User, world[role])
        if role == "admin":
            reassign(
                session=session,
                org=session.get_one(Org, world["org"]),
                actor=user,
                submission_id=submission_id,
                assessor_raw=str(world["taker"]),
                lease_hours=24,
            )
        else:
            decide(
                session=session,
                assessor=user,
                submission_id=submission_id,
                decision="award",
                scores=world["scores"],
                feedback="Well evidenced.",
            )
        session.commit()


def _race(engine, world: dict, submission_id: int) -> dict[str, object]:
    roles = iter(("admin", "holder"))
    outcomes: dict[str, object] = {}

    def run(barrier) -> None:
        role = next(roles)
        barrier.wait()
        try:
            _act(engine, world, role, submission_id)
            outcomes[role] = "won"
        except Exception as err:  # recorded: the assertion shows it
            outcomes[role] = err

    run_at_once(2, run)
    return outcomes


def test_reassigning_while_the_claimant_decides_has_exactly_one_outcome(engine):
    world = _world(engine)
    for submission_id in world["submissions"]:
        outcomes = _race(engine, world, submission_id)
        won = [role for role, outcome in outcomes.items() if outcome == "won"]
        lost = [outcome for outcome in outcomes.values() if outcome != "won"]
        assert len(won) == 1 and len(lost) == 1, outcomes
        assert isinstance(lost[0], Conflict), outcomes
        with Session(engine) as session:
            submission = session.get_one(Submission, submission_id)
            reviews = session.exec(select(Review).where(Review.submission_id == submission_id))
            holders = {r.assessor_id for r in reviews}
            if won == ["admin"]:
                assert submission.status == "in_review" and world["taker"] in holders
            else:
                assert submission.status == "awarded" and holders == {world["holder"]}
