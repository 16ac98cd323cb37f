"""Scoring mode administration (#15): the district's mode on /admin/settings, a
credential's override in authoring ("District default" keeps the district's), and lead
assessors marked on a person's roles page; each change audited, bad values refused 422."""

from __future__ import annotations

import pytest
from sqlmodel import select

from server.models import AssessorAppointment, AuditEntry, Credential, DistrictSettings
from server.review import modes
from tests.support.factories import make_credential, make_submission, make_user
from tests.support.web import post_form, sign_in_as
from tests.web.test_admin_authoring import _credential_form, _new_stack
from tests.web.test_admin_settings import GOOD

pytest_plugins = ["tests.support.admin_world"]


def _actions(db) -> list[tuple[str, str]]:
    db.expire_all()
    return [(e.action, e.target) for e in db.exec(select(AuditEntry).order_by(AuditEntry.id))]


def test_district_scoring_mode_saved_audited_and_followed(client, db, districts):
    home, admin = districts["home"], districts["admin"]
    credential = make_credential(db)
    attempt = make_submission(db, make_user(db, org_id=home.id), credential)
    sign_in_as(client, admin)
    page = client.get("/admin/settings").get_data(as_text=True)
    assert 'name="scoring_mode"' in page and 'value="single" selected' in page
    refused = post_form(client, "/admin/settings", GOOD | {"scoring_mode": "triple"})
    assert refused.status_code == 422
    assert "Choose single assessor or double blind." in refused.get_data(as_text=True)
    assert db.get(DistrictSettings, home.id) is None  # nothing saved
    assert post_form(client, "/admin/settings", GOOD).status_code == 303
    db.expire_all()
    assert db.get(DistrictSettings, home.id).scoring_mode == "double_blind"
    assert modes.attempt_mode(session=db, submission=attempt).value == "double_blind"
    entry = db.exec(
        select(AuditEntry).where(AuditEntry.action == "changed district settings")
    ).one()
    assert '"scoring_mode": "single"' in entry.before and '"double_blind"' in entry.after


def test_credential_override_with_district_default(client, db, districts):
    sign_in_as(client, districts["admin"])
    stack_id = _new_stack(client)
    bad = _credential_form(scoring_mode="quadruple")
    refused = post_form(client, f"/admin/authoring/stacks/{stack_id}/credentials/new", bad)
    assert refused.status_code == 422
    assert "Choose the district&#39;s default" in refused.get_data(as_text=True)
    made = post_form(
        client,
        f"/admin/authoring/stacks/{stack_id}/credentials/new",
        _credential_form(scoring_mode="double_blind"),
    )
    credential_id = int(made.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    assert db.get(Credential, credential_id).scoring_mode == "double_blind"
    form = client.get(f"/admin/authoring/credentials/{credential_id}").get_data(as_text=True)
    assert '<option value="double_blind" selected>' in form and "District default" in form
    edit = _credential_form(scoring_mode="")
    for key in ("req-0-id", "req-1-id", "crit-0-id", "crit-1-id", "crit-2-id"):
        edit[key] = form.split(f'name="{key}" value="', 1)[1].split('"', 1)[0]
    assert (
        post_form(client, f"/admin/authoring/credentials/{credential_id}", edit).status_code == 303
    )
    db.expire_all()
    assert db.get(Credential, credential_id).scoring_mode is None  # the district's again


@pytest.fixture
def reviewer(db, districts):
    credential = make_credential(db, title="Fractions as Numbers")
    person = make_user(db, "assessor", name="Lee Lead", org_id=districts["home"].id)
    return person, credential.stack_id


def test_lead_assessor_marked_and_cleared_with_audit(client, db, districts, reviewer):
    person, stack_id = reviewer
    path = f"/admin/people/{person.id}/roles"
    sign_in_as(client, districts["admin"])
    assert f'id="lead-{stack_id}"' in client.get(path).get_data(as_text=True)
    lead_only = post_form(client, path, {"roles": "assessor", "leads": str(stack_id)})
    assert lead_only.status_code == 422
    assert "A lead assessor reviews the stack too" in lead_only.get_data(as_text=True)
    assert db.exec(select(AssessorAppointment)).all() == []
    both = {"roles": "assessor", "stacks": str(stack_id), "leads": str(stack_id)}
    assert post_form(client, path, both).status_code == 303
    db.expire_all()
    assert db.exec(select(AssessorAppointment.is_lead)).all() == [True]
    assert (
        post_form(client, path, {"roles": "assessor", "stacks": str(stack_id)}).status_code == 303
    )
    db.expire_all()
    assert db.exec(select(AssessorAppointment.is_lead)).all() == [False]
    actions = [action for action, _ in _actions(db)]
    assert actions[-3:] == ["appointed assessor", "made lead assessor", "removed lead assessor"]
    assert post_form(client, path, {"roles": "assessor", "leads": "99999999999"}).status_code == 422


def test_another_districts_admin_cannot_mark_a_lead(client, db, districts, reviewer):
    person, stack_id = reviewer
    sign_in_as(client, districts["far_admin"])
    both = {"roles": "assessor", "stacks": str(stack_id), "leads": str(stack_id)}
    assert post_form(client, f"/admin/people/{person.id}/roles", both).status_code == 404
    assert db.exec(select(AssessorAppointment)).all() == []
