"""The teacher's pages: the draft page, submit, resubmit with feedback, my credentials,
and the start button the credential page includes."""

import pytest
from flask import g, render_template
from sqlmodel import select

from server.models import Submission
from tests.support.evidence import as_role, make_world, page_token, post_upload
from tests.support.factories import make_review, make_submission, make_user, set_status
from tests.support.media import jpeg_bytes
from tests.support.web import sign_in_as


@pytest.fixture
def world(session):
    return make_world(session)


@pytest.fixture
def owner_client(client, world):
    as_role(client, world, "owner")
    return client


def _fill(client, world):
    assert (
        post_upload(
            client,
            world.submission.id,
            world.photo_requirement_id,
            data=jpeg_bytes(gps=True, size=(90, 60)),
        ).status_code
        == 201
    )
    response = client.post(
        f"/submissions/{world.submission.id}/requirements/{world.text_requirement_id}/text",
        data={"csrf_token": page_token(client), "text": "Students explained their thinking."},
    )
    assert response.status_code == 303


def test_draft_page_has_an_input_for_each_requirement(owner_client, world):
    html = owner_client.get(f"/submissions/{world.submission.id}").get_data(as_text=True)
    assert 'accept="image/*"' in html and 'capture="environment"' in html
    assert 'hx-trigger="input changed delay:800ms"' in html
    assert "js/evidence/upload-forms.js" in html
    assert "Show photo evidence" in html and "Show text evidence" in html
    assert "Still needed before you can submit" in html
    assert "I have permission to share images of students" in html


def test_submit_without_consent_explains_and_keeps_the_draft(owner_client, world, session):
    _fill(owner_client, world)
    response = owner_client.post(
        f"/submissions/{world.submission.id}/submit", data={"csrf_token": page_token(owner_client)}
    )
    assert response.status_code == 422
    assert "Please confirm you have permission" in response.get_data(as_text=True)
    assert session.get(Submission, world.submission.id).status == "draft"


def test_submit_with_missing_evidence_lists_it(owner_client, world):
    response = owner_client.post(
        f"/submissions/{world.submission.id}/submit",
        data={"csrf_token": page_token(owner_client), "consent": "yes"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "part 1 needs 1 more photo; part 2 needs 1 more written response" in html


def test_submit_then_the_attempt_is_read_only(owner_client, world, session):
    _fill(owner_client, world)
    response = owner_client.post(
        f"/submissions/{world.submission.id}/submit",
        data={"csrf_token": page_token(owner_client), "consent": "yes"},
    )
    assert response.status_code == 303
    submitted = session.get(Submission, world.submission.id)
    session.refresh(submitted)
    assert submitted.status == "submitted" and submitted.version == 2
    page = owner_client.get(f"/submissions/{world.submission.id}").get_data(as_text=True)
    assert "Submitted" in page and "evidence-add" not in page and "<textarea" not in page
    assert "Students explained their thinking." in page


def test_retry_shows_the_feedback_beside_the_rubric(owner_client, world, session):
    _fill(owner_client, world)
    set_status(session, world.submission, "submitted")
    make_review(
        session,
        world.submission,
        world.cast.assessor,
        decision="not_yet",
        feedback="Your photo doesn't show the number line yet.",
        scores={0: (True, "Clear learning goal."), 1: (False, "Show student talk.")},
    )
    response = owner_client.post(
        f"/submissions/{world.submission.id}/retry", data={"csrf_token": page_token(owner_client)}
    )
    assert response.status_code == 303
    second = session.exec(select(Submission).where(Submission.attempt == 2)).one()
    assert response.headers["Location"].endswith(f"/submissions/{second.id}")
    html = owner_client.get(f"/submissions/{second.id}").get_data(as_text=True)
    assert "Feedback on attempt 1" in html
    assert "Your photo doesn&#39;t show the number line yet." in html
    assert "Clear learning goal." in html and "Show student talk." in html
    assert "Not yet" in html and "Students explained their thinking." in html
    assert f'href="/submissions/{world.submission.id}"' in html  # history links back
    first = owner_client.get(f"/submissions/{world.submission.id}")
    assert first.status_code == 200


def test_my_credentials_empty_state(client, session):
    sign_in_as(client, make_user(session))
    html = client.get("/me/credentials").get_data(as_text=True)
    assert "You haven't started a credential yet." in html
    assert 'href="/stacks"' in html


def test_my_credentials_shows_each_attempt_state(owner_client, world, session):
    set_status(session, world.submission, "not_yet")
    make_submission(session, world.cast.owner, world.credential, status="in_review")  # 2nd
    html = owner_client.get("/me/credentials").get_data(as_text=True)
    assert "Attempt 1" in html and "Attempt 2" in html
    assert "Not yet" in html and "In review" in html


def test_user_text_is_escaped(owner_client, world):
    post_upload(
        owner_client,
        world.submission.id,
        world.text_requirement_id,
        text="<script>alert(1)</script>",
    )
    html = owner_client.get(f"/submissions/{world.submission.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def _start_button(app, world, user, path="/credentials/x"):
    with app.test_request_context(path):
        g.user = user
        return render_template("submissions/_start_button.html", credential=world.credential)


def test_start_button_for_anonymous_links_to_sign_in(app, world):
    html = _start_button(app, world, None, f"/credentials/{world.credential.slug}")
    assert "Sign in to start" in html
    assert f"/auth/sign-in?next=/credentials/{world.credential.slug}" in html
    assert "<form" not in html


@pytest.mark.parametrize(
    "status, label",
    [
        (None, "Start this credential"),
        ("draft", "Continue your draft"),
        ("in_review", "View your submission"),
        ("awarded", "View your earned evidence"),
        ("not_yet", "Start attempt 2"),
    ],
)
def test_start_button_for_a_signed_in_teacher_posts_with_csrf(app, world, session, status, label):
    user = world.cast.owner if status else world.cast.other_teacher
    if status:
        set_status(session, world.submission, status)
    html = _start_button(app, world, user)
    assert f'action="/credentials/{world.credential.slug}/start"' in html
    assert 'name="csrf_token"' in html and label in html


def test_credential_page_includes_the_start_button(client, world):
    page = client.get(f"/credentials/{world.credential.slug}").get_data(as_text=True)
    assert "Sign in to start" in page
    as_role(client, world, "other_teacher")
    page = client.get(f"/credentials/{world.credential.slug}").get_data(as_text=True)
    assert f'action="/credentials/{world.credential.slug}/start"' in page
