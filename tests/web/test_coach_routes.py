"""Coach pages: only coaches (and admins), only their own cohorts, CSRF on every POST."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from server import jobs
from server.models import CohortMember, Notification, Nudge
from server.notify import subscriptions
from tests.support.coaching import add_member, daytime_zone
from tests.support.factories import make_credential, make_submission, make_user
from tests.support.push_service import LOCAL_PUSH
from tests.support.web import csrf_token, htmx_headers, post_form, sign_in_as

# The fixture `receiver`: a local push service.
pytest_plugins = ["tests.support.push_fixtures"]


@pytest.fixture
def maya(session, cohort):
    return add_member(
        session,
        cohort,
        "Maya Lopez",
        handle="maya",
        email="maya@example.org",
        timezone=daytime_zone(),
    )  # never in quiet hours while the test runs


def hx(client, **extra):
    return htmx_headers(**{"X-CSRFToken": csrf_token(client)}, **extra)


def test_cohort_pages_are_for_coaches_and_admins(client, session, cohort):
    assert client.get("/coach/cohorts").status_code == 303  # signed out: sign in first
    sign_in_as(client, make_user(session, "teacher"))
    assert client.get("/coach/cohorts").status_code == 403
    assert client.get(f"/coach/cohorts/{cohort.id}").status_code == 403
    sign_in_as(client, make_user(session, "admin", org_id=cohort.org_id))
    page = client.get(f"/coach/cohorts/{cohort.id}")
    assert page.status_code == 200 and "Early Adopters" in page.get_data(as_text=True)


def test_a_coach_never_sees_another_coachs_cohort(client, session, cohort, maya):
    other = make_user(session, "coach")
    sign_in_as(client, other)
    assert f'href="/coach/cohorts/{cohort.id}"' not in client.get("/coach/cohorts").get_data(
        as_text=True
    )
    for path in (
        f"/coach/cohorts/{cohort.id}",
        f"/coach/cohorts/{cohort.id}/members",
        f"/coach/cohorts/{cohort.id}/members?q=maya",
        f"/coach/cohorts/{cohort.id}/nudge-message?template=stalled",
    ):
        assert client.get(path).status_code == 404, path
    for path, data in (
        (f"/coach/cohorts/{cohort.id}/nudges", {"member_ids": maya.id, "message": "Hi"}),
        (f"/coach/cohorts/{cohort.id}/members", {"people": "maya"}),
        (f"/coach/cohorts/{cohort.id}/members/{maya.id}/remove", {}),
    ):
        assert post_form(client, path, data).status_code == 404, path
    with Session(client.application.extensions["db_engine"]) as db:
        assert db.exec(select(Nudge)).all() == []
        assert db.get(CohortMember, (cohort.id, maya.id)) is not None


def test_creating_a_cohort(client, coach, engine):
    sign_in_as(client, coach)
    empty = post_form(client, "/coach/cohorts", {"name": "  "})
    assert empty.status_code == 422 and "Give the cohort a name" in empty.get_data(as_text=True)
    created = post_form(client, "/coach/cohorts", {"name": "Grade 4 team"})
    assert created.status_code == 303 and "/members" in created.headers["Location"]
    assert "Grade 4 team" in client.get("/coach/cohorts").get_data(as_text=True)
    assert client.post("/coach/cohorts", data={"name": "No token"}).status_code == 400


def test_the_dashboard_shows_members_credentials_and_filters(client, session, coach, cohort, maya):
    credential = make_credential(session, title="Fractions as Numbers")
    make_submission(session, maya, credential, status="not_yet", with_evidence=False)
    sign_in_as(client, coach)
    html = client.get(f"/coach/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Maya Lopez" in html and "Fractions as Numbers" in html and "Not yet" in html
    assert 'name="member_ids"' in html and "Send nudge" in html
    fragment = client.get(f"/coach/cohorts/{cohort.id}?filter=stalled", headers=htmx_headers())
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and "Nobody matches this filter" in text


def test_the_nudge_message_templates(client, coach, cohort):
    sign_in_as(client, coach)
    response = client.get(
        f"/coach/cohorts/{cohort.id}/nudge-message?template=not_yet", headers=htmx_headers()
    )
    assert "most people earn it" in response.get_data(as_text=True)


def test_finding_and_inviting_people(client, session, coach, cohort, engine):
    jo = make_user(
        session, name="Jo Park", handle="jo", email="jo@example.org", org_id=coach.org_id
    )
    sign_in_as(client, coach)
    results = client.get(f"/coach/cohorts/{cohort.id}/members?q=park", headers=htmx_headers())
    assert "Jo Park" in results.get_data(as_text=True)
    no_js = client.get(f"/coach/cohorts/{cohort.id}/members?q=park")
    assert "Jo Park" in no_js.get_data(as_text=True) and "<html" in no_js.get_data(as_text=True)

    added = client.post(
        f"/coach/cohorts/{cohort.id}/members", data={"user_id": jo.id}, headers=hx(client)
    )
    html = added.get_data(as_text=True)
    assert added.status_code == 200  # the fragment's `status` once became the HTTP status
    assert 'role="status">Invited</span>' in html and 'hx-swap-oob="true"' in html
    assert "Invited, waiting for an answer" in html and "Withdraw invitation" in html
    with Session(engine) as db:
        assert db.get(CohortMember, (cohort.id, jo.id)).status == "invited"


def test_pasting_a_list_reports_each_person(client, session, coach, cohort, maya, engine):
    ana = make_user(session, name="Ana Ruiz", handle="ana", org_id=coach.org_id)
    sign_in_as(client, coach)
    response = client.post(
        f"/coach/cohorts/{cohort.id}/members",
        data={"people": "ana\nmaya@example.org\nghost@example.org"},
        headers=hx(client),
    )
    html = response.get_data(as_text=True)
    assert "has an account in your district: ana, ghost@example.org." in html
    assert "Already members: Maya Lopez" in html
    with Session(engine) as db:
        assert db.get(CohortMember, (cohort.id, ana.id)).status == "invited"
    no_js = post_form(client, f"/coach/cohorts/{cohort.id}/members", {"people": ""})
    assert no_js.status_code == 422 and "at least one" in no_js.get_data(as_text=True)


def test_removing_a_member(client, coach, cohort, maya, engine):
    sign_in_as(client, coach)
    assert client.post(f"/coach/cohorts/{cohort.id}/members/{maya.id}/remove").status_code == 400
    response = post_form(client, f"/coach/cohorts/{cohort.id}/members/{maya.id}/remove")
    assert response.status_code == 303
    with Session(engine) as db:
        assert db.get(CohortMember, (cohort.id, maya.id)) is None


def test_nudging_once_a_day_and_it_reaches_inbox_and_phone(
    app, client, session, coach, cohort, maya, engine, receiver
):
    browser = receiver.new_browser()
    subscriptions.save(
        session=session, user=maya, data=subscriptions.parse(browser.as_json(), policy=LOCAL_PUSH)
    )
    session.commit()
    sign_in_as(client, coach)
    data = {"member_ids": [str(maya.id)], "message": "Hi {first_name}, one small step?"}
    no_token = client.post(f"/coach/cohorts/{cohort.id}/nudges", data=data)
    assert no_token.status_code == 400

    first = client.post(f"/coach/cohorts/{cohort.id}/nudges", data=data, headers=hx(client))
    second = client.post(f"/coach/cohorts/{cohort.id}/nudges", data=data, headers=hx(client))
    with app.app_context():
        assert jobs.backend().drain(10)

    assert "Nudged now: Maya Lopez" in first.get_data(as_text=True)
    assert "Already nudged today, not sent: Maya Lopez" in second.get_data(as_text=True)
    with Session(engine) as db:
        [notice] = db.exec(select(Notification).where(Notification.kind == "nudge")).all()
    assert (notice.user_id, notice.kind, notice.body) == (
        maya.id,
        "nudge",
        "Hi Maya, one small step?",
    )
    assert receiver.errors == []
    assert [m.payload["title"] for m in receiver.received] == ["A nudge from Sam Coach"]


def test_a_nudge_without_members_or_message_is_explained(client, coach, cohort, maya):
    sign_in_as(client, coach)
    nobody = client.post(
        f"/coach/cohorts/{cohort.id}/nudges", data={"message": "Hi"}, headers=hx(client)
    )
    assert nobody.status_code == 422 and "Choose at least one" in nobody.get_data(as_text=True)
    no_js = post_form(
        client, f"/coach/cohorts/{cohort.id}/nudges", {"member_ids": maya.id, "message": " "}
    )
    assert no_js.status_code == 303


def test_teachers_cannot_nudge(client, session, cohort, maya):
    sign_in_as(client, make_user(session, "teacher"))
    response = post_form(
        client, f"/coach/cohorts/{cohort.id}/nudges", {"member_ids": maya.id, "message": "Hi"}
    )
    assert response.status_code == 403


def test_joining_with_the_invite_link(client, session, cohort, engine):
    teacher = make_user(session, name="New Teacher")
    link = f"/coach/join/{cohort.invite_code}"
    assert client.get(link).status_code == 303  # sign in first
    sign_in_as(client, teacher)
    page = client.get(link)
    assert page.status_code == 200 and "Sam Coach" in page.get_data(as_text=True)
    assert client.post(link).status_code == 400  # CSRF
    assert post_form(client, link).status_code == 303
    with Session(engine) as db:
        assert db.get(CohortMember, (cohort.id, teacher.id)) is not None
    assert client.get("/coach/join/nope").status_code == 404
