"""Every submissions route × every role gets exactly the access of server/access.py;
writes are the owner's alone."""

import pytest
from sqlmodel import select

from server.models import Submission
from tests.support.evidence import ROLES, as_role, make_world, page_token
from tests.support.factories import make_review, set_status

SEES_DRAFT = {"owner", "coach", "admin"}
SEES_SUBMITTED = SEES_DRAFT | {"assessor"}


@pytest.fixture
def world(session):
    return make_world(session)


def _expected_view(role, seers):
    if role == "anonymous":
        return 303
    return 200 if role in seers else 404


@pytest.mark.parametrize("role", ROLES)
def test_show_draft(client, world, role):
    as_role(client, world, role)
    response = client.get(f"/submissions/{world.submission.id}")
    assert response.status_code == _expected_view(role, SEES_DRAFT)
    if role == "anonymous":
        assert "/auth/sign-in" in response.headers["Location"]
    if response.status_code == 200:
        html = response.get_data(as_text=True)
        editable = f'action="/submissions/{world.submission.id}/submit"' in html
        assert editable == (role == "owner")


@pytest.mark.parametrize("role", ROLES)
def test_show_submitted(client, session, world, role):
    set_status(session, world.submission, "submitted")
    as_role(client, world, role)
    response = client.get(f"/submissions/{world.submission.id}")
    assert response.status_code == _expected_view(role, SEES_SUBMITTED)
    if response.status_code == 200:
        assert "evidence-add" not in response.get_data(as_text=True)  # read-only for all


@pytest.mark.parametrize("role", ROLES)
def test_submit(client, session, world, role):
    as_role(client, world, role)
    token = page_token(client)
    response = client.post(
        f"/submissions/{world.submission.id}/submit", data={"csrf_token": token, "consent": "yes"}
    )
    expected = {"anonymous": 303, "owner": 422, "coach": 403, "admin": 403}.get(role, 404)
    assert response.status_code == expected  # the owner's draft is still empty: 422
    assert session.get(Submission, world.submission.id).status == "draft"


@pytest.mark.parametrize("role", ROLES)
def test_retry(client, session, world, role):
    set_status(session, world.submission, "submitted")
    make_review(
        session, world.submission, world.cast.assessor, decision="not_yet", feedback="More please"
    )
    as_role(client, world, role)
    response = client.post(
        f"/submissions/{world.submission.id}/retry", data={"csrf_token": page_token(client)}
    )
    # The assessor who decided it may still read it, but only the owner may try again.
    expected = {"anonymous": 303, "owner": 303, "coach": 403, "admin": 403, "assessor": 403}.get(
        role, 404
    )
    assert response.status_code == expected
    attempts = session.exec(
        select(Submission).where(Submission.credential_id == world.credential.id)
    ).all()
    assert len(attempts) == (2 if role == "owner" else 1)


@pytest.mark.parametrize("role", ROLES)
def test_start_is_for_anyone_signed_in_and_only_for_themselves(client, session, world, role):
    user = as_role(client, world, role)
    response = client.post(
        f"/credentials/{world.credential.slug}/start", data={"csrf_token": page_token(client)}
    )
    assert response.status_code == 303
    if user is None:
        assert "/auth/sign-in" in response.headers["Location"]
        return
    mine = session.exec(
        select(Submission).where(
            Submission.user_id == user.id, Submission.credential_id == world.credential.id
        )
    ).one()
    assert response.headers["Location"].endswith(f"/submissions/{mine.id}")


@pytest.mark.parametrize("role", ROLES)
def test_my_credentials_lists_only_my_own(client, world, role):
    as_role(client, world, role)
    response = client.get("/me/credentials")
    if role == "anonymous":
        assert response.status_code == 303
        return
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert (world.credential.title in html) == (role == "owner")


@pytest.mark.parametrize(
    "path", ["/credentials/{slug}/start", "/submissions/{id}/submit", "/submissions/{id}/retry"]
)
def test_posts_without_csrf_are_refused_and_change_nothing(client, session, world, path):
    as_role(client, world, "owner")
    url = path.format(slug=world.credential.slug, id=world.submission.id)
    response = client.post(url, data={"consent": "yes"})
    assert response.status_code == 400
    assert "nothing was saved" in response.get_data(as_text=True)
    rows = session.exec(select(Submission)).all()
    assert [(s.id, s.status) for s in rows] == [(world.submission.id, "draft")]
