"""The admin home's "what needs attention": oldest waiting submissions (with their age and
the district's target), claims past their lease (released with an audit entry), stalled
teachers, credentials with a low first-try award rate; an empty state for each; nothing
of another district."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from server.models import AuditEntry, Submission, utcnow
from tests.support.factories import (
    make_credential,
    make_review,
    make_submission,
    make_user,
)
from tests.support.web import post_form, sign_in_as

LONG_AGO = utcnow() - timedelta(days=30)


pytest_plugins = ["tests.support.admin_world"]


@pytest.fixture
def world(db, districts):
    return {
        **districts,
        "assessor": make_user(db, "assessor", name="Asa Assessor", org_id=districts["home"].id),
        "credential": make_credential(db, title="Fractions as Numbers"),
    }


def _home(client, user) -> str:
    sign_in_as(client, user)
    response = client.get("/admin")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_each_list_has_an_empty_state(client, world):
    page = _home(client, world["admin"])
    assert "Nothing is waiting for review." in page
    assert "No claim has run past its lease." in page
    assert "Nobody with work in progress has stalled." in page
    assert "No credential stands out" in page
    assert "/admin/settings" in page and "/admin/roles" in page  # the Tools list


def test_the_oldest_waiting_submissions_show_their_age_and_the_target(client, db, world):
    teacher = make_user(db, name="Wren Waiting", org_id=world["home"].id)
    make_submission(db, teacher, world["credential"], submitted_at=utcnow() - timedelta(days=9))
    far_teacher = make_user(db, name="Otto Other", org_id=world["far"].id)
    make_submission(db, far_teacher, world["credential"])
    page = _home(client, world["admin"])
    assert "Wren Waiting" in page and "waiting 9 days" in page and "past the target" in page
    assert "1 submission waits" in page and "within 7 days" in page
    assert "Otto Other" not in page


def test_a_lapsed_claim_is_released_once_with_an_audit_entry(client, db, world):
    teacher = make_user(db, name="Lee Lapsed", org_id=world["home"].id)
    submission = make_submission(db, teacher, world["credential"])
    make_review(db, submission, world["assessor"], hours=-2)
    page = _home(client, world["admin"])
    assert "Lee Lapsed" in page and "Asa Assessor" in page
    path = f"/admin/submissions/{submission.id}/release"
    sign_in_as(client, world["far_admin"])
    assert post_form(client, path).status_code == 404  # another district's
    sign_in_as(client, world["admin"])
    assert client.post(path).status_code == 400  # no CSRF token
    assert post_form(client, path).status_code == 303
    db.expire_all()
    assert db.get(Submission, submission.id).status == "submitted"
    [entry] = db.exec(select(AuditEntry)).all()
    assert entry.action == "released a lapsed claim" and entry.actor_id == world["admin"].id
    assert "Fractions as Numbers by Lee Lapsed" == entry.target
    assert post_form(client, path).status_code == 409  # already released
    assert "No claim has run past its lease." in _home(client, world["admin"])


def test_a_live_claim_is_not_listed_nor_released(client, db, world):
    teacher = make_user(db, name="Liv Live", org_id=world["home"].id)
    submission = make_submission(db, teacher, world["credential"])
    make_review(db, submission, world["assessor"], hours=2)
    assert "No claim has run past its lease." in _home(client, world["admin"])
    response = post_form(client, f"/admin/submissions/{submission.id}/release")
    assert response.status_code == 409 and "Asa Assessor is reviewing it now" in response.get_data(
        as_text=True
    )


def test_stalled_teachers_have_work_in_progress_and_no_activity_for_14_days(client, db, world):
    home, credential = world["home"].id, world["credential"]

    def person(name):
        return make_user(db, name=name, org_id=home)

    stalled, busy, done = person("Sid Stalled"), person("Bea Busy"), person("Dot Done")
    old = {"updated_at": LONG_AGO, "submitted_at": None, "created_at": LONG_AGO}
    make_submission(db, stalled, credential, status="draft", **old)
    make_submission(db, busy, credential, status="draft")  # touched now
    make_submission(db, done, credential, status="awarded", **{**old, "decided_at": LONG_AGO})
    page = _home(client, world["admin"])
    assert "Sid Stalled" in page and "1 teacher has a draft" in page
    assert "Bea Busy" not in page and "Dot Done" not in page


def test_credentials_with_a_low_first_try_rate_are_listed(client, db, world):
    hard = make_credential(db, title="Working Memory")
    for n in range(6):
        teacher = make_user(db, org_id=world["home"].id)
        make_submission(db, teacher, hard, status="awarded" if n == 0 else "not_yet")
        make_submission(db, teacher, world["credential"], status="awarded")
    page = _home(client, world["admin"])
    assert "Working Memory: 17% (1 of 6 first tries earned)" in page
    assert "Fractions as Numbers:" not in page
