"""Reassigning a claim from the admin home (server/admin/reassign.py): the claim moves to
an eligible assessor with a fresh lease, audited and announced without the teacher's
name; the old claimant's draft goes; every refusal is a clear 4xx; nothing crosses
districts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from server.errors import Conflict
from server.models import (
    AuditEntry,
    Notification,
    Review,
    ScoringDraft,
    Submission,
    utcnow,
)
from server.review import appeals
from server.review.decide import decide
from tests.support.calibration_data import make_anchor
from tests.support.factories import (
    appoint,
    make_credential,
    make_review,
    make_submission,
    make_user,
)
from tests.support.review_data import all_met
from tests.support.web import post_form, sign_in_as

pytest_plugins = ["tests.support.admin_world"]


@pytest.fixture
def world(db, districts):
    home = districts["home"].id
    credential = make_credential(db, title="Fractions as Numbers")
    people = {
        name: make_user(db, "assessor", name=name, org_id=home)
        for name in ("Asa Holder", "Bo Taker", "Cy Unappointed")
    }
    appoint(db, people["Asa Holder"], credential)
    appoint(db, people["Bo Taker"], credential)
    teacher = make_user(db, name="Tess Teacher", org_id=home)
    submission = make_submission(db, teacher, credential)
    claim = make_review(db, submission, people["Asa Holder"], hours=2)
    db.add(ScoringDraft(review_id=claim.id, data='{"scores": {}, "feedback": "half"}'))
    db.commit()
    return {
        **districts,
        "credential": credential,
        "holder": people["Asa Holder"],
        "taker": people["Bo Taker"],
        "unappointed": people["Cy Unappointed"],
        "teacher": teacher,
        "submission": submission,
        "claim": claim,
    }


def _decide(db, world, assessor, decision: str = "award"):
    met = decision == "award"
    scores = {cid: (met, "Seen.") for cid in all_met(db, world["credential"])}
    return decide(
        session=db,
        assessor=assessor,
        submission_id=world["submission"].id,
        decision=decision,
        scores=scores,
        feedback="Done.",
    )


def _path(world) -> str:
    return f"/admin/submissions/{world['submission'].id}/reassign"


def test_a_live_claim_moves_to_the_chosen_assessor_with_a_fresh_lease(client, db, world):
    sign_in_as(client, world["admin"])
    home = client.get("/admin").get_data(as_text=True)
    assert "Claims in progress" in home and _path(world) in home
    page = client.get(_path(world)).get_data(as_text=True)
    assert f'<option value="{world["taker"].id}"' in page
    assert "Cy Unappointed isn&#39;t appointed for this credential&#39;s stack" in page
    assert "draft, if any) is deleted" in page
    response = post_form(client, _path(world), {"assessor": str(world["taker"].id)})
    assert response.status_code == 303, response.get_data(as_text=True)
    db.expire_all()
    now = utcnow()
    old = db.get(Review, world["claim"].id)
    assert old.assessor_id == world["holder"].id and old.claimed_until <= now
    assert old.decision is None
    [new] = db.exec(
        select(Review).where(Review.assessor_id == world["taker"].id, Review.decision.is_(None))
    ).all()
    assert new.claimed_until > now + timedelta(hours=1)
    assert db.get(Submission, world["submission"].id).status == "in_review"
    assert db.get(ScoringDraft, world["claim"].id) is None  # the old draft is gone
    [entry] = db.exec(select(AuditEntry)).all()
    assert entry.action == "reassigned a claim" and entry.actor_id == world["admin"].id
    assert "Asa Holder" in entry.before and "Bo Taker" in entry.after
    notices = {n.user_id: n for n in db.exec(select(Notification)).all()}
    told = notices[world["taker"].id]
    assert told.kind == "review_assigned" and "A review was assigned to you" in told.title
    assert told.url == f"/review/{world['submission'].id}"
    assert world["holder"].id in notices
    for notice in notices.values():
        assert "Tess" not in notice.title + notice.body  # never the teacher
    # The old claimant can no longer decide; the new one can.
    with pytest.raises(Conflict, match="Bo Taker is already reviewing this"):
        _decide(db, world, world["holder"])
    db.rollback()
    sign_in_as(client, world["taker"])
    inbox = client.get("/inbox")
    assert inbox.status_code == 200 and "A review was assigned to you" in inbox.get_data(
        as_text=True
    )
    assert "Tess" not in inbox.get_data(as_text=True)


def test_a_lapsed_claim_can_be_reassigned_from_the_home(client, db, world):
    world["claim"].claimed_until = utcnow() - timedelta(hours=1)
    db.add(world["claim"])
    db.commit()
    sign_in_as(client, world["admin"])
    home = client.get("/admin").get_data(as_text=True)
    assert "No assessor holds a claim right now." in home and _path(world) in home
    response = post_form(client, _path(world), {"assessor": str(world["taker"].id)})
    assert response.status_code == 303
    db.expire_all()
    assert db.exec(select(Review).where(Review.assessor_id == world["taker"].id)).one()


def test_refusals_are_clear_4xx_and_change_nothing(client, db, world):
    path = _path(world)
    taker = {"assessor": str(world["taker"].id)}
    sign_in_as(client, world["far_admin"])  # the attacker: another district's admin
    assert client.get(path).status_code == 404
    assert post_form(client, path, taker).status_code == 404
    sign_in_as(client, world["teacher"])  # a teacher posting the form
    assert post_form(client, path, taker).status_code == 403
    sign_in_as(client, world["holder"])  # an assessor is no admin either
    assert post_form(client, path, taker).status_code == 403
    sign_in_as(client, world["admin"])
    assert client.post(path, data=taker).status_code == 400  # no CSRF token
    assert post_form(client, "/admin/submissions/99999/reassign", taker).status_code == 404
    response = post_form(client, path, {"assessor": ""})
    assert response.status_code == 422 and "Choose the assessor" in response.get_data(as_text=True)
    for bad in ("abc", "99999", str(world["far_admin"].id)):
        response = post_form(client, path, {"assessor": bad})
        assert response.status_code == 404, bad
        assert "couldn&#39;t find that assessor" in response.get_data(as_text=True)
    for person, why in (
        (world["unappointed"], "isn&#39;t appointed"),
        (world["holder"], "holds this claim already"),
        (world["admin"], "doesn&#39;t have the assessor role"),
    ):
        response = post_form(client, path, {"assessor": str(person.id)})
        assert response.status_code == 422 and why in response.get_data(as_text=True), why
    world["taker"].deactivated_at = utcnow()
    db.add(world["taker"])
    db.commit()
    response = post_form(client, path, taker)
    assert response.status_code == 422 and "switched off" in response.get_data(as_text=True)
    db.expire_all()
    assert db.exec(select(AuditEntry)).all() == []
    assert db.get(Review, world["claim"].id).claimed_until > utcnow()
    assert db.get(ScoringDraft, world["claim"].id) is not None


def test_nothing_to_reassign_is_a_409(client, db, world):
    sign_in_as(client, world["admin"])
    waiting = make_submission(db, world["teacher"], make_credential(db))
    response = client.get(f"/admin/submissions/{waiting.id}/reassign")
    assert response.status_code == 409 and "Nobody holds a claim" in response.get_data(as_text=True)
    _decide(db, world, world["holder"])
    db.commit()
    response = post_form(client, _path(world), {"assessor": str(world["taker"].id)})
    assert response.status_code == 409 and "already been decided" in response.get_data(as_text=True)


def test_an_assessor_who_must_calibrate_is_not_eligible(client, db, world):
    # An active anchor for the credential: Bo Taker has not calibrated on it yet.
    marker = make_user(db, "assessor", org_id=world["home"].id)
    decided = make_submission(db, make_user(db, org_id=world["home"].id), world["credential"])
    make_review(db, decided, marker, decision="awarded")
    make_anchor(db, decided, org_id=world["home"].id, by=world["admin"], truth=(True,) * 3)
    sign_in_as(client, world["admin"])
    response = post_form(client, _path(world), {"assessor": str(world["taker"].id)})
    assert response.status_code == 422
    assert "has to calibrate on Fractions as Numbers" in response.get_data(as_text=True)


def test_the_first_assessor_never_takes_the_appeal(client, db, world):
    first = world["holder"]
    _decide(db, world, first, "not_yet")
    db.commit()
    appeals.file_appeal(
        session=db, submission=world["submission"], user=world["teacher"], reason="Look again."
    )
    db.commit()
    make_review(db, world["submission"], world["taker"], hours=2)
    sign_in_as(client, world["admin"])
    response = post_form(client, _path(world), {"assessor": str(first.id)})
    assert response.status_code == 422
    assert "made the first decision" in response.get_data(as_text=True)
