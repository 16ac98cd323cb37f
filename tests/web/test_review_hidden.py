"""Hidden items (review/hidden.py): anchors in a qualified assessor's live queue at the
district's share, presented as submissions. The cadence, ids from the submission id space,
no leak of the anchor's teacher or of calibration words in any response, a decision that
only scores a live calibration try, and nobody else reaching the item."""

from __future__ import annotations

import dataclasses
import re

import pytest
from sqlmodel import func, select

from server.admin import settings as district_settings
from server.models import (
    AnchorScore,
    AssessorQualification,
    Award,
    CalibrationAnchor,
    CalibrationAttempt,
    CalibrationScore,
    HiddenItem,
    Notification,
    PointEvent,
    Review,
)
from server.review import calibration, hidden
from tests.support.calibration_data import SCHOOL, TEACHER, TRUTHS, make_calibration_world
from tests.support.factories import make_submission, make_user
from tests.support.web import post_form, sign_in_as

pytest_plugins = ["tests.support.admin_world"]  # the `db` fixture

WORDS = re.compile(r"calibrat|anchor|practice|true score", re.IGNORECASE)


def _share(db, world, percent: int) -> None:
    choices = district_settings.current(session=db, org=world.org)
    district_settings.save(
        session=db,
        org=world.org,
        actor=world.admin,
        choices=dataclasses.replace(choices, calibration_share=percent),
    )
    db.commit()


@pytest.fixture
def world(db):
    world = make_calibration_world(db)
    for person in (world.assessor, world.other_assessor):
        db.add(
            AssessorQualification(user_id=person.id, credential_id=world.credential.id, percent=90)
        )
    db.commit()
    world.live.status = "withdrawn"  # the anchors' teacher's one waiting attempt: not in the way
    db.add(world.live)
    lee = make_user(db, "teacher", name="Lee Live", school="Live School", org_id=world.org.id)
    world.lives = [make_submission(db, lee, world.credential, attempt=n) for n in range(1, 13)]
    return world


def _all_met(world) -> dict:
    return {"decision": "award", **{f"met_{c.id}": "met" for c in world.criteria}}


def _decide_live(client, world, count: int) -> None:
    for _ in range(count):
        submission = world.lives.pop(0)
        response = post_form(client, f"/review/{submission.id}/decide", _all_met(world))
        assert response.status_code == 303, response.get_data(as_text=True)


def _items(db, user) -> list[HiddenItem]:
    db.expire_all()
    return list(
        db.exec(
            select(HiddenItem).where(HiddenItem.assessor_id == user.id).order_by(HiddenItem.id)
        ).all()
    )


def test_share_0_never_shows_a_hidden_item(client, db, world):
    sign_in_as(client, world.assessor)
    for _ in range(6):
        client.get("/review")
        _decide_live(client, world, 1)
    client.get("/review")
    assert _items(db, world.assessor) == []


def test_share_20_shows_one_item_in_five_each_anchor_once(client, db, world):
    _share(db, world, 20)
    assert hidden.every(20) == 5 and hidden.every(40) == 3 and hidden.every(50) == 2
    sign_in_as(client, world.assessor)
    _decide_live(client, world, 3)
    client.get("/review")
    assert _items(db, world.assessor) == []  # 3 live decisions: not yet
    _decide_live(client, world, 1)
    page = client.get("/review").get_data(as_text=True)
    [item] = _items(db, world.assessor)
    assert f'href="/review/{item.id}"' in page
    newest = db.exec(select(func.max(CalibrationAnchor.submission_id))).one()
    assert item.id > newest  # from the submission id space ...
    later = make_submission(db, world.teacher, world.credential)
    assert later.id > item.id  # ... which never hands it out again
    client.get("/review")
    assert len(_items(db, world.assessor)) == 1  # one waiting at a time
    assert post_form(client, f"/review/{item.id}/decide", _all_met(world)).status_code == 303
    client.get("/review")
    assert len(_items(db, world.assessor)) == 1  # nothing since the last one
    _decide_live(client, world, 4)
    client.get("/review")
    first, second = _items(db, world.assessor)
    assert first.anchor_id != second.anchor_id and second.decided_at is None
    assert _items(db, world.other_assessor) == []  # per assessor


def test_never_when_no_unseen_anchor_is_left(client, db, world):
    _share(db, world, 50)
    sign_in_as(client, world.assessor)
    for anchor in world.anchors:  # all tried while qualifying
        db.add(CalibrationAttempt(anchor_id=anchor.id, assessor_id=world.assessor.id, total=4))
    db.commit()
    _decide_live(client, world, 3)
    client.get("/review")
    assert _items(db, world.assessor) == []


def _hidden_item(client, db, world) -> HiddenItem:
    _share(db, world, 50)
    sign_in_as(client, world.assessor)
    _decide_live(client, world, 1)
    client.get("/review")
    [item] = _items(db, world.assessor)
    return item


def test_no_response_names_the_teacher_or_says_calibration(client, db, world):
    item = _hidden_item(client, db, world)
    url, htmx = f"/review/{item.id}", {"HX-Request": "true"}
    first = world.criteria[0].id
    bodies = [
        client.get("/review"),
        client.get("/review", headers=htmx),
        client.get("/"),
        client.get(url),
        post_form(client, f"{url}/draft", {f"met_{first}": "met"}),  # not claimed: refused
        post_form(client, f"{url}/claim"),
        client.get(url),
        client.get("/"),
        client.get("/review?show=mine"),
        post_form(client, f"{url}/draft", {f"met_{first}": "met", "feedback": "Good."}),
        post_form(client, f"{url}/draft", {"feedback": "Good!"}, headers=htmx),
        client.get(f"{url}/draft", headers={"Accept": "application/json"}),
        client.get(url),
        post_form(client, f"{url}/decide", {"decision": "award"}),  # incomplete: 422
        post_form(client, f"{url}/decide", {"decision": "award"}, headers=htmx),
        post_form(client, f"{url}/decide", _all_met(world)),
        client.get("/review"),
        client.get(url),
        post_form(client, f"{url}/decide", _all_met(world)),  # again: 409
        client.get("/review/history"),
    ]
    statuses = [response.status_code for response in bodies]
    assert statuses[4] == 403 and statuses[13] == 422 and statuses[15] == 303
    assert statuses[18] == 409 and statuses[3] == statuses[10] == statuses[11] == 200
    assert statuses[5] == statuses[9] == 303
    for number, response in enumerate(bodies):
        text = response.get_data(as_text=True)
        assert TEACHER not in text and SCHOOL not in text, number
        assert not WORDS.search(text), WORDS.search(text)
    assert "Decision saved" in bodies[16].get_data(as_text=True)
    decided = bodies[17].get_data(as_text=True)  # as a live decided attempt's page
    assert "This attempt has been decided" in decided and "Decision history" in decided
    assert f'href="/review/{item.id}"' in bodies[19].get_data(as_text=True)  # history
    assert "Teacher #" in bodies[3].get_data(as_text=True)
    assert 'value="met"' in bodies[12].get_data(as_text=True)  # the draft is restored


def test_deciding_scores_a_live_try_and_nothing_else(client, db, world):
    item = _hidden_item(client, db, world)
    anchor = db.get(CalibrationAnchor, item.anchor_id)
    truth_before = db.exec(select(AnchorScore).where(AnchorScore.anchor_id == anchor.id)).all()
    before = calibration.standing(
        session=db, assessor=world.assessor, credential_id=world.credential.id
    )
    counts = [
        db.exec(select(func.count()).select_from(m)).one()
        for m in (Notification, PointEvent, Award, Review)
    ]
    truth = TRUTHS[world.anchors.index(next(a for a in world.anchors if a.id == anchor.id))]
    form = {"decision": "not_yet", "feedback": "More, please."}
    form |= {f"met_{c.id}": "met" for c in world.criteria}
    form[f"met_{world.criteria[0].id}"] = "met" if truth[0] else "not_yet"
    response = post_form(client, f"/review/{item.id}/decide", form)
    assert response.status_code == 303
    db.expire_all()
    attempt = db.get(CalibrationAttempt, item.attempt_id)
    assert attempt.live and attempt.total == 4 and attempt.agreed == 1 + sum(truth[1:])
    scores = db.exec(
        select(CalibrationScore).where(CalibrationScore.attempt_id == attempt.id)
    ).all()
    assert len(scores) == 4
    after = [
        db.exec(select(func.count()).select_from(m)).one()
        for m in (Notification, PointEvent, Award, Review)
    ]
    assert after == counts  # no notice, points, award nor review
    assert (
        calibration.standing(session=db, assessor=world.assessor, credential_id=world.credential.id)
        == before
    )
    db.refresh(anchor)
    assert anchor.retired_at is None
    assert (
        db.exec(select(AnchorScore).where(AnchorScore.anchor_id == anchor.id)).all() == truth_before
    )
    assert db.get(HiddenItem, item.id).decided_at is not None


@pytest.mark.parametrize("who", ["other_assessor", "far_assessor", "admin", "teacher"])
def test_nobody_else_reaches_the_item(client, db, world, who):
    item = _hidden_item(client, db, world)
    sign_in_as(client, getattr(world, who))
    url = f"/review/{item.id}"
    responses = [
        client.get(url),
        post_form(client, f"{url}/claim"),
        post_form(client, f"{url}/decide", _all_met(world)),
        post_form(client, f"{url}/draft", {"feedback": "x"}),
        client.get(f"{url}/draft", headers={"Accept": "application/json"}),
    ]
    assert {r.status_code for r in responses} <= {403, 404}
    db.expire_all()
    assert db.get(HiddenItem, item.id).decided_at is None
    assert db.get(HiddenItem, item.id).claimed_until is None


def test_bad_ids_are_404(client, db, world):
    _hidden_item(client, db, world)
    for bad in ("0", "99999999", "99999999999999999999"):
        assert client.get(f"/review/{bad}").status_code == 404
        assert post_form(client, f"/review/{bad}/claim").status_code == 404


def test_the_agreement_page_says_live_items_count(client, db, world):
    sign_in_as(client, world.admin)
    page = client.get("/admin/agreement").get_data(as_text=True)
    assert "hidden items scored in their live queue" in page


def test_evidence_and_comment_bank_work_as_on_a_live_attempt(client, db, world):
    from server import access
    from server.models import Submission

    item = _hidden_item(client, db, world)
    shown = db.get(Submission, db.get(CalibrationAnchor, item.anchor_id).submission_id)

    def may_read(user) -> bool:
        return access.can_view_evidence(session=db, user=user, submission=shown)

    assert may_read(world.assessor) and not may_read(world.other_assessor)
    criterion = world.criteria[0].id
    added = post_form(
        client, f"/review/{item.id}/criteria/{criterion}/phrases", {"text": "Clear goals."}
    )
    assert added.status_code == 303
    assert "Clear goals." in client.get(f"/review/{item.id}").get_data(as_text=True)
    assert post_form(client, f"/review/{item.id}/decide", _all_met(world)).status_code == 303
    db.expire_all()
    assert may_read(world.assessor)  # as a reviewed attempt's evidence, after deciding


def test_in_a_double_blind_district_it_reads_as_a_pair_attempt(client, db, world):
    choices = district_settings.current(session=db, org=world.org)
    district_settings.save(
        session=db,
        org=world.org,
        actor=world.admin,
        choices=dataclasses.replace(choices, scoring_mode="double_blind"),
    )
    db.commit()
    item = _hidden_item(client, db, world)
    page = client.get(f"/review/{item.id}").get_data(as_text=True)
    assert "Double blind: you are one of two assessors" in page
    assert post_form(client, f"/review/{item.id}/decide", _all_met(world)).status_code == 303
    page = client.get(f"/review/{item.id}").get_data(as_text=True)
    assert "You&#39;ve scored this attempt" in page and "Decision history" not in page


def test_a_retired_anchors_waiting_item_is_gone_as_a_withdrawn_attempt(client, db, world):
    from server.models import utcnow

    item = _hidden_item(client, db, world)
    anchor = db.get(CalibrationAnchor, item.anchor_id)
    anchor.retired_at = utcnow()
    db.add(anchor)
    db.commit()
    assert f'href="/review/{item.id}"' not in client.get("/review").get_data(as_text=True)
    assert client.get(f"/review/{item.id}").status_code == 404
    assert post_form(client, f"/review/{item.id}/decide", _all_met(world)).status_code == 404
