"""The People page: a district's admin lists and searches its people, switches an account
off (after confirming) and on, and makes a one-time device link; all in the audit log."""

from __future__ import annotations

import pytest
from sqlmodel import select

from server.admin.people import PAGE_SIZE
from server.auth.session import start_session_for
from server.errors import Forbidden
from server.models import AuditEntry, Award, User
from tests.support.factories import make_award, make_credential, make_org, make_user
from tests.support.web import post_form, sign_in_as, signed_in_user_id


@pytest.fixture
def world(session, client):
    home, far = make_org(session, name="Home"), make_org(session, name="Far")
    admin = make_user(session, "admin", name="Ada Admin", org_id=home.id)
    teacher = make_user(
        session, "teacher", name="Tia Teacher", email="tia@home.org", org_id=home.id
    )
    stranger = make_user(session, "teacher", name="Far Person", org_id=far.id)
    sign_in_as(client, admin)
    return admin, teacher, stranger


def test_the_list_shows_only_the_district_and_searches(client, world):
    admin, teacher, stranger = world
    page = client.get("/admin/people").get_data(as_text=True)
    assert "Tia Teacher" in page and "Far Person" not in page
    found = client.get("/admin/people?q=TIA@home").get_data(as_text=True)
    assert "Tia Teacher" in found and f"@{admin.handle}" not in found
    assert "0 people" in client.get("/admin/people?q=%25").get_data(as_text=True)


def test_pages(client, session, world):
    admin = world[0]
    for n in range(PAGE_SIZE + 1):
        make_user(session, "teacher", name=f"Zed {n:03}", org_id=admin.org_id)
    second = client.get("/admin/people?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second and "Zed" in second
    assert client.get("/admin/people?page=abc").status_code == 200


def test_switching_off_ends_sessions_keeps_awards_and_blocks_sign_in(client, app, session, world):
    admin, teacher, _ = world
    award = make_award(session, teacher, make_credential(session))
    teacher_client = app.test_client()
    sign_in_as(teacher_client, teacher)
    confirm = client.get(f"/admin/people/{teacher.id}/deactivate").get_data(as_text=True)
    assert "Switch off the account" in confirm
    response = post_form(client, f"/admin/people/{teacher.id}/deactivate")
    assert response.status_code == 303
    assert signed_in_user_id(teacher_client) is None
    session.expire_all()
    assert session.get(User, teacher.id).deactivated_at is not None
    assert session.get(Award, award.id).revoked_at is None
    with pytest.raises(Forbidden):  # what every sign-in (passkey, link, recovery) goes through
        start_session_for(app, teacher.id)
    assert post_form(client, f"/admin/people/{teacher.id}/reactivate").status_code == 303
    session.expire_all()
    assert session.get(User, teacher.id).deactivated_at is None
    actions = session.exec(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["deactivated", "reactivated"]


def test_an_admin_cannot_switch_themselves_off(client, world):
    admin = world[0]
    assert "can't switch off your own" in client.get(
        f"/admin/people/{admin.id}/deactivate"
    ).get_data(as_text=True)
    response = post_form(client, f"/admin/people/{admin.id}/deactivate")
    assert response.status_code == 422
    assert signed_in_user_id(client) == admin.id


def test_a_new_device_link_is_shown_once_and_logged(client, session, world):
    _, teacher, _ = world
    assert post_form(client, f"/admin/people/{teacher.id}/device-link").status_code == 303
    page = client.get("/admin/people/device-link").get_data(as_text=True)
    assert "A new device link for Tia Teacher" in page and "/auth/link/" in page
    assert client.get("/admin/people/device-link").status_code == 303  # shown once
    entry = session.exec(select(AuditEntry)).one()
    assert entry.action == "made a new device link for" and "Tia Teacher" in entry.target


@pytest.mark.parametrize("path", ["deactivate", "reactivate", "device-link"])
def test_people_of_another_district_are_not_found(client, session, world, path):
    stranger = world[2]
    assert post_form(client, f"/admin/people/{stranger.id}/{path}").status_code == 404
    assert session.exec(select(AuditEntry)).first() is None


def test_non_admins_are_refused(client, session, world):
    _, teacher, _ = world
    sign_in_as(client, teacher)
    assert client.get("/admin/people").status_code == 403
    assert post_form(client, f"/admin/people/{teacher.id}/deactivate").status_code == 403
