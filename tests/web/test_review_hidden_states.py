"""Hidden items (review/hidden.py) beyond the happy path: nobody else reaches one, bad
ids, evidence and the comment bank from its page, a double-blind district, a retired
anchor, and the agreement page's note."""

from __future__ import annotations

import pytest

from server.models import CalibrationAnchor, HiddenItem, Submission, utcnow
from tests.support.hidden_data import all_met, make_hidden_world, open_item, set_district
from tests.support.web import post_form, sign_in_as

pytest_plugins = ["tests.support.admin_world"]  # the `db` fixture


@pytest.fixture
def world(db):
    return make_hidden_world(db)


@pytest.mark.parametrize("who", ["other_assessor", "far_assessor", "admin", "teacher"])
def test_nobody_else_reaches_the_item(client, db, world, who):
    item = open_item(client, db, world)
    sign_in_as(client, getattr(world, who))
    url = f"/review/{item.id}"
    responses = [
        client.get(url),
        post_form(client, f"{url}/claim"),
        post_form(client, f"{url}/decide", all_met(world)),
        post_form(client, f"{url}/draft", {"feedback": "x"}),
        client.get(f"{url}/draft", headers={"Accept": "application/json"}),
    ]
    assert {r.status_code for r in responses} <= {403, 404}
    db.expire_all()
    assert db.get(HiddenItem, item.id).decided_at is None
    assert db.get(HiddenItem, item.id).claimed_until is None


def test_bad_ids_are_404(client, db, world):
    open_item(client, db, world)
    for bad in ("0", "99999999", "99999999999999999999"):
        assert client.get(f"/review/{bad}").status_code == 404
        assert post_form(client, f"/review/{bad}/claim").status_code == 404


def test_the_agreement_page_says_live_items_count(client, db, world):
    sign_in_as(client, world.admin)
    page = client.get("/admin/agreement").get_data(as_text=True)
    assert "hidden items scored in their live queue" in page


def test_evidence_and_comment_bank_work_as_on_a_live_attempt(client, db, world):
    from server import access

    item = open_item(client, db, world)
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
    assert post_form(client, f"/review/{item.id}/decide", all_met(world)).status_code == 303
    db.expire_all()
    assert may_read(world.assessor)  # as a reviewed attempt's evidence, after deciding


def test_in_a_double_blind_district_it_reads_as_a_pair_attempt(client, db, world):
    set_district(db, world, scoring_mode="double_blind")
    item = open_item(client, db, world)
    page = client.get(f"/review/{item.id}").get_data(as_text=True)
    assert "Double blind: you are one of two assessors" in page
    assert post_form(client, f"/review/{item.id}/decide", all_met(world)).status_code == 303
    page = client.get(f"/review/{item.id}").get_data(as_text=True)
    assert "You&#39;ve scored this attempt" in page and "Decision history" not in page


def test_a_retired_anchors_waiting_item_is_gone_as_a_withdrawn_attempt(client, db, world):

    item = open_item(client, db, world)
    anchor = db.get(CalibrationAnchor, item.anchor_id)
    anchor.retired_at = utcnow()
    db.add(anchor)
    db.commit()
    assert f'href="/review/{item.id}"' not in client.get("/review").get_data(as_text=True)
    assert client.get(f"/review/{item.id}").status_code == 404
    assert post_form(client, f"/review/{item.id}/decide", all_met(world)).status_code == 404
