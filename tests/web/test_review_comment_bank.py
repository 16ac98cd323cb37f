"""The comment bank: assessors of a credential keep reusable phrases per criterion, shared
within their district; the rubric form offers them; nothing crosses districts; bad input
is a 4xx with a message and saves nothing."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from server.catalog.service import criteria_for
from server.models import CommentPhrase
from server.review.phrases import MAX_TEXT
from tests.support.factories import (
    appoint,
    make_credential,
    make_org,
    make_submission,
    make_user,
)
from tests.support.web import post_form, sign_in_as


@pytest.fixture
def world(app):
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        home, far = make_org(session), make_org(session)
        credential = make_credential(session, title="Wait Time")
        people = {
            "assessor": make_user(session, "assessor", org_id=home.id),
            "colleague": make_user(session, "assessor", org_id=home.id),
            "unqualified": make_user(session, "assessor", org_id=home.id),
            "far": make_user(session, "assessor", org_id=far.id),
        }
        for who in ("assessor", "colleague", "far"):
            appoint(session, people[who], credential)
        teacher = make_user(session, name="Tia Teacher", org_id=home.id)
        far_teacher = make_user(session, org_id=far.id)
        criteria = criteria_for(session=session, credential_id=credential.id)
        return {
            **people,
            "submission": make_submission(session, teacher, credential).id,
            "far_submission": make_submission(session, far_teacher, credential).id,
            "criterion": criteria[0].id,
            "foreign_criterion": criteria_for(
                session=session, credential_id=make_credential(session).id
            )[0].id,
        }


def _phrases(app) -> list[CommentPhrase]:
    with Session(app.extensions["db_engine"]) as session:
        return list(session.exec(select(CommentPhrase).order_by(CommentPhrase.id)))


def _add(client, world, text, submission="submission"):
    return post_form(
        client,
        f"/review/{world[submission]}/criteria/{world['criterion']}/phrases",
        {"text": text},
    )


def test_a_phrase_is_shared_with_the_districts_assessors_and_offered_on_the_form(
    app, client, world
):
    sign_in_as(client, world["assessor"])
    added = _add(client, world, "  Names the <b>learning</b> goal  ")
    assert added.status_code == 303 and added.headers["Location"].endswith("#comment-bank")
    assert _add(client, world, "Names the <b>learning</b> goal").status_code == 303  # kept once
    [phrase] = _phrases(app)
    assert phrase.text == "Names the <b>learning</b> goal"
    sign_in_as(client, world["colleague"])
    assert post_form(client, f"/review/{world['submission']}/claim").status_code == 303
    html = client.get(f"/review/{world['submission']}").get_data(as_text=True)
    escaped = "Names the &lt;b&gt;learning&lt;/b&gt; goal"
    assert f'data-insert-into="comment_{world["criterion"]}" data-phrase="{escaped}"' in html
    assert "<b>learning</b>" not in html
    assert "Comment bank" in html
    # Another district's assessor, on their own district's submission, sees none of it.
    sign_in_as(client, world["far"])
    far_page = client.get(f"/review/{world['far_submission']}").get_data(as_text=True)
    assert "learning" not in far_page and "No phrases yet." in far_page


def test_removing_a_phrase(app, client, world):
    sign_in_as(client, world["assessor"])
    _add(client, world, "Wait at least three seconds")
    [phrase] = _phrases(app)
    path = f"/review/{world['submission']}/phrases/{phrase.id}/delete"
    sign_in_as(client, world["far"])
    assert post_form(client, path).status_code == 404  # not their district's submission
    far_path = f"/review/{world['far_submission']}/phrases/{phrase.id}/delete"
    assert post_form(client, far_path).status_code == 404  # not their district's phrase
    sign_in_as(client, world["colleague"])
    assert client.post(path).status_code == 400  # no CSRF token
    assert post_form(client, path).status_code == 303
    assert _phrases(app) == []
    assert post_form(client, path).status_code == 404  # already gone


@pytest.mark.parametrize(
    ("text", "status", "message"),
    [
        ("   ", 422, "it can&#39;t be empty"),
        ("x" * (MAX_TEXT + 1), 422, f"Keep a phrase to {MAX_TEXT} characters"),
    ],
)
def test_bad_phrases_are_refused_with_a_message(app, client, world, text, status, message):
    sign_in_as(client, world["assessor"])
    response = _add(client, world, text)
    assert response.status_code == status
    html = response.get_data(as_text=True)
    field = f"phrase-{world['criterion']}"
    assert f'<p class="field-error" id="{field}-error">' in html and message in html
    assert f'aria-invalid="true" aria-describedby="{field}-error"' in html  # next to its field
    assert _phrases(app) == []


def test_outsiders_and_bad_ids_are_refused(app, client, world):
    sign_in_as(client, world["unqualified"])
    assert _add(client, world, "Hello").status_code == 404
    sign_in_as(client, world["far"])
    assert _add(client, world, "Hello").status_code == 404
    sign_in_as(client, world["assessor"])
    no_token = client.post(
        f"/review/{world['submission']}/criteria/{world['criterion']}/phrases",
        data={"text": "Hello"},
    )
    assert no_token.status_code == 400
    for criterion in (world["foreign_criterion"], 999_999):  # another rubric's, or none
        wrong = f"/review/{world['submission']}/criteria/{criterion}/phrases"
        assert post_form(client, wrong, {"text": "Hello"}).status_code == 404
    assert _phrases(app) == []
