"""The teacher's "Ask for a second opinion" form on a "not yet" attempt: a reason is
required (the message beside the field), CSRF is checked, the outcome is shown once."""

import pytest
from sqlmodel import select

from server.models import Appeal, Submission
from tests.support.appeal_data import FIRST_FEEDBACK, not_yet_world
from tests.support.evidence import page_token
from tests.support.web import sign_in_as


@pytest.fixture
def world(session):
    world = not_yet_world(session)
    return world.submission, world.teacher, world.first, world.second


def _post(client, submission_id, **form):
    return client.post(
        f"/submissions/{submission_id}/appeal", data={"csrf_token": page_token(client), **form}
    )


def test_empty_reason_is_refused_beside_the_field(client, world, session):
    submission, teacher, *_ = world
    sign_in_as(client, teacher)
    page = client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    assert "Ask for a second opinion" in page and 'for="appeal-reason"' in page
    response = _post(client, submission.id, reason="  ")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="appeal-reason-error">Say why' in html and 'aria-invalid="true"' in html
    assert session.exec(select(Appeal)).all() == []


def test_without_csrf_nothing_is_filed(client, world, session):
    submission, teacher, *_ = world
    sign_in_as(client, teacher)
    response = client.post(f"/submissions/{submission.id}/appeal", data={"reason": "Please"})
    assert response.status_code == 400
    assert session.exec(select(Appeal)).all() == []


def test_filing_then_the_blind_second_page_then_a_second_filing_is_409(client, world, session):
    submission, teacher, first, second = world
    sign_in_as(client, teacher)
    response = _post(client, submission.id, reason="My <b>photo</b> shows part 2.")
    assert response.status_code == 303
    page = client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    assert "Second opinion" in page and "&lt;b&gt;photo&lt;/b&gt;" in page
    assert _post(client, submission.id, reason="Again").status_code == 409
    session.expire_all()
    assert session.get(Submission, submission.id).status == "submitted"
    # The second assessor: no trace of the first decision on the review or attempt page.
    sign_in_as(client, second)
    for url in (f"/review/{submission.id}", f"/submissions/{submission.id}"):
        body = client.get(url).get_data(as_text=True)
        assert FIRST_FEEDBACK not in body and "Jordan Lee" not in body, url
    # The first assessor is refused the claim.
    sign_in_as(client, first)
    assert "Equivalence" not in client.get("/review").get_data(as_text=True)
    claim = client.post(f"/review/{submission.id}/claim", data={"csrf_token": page_token(client)})
    assert claim.status_code == 403
