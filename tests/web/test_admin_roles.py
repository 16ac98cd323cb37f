"""Roles (/admin/roles, /admin/people/<id>/roles): appointments the review queue follows at
once, coach and admin roles, one audit entry per change, the last admin kept, per-field
errors with nothing saved, and people of another district out of reach."""

from __future__ import annotations

import pytest
from sqlmodel import select

from server.models import AssessorAppointment, AuditEntry, Stack, User
from tests.support.factories import make_credential, make_submission, make_user
from tests.support.web import post_form, sign_in_as

pytest_plugins = ["tests.support.admin_world"]


@pytest.fixture
def world(db, districts):
    home, far = districts["home"], districts["far"]
    credential = make_credential(db, title="Fractions as Numbers")
    teacher = make_user(db, name="Tia Teacher", org_id=home.id)
    return {
        **districts,
        "credential": credential,
        "stack_id": credential.stack_id,
        "reviewer": make_user(db, "teacher", name="Rui Reviewer", org_id=home.id),
        "stranger": make_user(db, "teacher", name="Fay Faraway", org_id=far.id),
        "submission": make_submission(db, teacher, credential),
    }


def _roles_of(db, user) -> str:
    db.expire_all()
    return db.get(User, user.id).roles


def _audit(db) -> list[tuple[str, str]]:
    db.expire_all()
    return [(e.action, e.target) for e in db.exec(select(AuditEntry).order_by(AuditEntry.id))]


def _queue_has_submission(client, world) -> bool:
    sign_in_as(client, world["reviewer"])
    return f"/review/{world['submission'].id}" in client.get("/review").get_data(as_text=True)


def test_the_queue_follows_an_appointment_at_once(client, db, world):
    reviewer_path = f"/admin/people/{world['reviewer'].id}/roles"
    assert not _queue_has_submission(client, world)
    sign_in_as(client, world["admin"])
    appoint = {"roles": "assessor", "stacks": str(world["stack_id"])}
    assert post_form(client, reviewer_path, appoint).status_code == 303
    assert _queue_has_submission(client, world)
    sign_in_as(client, world["admin"])
    assert post_form(client, reviewer_path, {"roles": "assessor"}).status_code == 303
    assert not _queue_has_submission(client, world)
    stack = world["credential"].stack_id
    assert (
        db.exec(select(AssessorAppointment).where(AssessorAppointment.stack_id == stack)).all()
        == []
    )
    name = "Rui Reviewer"
    assert _audit(db) == [
        ("made assessor", name),
        ("appointed assessor", f"{name} for {_stack_title(db, world)}"),
        ("removed assessor", f"{name} for {_stack_title(db, world)}"),
    ]


def _stack_title(db, world) -> str:
    return db.get(Stack, world["stack_id"]).title


def test_coach_and_admin_roles_are_given_and_taken_and_logged(client, db, world):
    sign_in_as(client, world["admin"])
    path = f"/admin/people/{world['reviewer'].id}/roles"
    post_form(client, path, {"roles": ["coach", "admin"]})
    assert _roles_of(db, world["reviewer"]) == "teacher,coach,admin"
    post_form(client, path, {"roles": ["coach"]})
    assert _roles_of(db, world["reviewer"]) == "teacher,coach"
    assert [action for action, _ in _audit(db)] == [
        "made coach",
        "made admin",
        "removed admin role",
    ]
    page = client.get("/admin/roles").get_data(as_text=True)
    assert "Rui Reviewer" in page and "Ana Admin" in page


def test_the_last_admin_cannot_remove_their_own_role(client, db, world):
    sign_in_as(client, world["admin"])
    path = f"/admin/people/{world['admin'].id}/roles"
    response = post_form(client, path, {"roles": "coach"})
    assert response.status_code == 422
    assert "You are the last admin of Home District" in response.get_data(as_text=True)
    assert _roles_of(db, world["admin"]) == "admin" and _audit(db) == []
    # With a second admin, stepping down is fine.
    post_form(client, f"/admin/people/{world['reviewer'].id}/roles", {"roles": "admin"})
    assert post_form(client, path, {"roles": "coach"}).status_code == 303
    assert _roles_of(db, world["admin"]) == "coach"


def test_bad_choices_get_messages_next_to_their_fields_and_nothing_is_saved(client, db, world):
    sign_in_as(client, world["admin"])
    path = f"/admin/people/{world['reviewer'].id}/roles"
    stack = str(world["stack_id"])
    cases = [
        ({"roles": "coach", "stacks": stack}, "stacks", "needs the assessor role"),
        ({"roles": "superuser"}, "roles", "Choose among assessor, coach and admin."),
        ({"roles": "assessor", "stacks": "99999"}, "stacks", "Choose stacks from the list."),
        ({"roles": "assessor", "stacks": "9" * 5000}, "stacks", "Choose stacks from the list."),
    ]
    for form, field, message in cases:
        response = post_form(client, path, form)
        page = response.get_data(as_text=True)
        assert response.status_code == 422, form
        assert f'<p class="field-error" id="{field}-error">' in page
        assert message in page.split(f'id="{field}-error">')[1].split("</p>")[0], form
    assert _roles_of(db, world["reviewer"]) == "teacher" and _audit(db) == []
    assert db.exec(select(AssessorAppointment)).all() == []


def test_people_of_another_district_are_out_of_reach(client, db, world):
    sign_in_as(client, world["admin"])
    path = f"/admin/people/{world['stranger'].id}/roles"
    assert client.get(path).status_code == 404
    assert post_form(client, path, {"roles": "admin"}).status_code == 404
    assert _roles_of(db, world["stranger"]) == "teacher" and _audit(db) == []
    found = client.get("/admin/roles?q=fa").get_data(as_text=True)
    assert "Fay Faraway" not in found
    sign_in_as(client, world["far_admin"])
    home_person = f"/admin/people/{world['reviewer'].id}/roles"
    assert post_form(client, home_person, {"roles": "admin"}).status_code == 404
    assert _roles_of(db, world["reviewer"]) == "teacher"
