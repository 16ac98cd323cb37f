"""Calibration before the live queue: the gate (queue link, claim and decide refused), the
practice page (evidence without the teacher's name, scores against the truth, cumulative
agreement, qualification, no items left), and who may open it."""

from __future__ import annotations

import pytest
from sqlmodel import select

from server.models import AssessorQualification, CalibrationAttempt, Review
from tests.support.calibration_data import (
    SCHOOL,
    TEACHER,
    TRUTHS,
    make_calibration_world,
    scores_form,
)
from tests.support.factories import make_submission
from tests.support.web import post_form, sign_in_as

pytest_plugins = ["tests.support.admin_world"]  # the `db` fixture


@pytest.fixture
def world(db):
    return make_calibration_world(db)


def _open_try(db, world, user=None) -> CalibrationAttempt:
    db.expire_all()
    return db.exec(
        select(CalibrationAttempt).where(
            CalibrationAttempt.assessor_id == (user or world.assessor).id,
            CalibrationAttempt.total == 0,
        )
    ).one()


def _try_item(client, db, world, met) -> None:
    cid = world.credential.id
    assert post_form(client, f"/review/calibrate/{cid}/start").status_code == 303
    attempt = _open_try(db, world)
    response = post_form(
        client, f"/review/calibrate/{cid}/score", scores_form(world, attempt.id, met)
    )
    assert response.status_code == 303, response.get_data(as_text=True)


def test_an_uncalibrated_assessor_is_sent_to_calibrate_and_refused_a_claim(client, db, world):
    other = make_submission(db, world.teacher, world.open_credential)
    sign_in_as(client, world.assessor)
    queue = client.get("/review").get_data(as_text=True)
    link = f'/review/calibrate/{world.credential.id}"'
    assert "Calibrate first" in queue and link in queue
    refused = post_form(client, f"/review/{world.live.id}/claim")
    assert refused.status_code == 403
    assert "Calibrate first" in refused.get_data(as_text=True)
    decided = post_form(client, f"/review/{world.live.id}/decide", {"decision": "award"})
    assert decided.status_code == 403
    # A credential without anchors is not gated.
    assert post_form(client, f"/review/{other.id}/claim").status_code == 303
    assert db.exec(select(Review).where(Review.submission_id == world.live.id)).first() is None


def test_fail_once_see_the_differences_then_qualify_and_claim(client, db, world):
    sign_in_as(client, world.assessor)
    cid = world.credential.id
    page = client.get(f"/review/calibrate/{cid}").get_data(as_text=True)
    assert "Start calibrating" in page and "3 practice items are left" in page
    assert post_form(client, f"/review/calibrate/{cid}/start").status_code == 303
    page = client.get(f"/review/calibrate/{cid}").get_data(as_text=True)
    assert "Practice item" in page and TEACHER not in page and SCHOOL not in page
    wrong_once = [not TRUTHS[0][0], *TRUTHS[0][1:]]  # 3 of 4 agree: 75 %
    attempt = _open_try(db, world)
    post_form(client, f"/review/calibrate/{cid}/score", scores_form(world, attempt.id, wrong_once))
    page = client.get(f"/review/calibrate/{cid}").get_data(as_text=True)
    assert "<strong>75%</strong>" in page and "Differs" in page and "3 of 4 criteria agreed" in page
    assert "You&#39;re qualified" not in page
    assert post_form(client, f"/review/{world.live.id}/claim").status_code == 403
    _try_item(client, db, world, TRUTHS[1])  # cumulative 7 of 8: 87 %
    page = client.get(f"/review/calibrate/{cid}").get_data(as_text=True)
    assert "<strong>87%</strong>" in page and "qualified" in page
    qualification = db.get(AssessorQualification, (world.assessor.id, cid))
    assert qualification is not None and qualification.percent == 87
    assert "Calibrate first" not in client.get("/review").get_data(as_text=True)
    assert post_form(client, f"/review/{world.live.id}/claim").status_code == 303


def test_when_no_untried_item_is_left_the_page_says_so(client, db, world):
    sign_in_as(client, world.assessor)
    for truth in TRUTHS:
        _try_item(client, db, world, [not met for met in truth])
    page = client.get(f"/review/calibrate/{world.credential.id}").get_data(as_text=True)
    assert "No practice items left" in page and "ask your district admin" in page
    assert "<strong>0%</strong>" in page
    refused = post_form(client, f"/review/calibrate/{world.credential.id}/start")
    assert refused.status_code == 409 and "tried every practice item" in refused.get_data(
        as_text=True
    )


def test_every_criterion_needs_a_score_and_a_try_is_scored_once(client, db, world):
    sign_in_as(client, world.assessor)
    cid = world.credential.id
    post_form(client, f"/review/calibrate/{cid}/start")
    attempt = _open_try(db, world)
    partial = scores_form(world, attempt.id, TRUTHS[0])
    partial.pop(f"met_{world.criteria[2].id}")
    refused = post_form(client, f"/review/calibrate/{cid}/score", partial)
    assert refused.status_code == 422 and "Choose Met or Not yet" in refused.get_data(as_text=True)
    full = scores_form(world, attempt.id, TRUTHS[0])
    assert post_form(client, f"/review/calibrate/{cid}/score", full).status_code == 303
    again = post_form(client, f"/review/calibrate/{cid}/score", full)
    assert again.status_code == 409
    stale = post_form(client, f"/review/calibrate/{cid}/score", {"attempt": "abc"})
    assert stale.status_code == 409


@pytest.mark.parametrize("who", ["far_assessor", "teacher", "unappointed"])
def test_who_may_not_calibrate(client, db, world, who):
    from tests.support.factories import make_user

    user = (
        make_user(db, "assessor", org_id=world.org.id)
        if who == "unappointed"
        else getattr(world, who)
    )
    sign_in_as(client, user)
    cid = world.credential.id
    assert client.get(f"/review/calibrate/{cid}").status_code in (403, 404)
    assert post_form(client, f"/review/calibrate/{cid}/start").status_code in (403, 404)
    assert db.exec(select(CalibrationAttempt)).first() is None


def test_bad_ids_are_refused_with_a_message(client, world):
    sign_in_as(client, world.assessor)
    assert client.get("/review/calibrate/999999").status_code == 404
    assert client.get("/review/calibrate/99999999999999").status_code == 404
    assert post_form(client, "/review/calibrate/999999/score", {}).status_code == 404
