"""/admin/calibration and /admin/agreement: an admin marks a decided attempt of their own
district as an anchor with true scores (audited), retires one; another district's admin
finds nothing; the agreement page and CSV show the district's figures only."""

from __future__ import annotations

import pytest
from sqlmodel import select

from server.models import AnchorScore, AuditEntry, CalibrationAnchor
from tests.support.calibration_data import make_calibration_world
from tests.support.factories import make_submission
from tests.support.web import post_form, sign_in_as

pytest_plugins = ["tests.support.admin_world"]  # the `db` fixture


@pytest.fixture
def world(db):
    return make_calibration_world(db)


def _truth_form(world) -> dict:
    return {f"met_{c.id}": ("met" if n % 2 else "not_yet") for n, c in enumerate(world.criteria)}


def test_an_admin_marks_an_anchor_with_true_scores(client, db, world):
    sign_in_as(client, world.admin)
    listing = client.get("/admin/calibration").get_data(as_text=True)
    path = f"/admin/calibration/submissions/{world.decided.id}/anchor"
    assert path in listing
    form_page = client.get(path).get_data(as_text=True)
    assert 'value="not_yet" checked' in form_page  # the deciding assessor's scores to start
    partial = _truth_form(world)
    partial.pop(f"met_{world.criteria[0].id}")
    refused = post_form(client, path, partial)
    assert refused.status_code == 422 and "Choose the true score" in refused.get_data(as_text=True)
    assert post_form(client, path, _truth_form(world)).status_code == 303
    anchor = db.exec(
        select(CalibrationAnchor).where(CalibrationAnchor.submission_id == world.decided.id)
    ).one()
    assert anchor.org_id == world.org.id and anchor.created_by == world.admin.id
    truth = db.exec(select(AnchorScore.met).where(AnchorScore.anchor_id == anchor.id)).all()
    assert sorted(truth) == [False, False, True, True]
    assert post_form(client, path, _truth_form(world)).status_code in (404, 409)  # once
    entry = db.exec(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "marked a calibration anchor" and entry.org_id == world.org.id


def test_an_admin_retires_an_anchor_once(client, db, world):
    sign_in_as(client, world.admin)
    anchor = world.anchors[0]
    assert post_form(client, f"/admin/calibration/anchors/{anchor.id}/retire").status_code == 303
    db.expire_all()
    assert db.get(CalibrationAnchor, anchor.id).retired_at is not None
    again = post_form(client, f"/admin/calibration/anchors/{anchor.id}/retire")
    assert again.status_code == 409


def test_waiting_or_foreign_attempts_cannot_become_anchors(client, db, world):
    sign_in_as(client, world.admin)
    assert client.get(f"/admin/calibration/submissions/{world.live.id}/anchor").status_code == 404
    far_teacher_attempt = make_submission(db, world.far_assessor, world.credential)
    path = f"/admin/calibration/submissions/{far_teacher_attempt.id}/anchor"
    assert client.get(path).status_code == 404


def test_another_district_finds_nothing(client, db, world):
    sign_in_as(client, world.far_admin)
    assert "Questioning Strategies" not in client.get("/admin/calibration").get_data(as_text=True)
    path = f"/admin/calibration/submissions/{world.decided.id}/anchor"
    assert client.get(path).status_code == 404
    assert post_form(client, path, _truth_form(world)).status_code == 404
    retire = post_form(client, f"/admin/calibration/anchors/{world.anchors[0].id}/retire")
    assert retire.status_code == 404
    assert "Avery Assessor" not in client.get("/admin/agreement.csv").get_data(as_text=True)


@pytest.mark.parametrize("who", ["assessor", "teacher"])
def test_not_admins_are_refused(client, world, who):
    sign_in_as(client, getattr(world, who))
    for path in ("/admin/calibration", "/admin/agreement", "/admin/agreement.csv"):
        assert client.get(path).status_code == 403


def test_the_agreement_page_and_csv_show_calibration_tries(client, db, world):
    from tests.support.calibration_data import TRUTHS, scores_form

    sign_in_as(client, world.assessor)
    post_form(client, f"/review/calibrate/{world.credential.id}/start")
    from server.models import CalibrationAttempt

    attempt = db.exec(select(CalibrationAttempt)).one()
    post_form(
        client,
        f"/review/calibrate/{world.credential.id}/score",
        scores_form(world, attempt.id, TRUTHS[0]),
    )
    sign_in_as(client, world.admin)
    page = client.get("/admin/agreement").get_data(as_text=True)
    assert "Questioning Strategies" in page and "Avery Assessor" in page and "100.0%" in page
    assert "rough guide" in page
    csv = client.get("/admin/agreement.csv")
    assert csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).splitlines()
    assert lines[0] == "source,group,name,pairs,agreed,percent,kappa,note"
    assert any(line.startswith("calibration,assessor,Avery Assessor,4,4,100.0,") for line in lines)
