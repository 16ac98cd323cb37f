"""The independent pool: teachers outside every district are reviewed only by assessors
(and admins) outside every district too; a district's reviewers never see them, and
independent reviewers never see a district's teachers (queue, page, claim, notices)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from server import access
from server.models import Notification
from server.notify import service as notify
from tests.support.factories import appoint, make_credential, make_org, make_submission, make_user
from tests.support.web import post_form, sign_in_as


class Pools:
    def __init__(self, session):
        self.district = make_org(session, name="Riverbend")
        self.credential = make_credential(session, title="Checking for Understanding")
        self.solo_teacher = make_user(session, "teacher", name="Solo Teacher")
        self.solo_assessor = make_user(session, "assessor", name="Solo Assessor")
        self.solo_admin = make_user(session, "admin", name="Solo Admin")
        home = {"org_id": self.district.id}
        self.district_teacher = make_user(session, "teacher", name="District Teacher", **home)
        self.district_assessor = make_user(session, "assessor", **home)
        self.district_admin = make_user(session, "admin", **home)
        for reviewer in (self.solo_assessor, self.district_assessor):
            appoint(session, reviewer, self.credential)
        self.solo_work = make_submission(session, self.solo_teacher, self.credential)
        self.district_work = make_submission(session, self.district_teacher, self.credential)


@pytest.fixture
def pools(session):
    return Pools(session)


def test_pools_are_explicit(pools):
    assert access.is_independent(pools.solo_teacher)
    assert access.pool_of(pools.district_teacher) == pools.district.id
    assert access.same_district(pools.solo_teacher, pools.solo_assessor)
    assert not access.same_district(pools.solo_teacher, pools.district_assessor)


@pytest.mark.parametrize("who", ["district_assessor", "district_admin"])
def test_district_reviewers_never_see_independent_teachers(client, pools, who):
    sign_in_as(client, getattr(pools, who))
    sid = pools.solo_work.id
    queue = client.get("/review").get_data(as_text=True)
    assert f"/review/{sid}" not in queue and "Solo Teacher" not in queue
    assert f"/review/{pools.district_work.id}" in queue
    assert client.get(f"/review/{sid}").status_code == 404
    assert client.get(f"/submissions/{sid}").status_code == 404
    assert post_form(client, f"/review/{sid}/claim").status_code == 404


@pytest.mark.parametrize("who", ["solo_assessor", "solo_admin"])
def test_independent_reviewers_see_only_the_independent_pool(client, pools, who):
    sign_in_as(client, getattr(pools, who))
    queue = client.get("/review").get_data(as_text=True)
    assert f"/review/{pools.solo_work.id}" in queue
    assert "independent pool" in queue
    assert f"/review/{pools.district_work.id}" not in queue
    assert client.get(f"/review/{pools.district_work.id}").status_code == 404
    assert post_form(client, f"/review/{pools.district_work.id}/claim").status_code == 404
    assert client.get(f"/review/{pools.solo_work.id}").status_code == 200


def test_new_work_notices_stay_in_the_pool(session, pools):
    notify.notify_assessors_of_new_submission(session=session, submission=pools.solo_work)
    session.commit()
    told = set(
        session.exec(
            select(Notification.user_id).where(Notification.kind == notify.REVIEW_QUEUE_KIND)
        )
    )
    assert told == {pools.solo_assessor.id, pools.solo_admin.id}


def test_a_district_the_operator_opted_in_reviews_the_pool_too(client, runner, session, pools):
    result = runner.invoke(args=["district", "review-independent", pools.district.slug, "on"])
    assert result.exit_code == 0, result.output
    far = make_org(session, name="Far")
    far_assessor = make_user(session, "assessor", org_id=far.id)
    appoint(session, far_assessor, pools.credential)
    sign_in_as(client, pools.district_assessor)
    sid = pools.solo_work.id
    assert f"/review/{sid}" in client.get("/review").get_data(as_text=True)
    assert client.get(f"/review/{sid}").status_code == 200
    assert post_form(client, f"/review/{sid}/claim").status_code == 303
    sign_in_as(client, far_assessor)  # a district that did not opt in still sees nothing
    assert f"/review/{sid}" not in client.get("/review").get_data(as_text=True)
    assert client.get(f"/review/{sid}").status_code == 404
    sign_in_as(client, pools.solo_assessor)  # and the pool's own never see the district
    assert client.get(f"/review/{pools.district_work.id}").status_code == 404


def test_an_opted_in_districts_admin_is_no_insider(session, pools):
    pools.district.reviews_independent = True
    session.add(pools.district)
    session.commit()
    admin = pools.district_admin
    assert access.may_review(session=session, user=admin, submission=pools.solo_work)
    assert not access.sees_as_insider(session=session, user=admin, submission=pools.solo_work)
    notify.notify_assessors_of_new_submission(session=session, submission=pools.solo_work)
    session.commit()
    told = set(session.exec(select(Notification.user_id)))
    assert {pools.district_assessor.id, admin.id} <= told


def test_the_switch_needs_a_known_district(runner):
    result = runner.invoke(args=["district", "review-independent", "nowhere", "on"])
    assert result.exit_code != 0 and "No district has the slug" in result.output
