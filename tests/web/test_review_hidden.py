"""Hidden items (review/hidden.py): anchors in a qualified assessor's live queue at the
district's share, presented as submissions. The cadence, ids from the submission id space,
no leak of the anchor's teacher or of calibration words in any response, a decision that
only scores a live calibration try, and nobody else reaching the item."""

from __future__ import annotations

import re

import pytest
from sqlmodel import func, select

from server.models import (
    AnchorScore,
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
from tests.support.calibration_data import SCHOOL, TEACHER, TRUTHS
from tests.support.factories import make_submission
from tests.support.hidden_data import (
    all_met,
    decide_live,
    items_of,
    make_hidden_world,
    open_item,
    set_district,
)
from tests.support.web import post_form, sign_in_as

pytest_plugins = ["tests.support.admin_world"]  # the `db` fixture

WORDS = re.compile(r"calibrat|anchor|practice|true score", re.IGNORECASE)


@pytest.fixture
def world(db):
    return make_hidden_world(db)


def test_share_0_never_shows_an_item(client, db, world):
    sign_in_as(client, world.assessor)
    for _ in range(6):
        client.get("/review")
        decide_live(client, world, 1)
    client.get("/review")
    assert items_of(db, world.assessor) == []


def test_share_20_shows_one_item_in_five_each_anchor_once(client, db, world):
    set_district(db, world, calibration_share=20)
    assert hidden.every(20) == 5 and hidden.every(40) == 3 and hidden.every(50) == 2
    sign_in_as(client, world.assessor)
    decide_live(client, world, 3)
    client.get("/review")
    assert items_of(db, world.assessor) == []  # 3 live decisions: not yet
    decide_live(client, world, 1)
    page = client.get("/review").get_data(as_text=True)
    [item] = items_of(db, world.assessor)
    assert f'href="/review/{item.id}"' in page
    newest = db.exec(select(func.max(CalibrationAnchor.submission_id))).one()
    assert item.id > newest  # from the submission id space ...
    later = make_submission(db, world.teacher, world.credential)
    assert later.id > item.id  # ... which never hands it out again
    client.get("/review")
    assert len(items_of(db, world.assessor)) == 1  # one waiting at a time
    assert post_form(client, f"/review/{item.id}/decide", all_met(world)).status_code == 303
    client.get("/review")
    assert len(items_of(db, world.assessor)) == 1  # nothing since the last one
    decide_live(client, world, 4)
    client.get("/review")
    first, second = items_of(db, world.assessor)
    assert first.anchor_id != second.anchor_id and second.decided_at is None
    assert items_of(db, world.other_assessor) == []  # per assessor


def test_never_where_live_rows_show_names(client, db, world):
    """Without blind review (and not double blind) a pseudonymous row would stand out."""
    world.org.blind_review = False
    db.add(world.org)
    set_district(db, world, calibration_share=50)
    sign_in_as(client, world.assessor)
    decide_live(client, world, 3)
    page = client.get("/review").get_data(as_text=True)
    assert items_of(db, world.assessor) == []
    assert "Lee Live" in page and "Teacher #" not in page


def test_never_when_no_unseen_anchor_is_left(client, db, world):
    set_district(db, world, calibration_share=50)
    sign_in_as(client, world.assessor)
    for anchor in world.anchors:  # all tried while qualifying
        db.add(CalibrationAttempt(anchor_id=anchor.id, assessor_id=world.assessor.id, total=4))
    db.commit()
    decide_live(client, world, 3)
    client.get("/review")
    assert items_of(db, world.assessor) == []


def test_no_response_names_the_teacher_or_says_calibration(client, db, world):
    item = open_item(client, db, world)
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
        post_form(client, f"{url}/decide", all_met(world)),
        client.get("/review"),
        client.get(url),
        post_form(client, f"{url}/decide", all_met(world)),  # again: 409
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
    item = open_item(client, db, world)
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
