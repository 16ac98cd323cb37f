"""A coach can't make themselves anyone's coach: adding someone is an invitation, only
within the coach's district, and the coach sees nothing until the person accepts.
The person answers on "My cohorts" (accept, decline, leave)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from server.models import CohortMember, Notification
from tests.support.evidence import make_world, post_upload
from tests.support.factories import make_cohort, make_org, make_user
from tests.support.media import jpeg_bytes
from tests.support.web import csrf_token, post_form, sign_in_as


@pytest.fixture
def world(session):
    return make_world(session)


@pytest.fixture
def photo(client, world):
    sign_in_as(client, world.cast.owner)
    response = post_upload(
        client,
        world.submission.id,
        world.photo_requirement_id,
        data=jpeg_bytes(gps=True, size=(40, 30)),
    )
    assert response.status_code == 201
    return response.get_json()["id"]


@pytest.fixture
def stranger_coach(session, world):
    """A coach of the owner's district who doesn't coach the owner (yet)."""
    district = make_org(session)
    world.cast.owner.org_id = district.id
    session.add(world.cast.owner)
    session.commit()
    return make_user(session, "coach", name="Pat Stranger", org_id=district.id)


def _membership(engine, cohort_id, user_id):
    with Session(engine) as db:
        return db.get(CohortMember, (cohort_id, user_id))


def test_adding_someone_is_an_invitation_and_shows_nothing_until_accepted(
    client, session, engine, world, photo, stranger_coach
):
    owner = world.cast.owner
    cohort = make_cohort(session, stranger_coach, "Pat's cohort")
    sign_in_as(client, stranger_coach)
    added = post_form(client, f"/coach/cohorts/{cohort.id}/members", {"user_id": owner.id})
    assert added.status_code == 303
    assert client.get(f"/evidence/{photo}/file").status_code == 404
    assert _membership(engine, cohort.id, owner.id).status == "invited"
    grid = client.get(f"/coach/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Owner Teacher" not in grid

    sign_in_as(client, owner)
    with Session(engine) as db:
        [notice] = db.exec(select(Notification).where(Notification.user_id == owner.id)).all()
    assert notice.kind == "cohort_invite" and notice.url == "/coach/my-cohorts"
    page = client.get("/coach/my-cohorts").get_data(as_text=True)
    assert "Pat&#39;s cohort" in page and "Accept" in page and "Decline" in page
    accept = f"/coach/my-cohorts/{cohort.id}/accept"
    assert client.post(accept).status_code == 400  # CSRF
    assert post_form(client, accept).status_code == 303

    sign_in_as(client, stranger_coach)
    assert client.get(f"/evidence/{photo}/file").status_code == 200
    assert "Owner Teacher" in client.get(f"/coach/cohorts/{cohort.id}").get_data(as_text=True)


def test_a_coach_cannot_add_someone_of_another_district(client, session, engine, world, photo):
    owner = world.cast.owner
    owner.org_id = make_org(session).id
    session.add(owner)
    session.commit()
    coach = make_user(session, "coach", org_id=make_org(session).id)
    cohort = make_cohort(session, coach)
    sign_in_as(client, coach)
    search = client.get(f"/coach/cohorts/{cohort.id}/members?q=owner")
    assert "Owner Teacher" not in search.get_data(as_text=True)
    added = post_form(client, f"/coach/cohorts/{cohort.id}/members", {"user_id": owner.id})
    assert added.status_code == 404
    listed = post_form(client, f"/coach/cohorts/{cohort.id}/members", {"people": owner.handle})
    assert listed.status_code == 303
    assert _membership(engine, cohort.id, owner.id) is None
    assert client.get(f"/evidence/{photo}/file").status_code == 404


def test_a_coach_without_a_district_invites_nobody(client, session, engine, world):
    coach = make_user(session, "coach")
    cohort = make_cohort(session, coach)
    sign_in_as(client, coach)
    assert (
        post_form(
            client, f"/coach/cohorts/{cohort.id}/members", {"user_id": world.cast.other_teacher.id}
        ).status_code
        == 404
    )
    assert _membership(engine, cohort.id, world.cast.other_teacher.id) is None


def test_the_list_report_never_tells_who_has_an_account(client, session, stranger_coach):
    district = stranger_coach.org_id
    make_user(session, handle="insider", org_id=district)
    make_user(session, handle="outsider", org_id=make_org(session).id)
    cohort = make_cohort(session, stranger_coach)
    sign_in_as(client, stranger_coach)

    def report_for(entry):
        response = client.post(
            f"/coach/cohorts/{cohort.id}/members",
            data={"people": entry},
            headers={"HX-Request": "true", "X-CSRFToken": csrf_token(client)},
        )
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        return text.split('<div id="member-list"')[0].replace(entry, "ENTRY")

    unknown = report_for("nobody-here")
    assert report_for("insider") == unknown  # newly invited
    assert report_for("insider") == unknown  # invited before
    assert report_for("outsider") == unknown  # another district


@pytest.fixture
def declined(client, session, engine, world, stranger_coach):
    """Pat invited the owner, who declined; the client is signed in as the owner."""
    owner = world.cast.owner
    cohort = make_cohort(session, stranger_coach, "Pat's cohort")
    sign_in_as(client, stranger_coach)
    post_form(client, f"/coach/cohorts/{cohort.id}/members", {"user_id": owner.id})
    sign_in_as(client, owner)
    assert post_form(client, f"/coach/my-cohorts/{cohort.id}/leave").status_code == 303
    return cohort


def test_declining_leaves_nothing_to_leave(client, engine, world, declined):
    owner = world.cast.owner
    assert _membership(engine, declined.id, owner.id).status == "left"
    assert "coached by Pat Stranger" not in client.get("/coach/my-cohorts").get_data(as_text=True)
    assert post_form(client, f"/coach/my-cohorts/{declined.id}/leave").status_code == 404


def test_the_coach_cannot_invite_again_after_a_decline(
    client, engine, world, stranger_coach, declined
):
    owner = world.cast.owner
    sign_in_as(client, stranger_coach)
    post_form(client, f"/coach/cohorts/{declined.id}/members", {"user_id": owner.id})
    assert (
        post_form(client, f"/coach/cohorts/{declined.id}/members/{owner.id}/remove").status_code
        == 404
    )
    with Session(engine) as db:
        notices = db.exec(select(Notification).where(Notification.user_id == owner.id)).all()
    assert len(notices) == 1 and _membership(engine, declined.id, owner.id).status == "left"


def test_after_declining_the_link_still_joins_and_leaving_asks_first(
    client, engine, world, declined
):
    assert post_form(client, f"/coach/join/{declined.invite_code}").status_code == 303
    page = client.get("/coach/my-cohorts").get_data(as_text=True)
    assert "Yes, leave Pat&#39;s cohort" in page
    assert post_form(client, f"/coach/my-cohorts/{declined.id}/leave").status_code == 303
    assert _membership(engine, declined.id, world.cast.owner.id).status == "left"


def test_only_the_invited_person_answers(client, session, engine, world, stranger_coach):
    cohort = make_cohort(session, stranger_coach)
    sign_in_as(client, stranger_coach)
    post_form(client, f"/coach/cohorts/{cohort.id}/members", {"user_id": world.cast.owner.id})
    assert client.get("/coach/my-cohorts").status_code == 200
    sign_in_as(client, world.cast.other_teacher)
    assert post_form(client, f"/coach/my-cohorts/{cohort.id}/accept").status_code == 404
    assert post_form(client, f"/coach/my-cohorts/{cohort.id}/leave").status_code == 404
    assert _membership(engine, cohort.id, world.cast.owner.id).status == "invited"
    assert _membership(engine, cohort.id, world.cast.other_teacher.id) is None
    with client.session_transaction() as flask_session:
        flask_session.clear()
    assert client.get("/coach/my-cohorts").status_code == 303  # sign in first
