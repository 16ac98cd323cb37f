"""Reassigning a double-blind attempt's place (server/admin/reassign.py): a pair member's
place moves under the pair's own rule, the lead's only to another lead outside the pair;
each refusal is a 422 that says why; nobody is named to the pair."""

from __future__ import annotations

import pytest
from sqlmodel import select

from server.models import AssessorAppointment, Notification, Review, utcnow
from server.review.service import claim, decide
from tests.support.double_data import TEACHER_NAME, make_pair_world, scores_for
from tests.support.factories import make_user
from tests.support.web import post_form, sign_in_as

pytest_plugins = ["tests.support.admin_world"]


@pytest.fixture
def pair(db):
    world = make_pair_world(db)
    world.admin = make_user(db, "admin", name="Pat Admin", org_id=world.org.id)
    for who in (world.first, world.second):
        claim(session=db, assessor=who, submission_id=world.submission.id, lease_hours=4)
        db.commit()
    return world


def _review(db, world, who) -> Review:
    return db.exec(
        select(Review).where(
            Review.submission_id == world.submission.id, Review.assessor_id == who.id
        )
    ).one()


def _post(client, world, review: Review, who):
    path = f"/admin/submissions/{world.submission.id}/reassign"
    return post_form(client, path, {"assessor": str(who.id), "review": str(review.id)})


def test_a_pair_members_place_moves_to_an_assessor_outside_the_pair(client, db, pair):
    first_place = _review(db, pair, pair.first)
    sign_in_as(client, pair.admin)
    home = client.get("/admin").get_data(as_text=True)
    assert f"review={first_place.id}" in home
    page = client.get(
        f"/admin/submissions/{pair.submission.id}/reassign?review={first_place.id}"
    ).get_data(as_text=True)
    assert "Riley Chen holds the pair&#39;s other place." in page
    response = _post(client, pair, first_place, pair.second)
    assert response.status_code == 422
    assert "holds the pair&#39;s other place" in response.get_data(as_text=True)
    assert _post(client, pair, first_place, pair.third).status_code == 303
    db.expire_all()
    moved = _review(db, pair, pair.third)
    assert moved.kind == "blind" and moved.claimed_until > utcnow()
    assert _review(db, pair, pair.first).claimed_until <= utcnow()
    notice = db.exec(select(Notification).where(Notification.user_id == pair.third.id)).one()
    assert TEACHER_NAME not in notice.title + notice.body
    bad = f"/admin/submissions/{pair.submission.id}/reassign?review=abc"
    assert client.get(bad).status_code == 404


def test_the_leads_place_moves_only_to_another_lead_outside_the_pair(client, db, pair):
    for who, met in ((pair.first, [True, True]), (pair.second, [True, False])):
        decision = "award" if all(met) else "not_yet"
        decide(
            session=db,
            assessor=who,
            submission_id=pair.submission.id,
            decision=decision,
            scores=scores_for(db, pair.credential, met, "Seen"),
            feedback="Overall.",
        )
        db.commit()
    claim(session=db, assessor=pair.lead, submission_id=pair.submission.id, lease_hours=4)
    db.commit()
    lead_place = _review(db, pair, pair.lead)
    assert lead_place.kind == "lead"
    other_lead = make_user(db, "assessor", name="Lou Lead", org_id=pair.org.id)
    db.add(
        AssessorAppointment(user_id=other_lead.id, stack_id=pair.credential.stack_id, is_lead=True)
    )
    db.commit()
    sign_in_as(client, pair.admin)
    for who, why in (
        (pair.first, "has scored this attempt already"),
        (pair.third, "isn&#39;t a lead assessor of this stack"),
    ):
        response = _post(client, pair, lead_place, who)
        assert response.status_code == 422 and why in response.get_data(as_text=True), why
    assert _post(client, pair, lead_place, other_lead).status_code == 303
    db.expire_all()
    assert _review(db, pair, other_lead).kind == "lead"
