"""An anchor's evidence files: readable by an assessor only while their calibration try
of it is open — not after scoring it, not by another assessor, teacher or district, not
once the anchor is retired; and the submission page (it names the teacher) stays closed."""

from __future__ import annotations

import pytest
from sqlmodel import select

from server.models import CalibrationAttempt, EvidenceRequirement, SubmissionStatus, utcnow
from tests.support.calibration_data import TRUTHS, make_anchor, make_calibration_world, scores_form
from tests.support.evidence import post_upload
from tests.support.factories import make_review, make_submission, make_user, set_status
from tests.support.media import jpeg_bytes
from tests.support.web import post_form, sign_in_as

pytest_plugins = ["tests.support.admin_world"]  # the `db` fixture


@pytest.fixture
def anchored(client, db):
    """A world whose only anchor holds a real uploaded photo; returns (world, anchor, item)."""
    world = make_calibration_world(db, anchors=0)
    draft = make_submission(db, world.teacher, world.credential, status=SubmissionStatus.DRAFT)
    photo_part = db.exec(
        select(EvidenceRequirement).where(
            EvidenceRequirement.credential_id == world.credential.id,
            EvidenceRequirement.kind == "photo",
        )
    ).one()
    sign_in_as(client, world.teacher)
    upload = post_upload(client, draft.id, photo_part.id, data=jpeg_bytes(size=(80, 60)))
    assert upload.status_code == 201
    set_status(db, draft, SubmissionStatus.SUBMITTED)
    make_review(db, draft, make_user(db, "assessor", org_id=world.org.id), decision="awarded")
    anchor = make_anchor(db, draft, org_id=world.org.id, by=world.admin, truth=TRUTHS[0])
    with client.session_transaction() as flask_session:
        flask_session.clear()
    return world, anchor, upload.get_json()["id"]


def _fetch(client, user, item_id) -> int:
    with client.session_transaction() as flask_session:
        flask_session.clear()
    if user is not None:
        sign_in_as(client, user)
    return client.get(f"/evidence/{item_id}/file").status_code


def test_only_while_calibrating_on_that_anchor(client, db, anchored):
    world, anchor, item = anchored
    assert _fetch(client, world.assessor, item) == 404  # not started yet
    post_form(client, f"/review/calibrate/{world.credential.id}/start")
    page = client.get(f"/review/calibrate/{world.credential.id}").get_data(as_text=True)
    assert f"/evidence/{item}/file" in page
    assert _fetch(client, world.assessor, item) == 200
    assert client.get(f"/submissions/{anchor.submission_id}").status_code == 404
    outsiders = (world.other_assessor, world.far_assessor, world.far_admin, None)
    outsiders += (make_user(db, "teacher", org_id=world.org.id),)
    for outsider in outsiders:
        assert _fetch(client, outsider, item) in (401, 404), outsider
    attempt = db.exec(select(CalibrationAttempt)).one()
    sign_in_as(client, world.assessor)
    scored = post_form(
        client,
        f"/review/calibrate/{world.credential.id}/score",
        scores_form(world, attempt.id, TRUTHS[0]),
    )
    assert scored.status_code == 303
    assert _fetch(client, world.assessor, item) == 404  # scored: closed again


def test_a_retired_anchor_closes_an_open_try(client, db, anchored):
    world, anchor, item = anchored
    sign_in_as(client, world.assessor)
    post_form(client, f"/review/calibrate/{world.credential.id}/start")
    assert _fetch(client, world.assessor, item) == 200
    anchor.retired_at = utcnow()
    db.add(anchor)
    db.commit()
    assert _fetch(client, world.assessor, item) == 404
    # Nothing active is left: the credential is no longer gated either.
    assert client.get(f"/review/calibrate/{world.credential.id}").status_code == 404
    assert post_form(client, f"/review/{world.live.id}/claim").status_code == 303
