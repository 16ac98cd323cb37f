"""Scoring drafts: the claim's assessor saves unfinished scores (form, htmx, JSON), reopening
the claim restores them, deciding deletes them; nobody else reads or writes them, an
expired lease saves nothing, bad JSON or oversized text is a 4xx with a message."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from server.catalog.service import criteria_for
from server.models import Review, ScoringDraft, utcnow
from server.review.decide import COMMENT_LIMIT
from tests.support.factories import (
    appoint,
    make_credential,
    make_evidence_items,
    make_org,
    make_review,
    make_submission,
    make_user,
)
from tests.support.web import csrf_token, htmx_headers, json_error, post_form, sign_in_as


@pytest.fixture
def world(app):
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        home, far = make_org(session), make_org(session)
        credential = make_credential(session, criteria=2, title="Wait Time")
        people = {
            "assessor": make_user(session, "assessor", org_id=home.id),
            "colleague": make_user(session, "assessor", org_id=home.id),
            "far": make_user(session, "assessor", org_id=far.id),
            "teacher": make_user(session, name="Tia Teacher", org_id=home.id),
        }
        for who in ("assessor", "colleague", "far"):
            appoint(session, people[who], credential)
        submission = make_submission(session, people["teacher"], credential)
        make_evidence_items(session, submission, count=2)
        review = make_review(session, submission, people["assessor"])  # a live claim
        criteria = criteria_for(session=session, credential_id=credential.id)
        return {
            **people,
            "submission": submission.id,
            "review": review.id,
            "criteria": [c.id for c in criteria],
        }


def _path(world, suffix="draft"):
    return f"/review/{world['submission']}/{suffix}"


def _form(world, **extra):
    first, second = world["criteria"]
    return {
        f"met_{first}": "met",
        f"comment_{first}": "Wait time <script>alert(1)</script> visible at [0:42]",
        f"comment_{second}": "Half done",
        "feedback": "So far so good",
        **extra,
    }


def _drafts(app) -> list[ScoringDraft]:
    with Session(app.extensions["db_engine"]) as session:
        return list(session.exec(select(ScoringDraft)))


def _post_json(client, path, body, **headers):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(
        path,
        data=data,
        content_type="application/json",
        headers={"X-CSRFToken": csrf_token(client), **headers},
    )


def test_save_without_js_then_reopening_the_claim_restores_it(app, client, world):
    sign_in_as(client, world["assessor"])
    saved = post_form(client, _path(world), _form(world))
    assert saved.status_code == 303 and saved.headers["Location"].endswith("#rubric")
    [row] = _drafts(app)
    assert row.review_id == world["review"]
    page = client.get(f"/review/{world['submission']}").get_data(as_text=True)
    first, second = world["criteria"]
    assert f'id="met_{first}-met" name="met_{first}" value="met"' in page
    assert page.count(" checked") == 1  # only the criterion scored so far
    assert "Wait time &lt;script&gt;alert(1)&lt;/script&gt; visible at [0:42]</textarea>" in page
    assert ">Half done</textarea>" in page and ">So far so good</textarea>" in page
    assert "Draft restored, saved" in page
    queue = client.get("/review?show=mine").get_data(as_text=True)
    assert "Draft saved" in queue
    assert "; draft saved" in client.get("/home").get_data(as_text=True)


def test_htmx_autosave_answers_with_the_status_line_and_json_reads_it_back(app, client, world):
    sign_in_as(client, world["assessor"])
    response = post_form(client, _path(world), _form(world), headers=htmx_headers())
    assert response.status_code == 200
    assert response.get_data(as_text=True).startswith("Draft saved")
    second = _post_json(client, _path(world), {"scores": {}, "feedback": "Rewritten"})
    assert second.status_code == 200 and second.get_json()["draft"]["feedback"] == "Rewritten"
    read = client.get(_path(world), headers={"Accept": "application/json"})
    assert read.get_json()["draft"] == {"scores": {}, "feedback": "Rewritten"}
    assert len(_drafts(app)) == 1  # replaced, not added


def test_deciding_deletes_the_draft(app, client, world):
    sign_in_as(client, world["assessor"])
    post_form(client, _path(world), _form(world))
    first, second = world["criteria"]
    decided = post_form(
        client,
        _path(world, "decide"),
        {"decision": "not_yet", f"met_{first}": "met", f"met_{second}": "not_yet", "feedback": "x"},
    )
    assert decided.status_code == 303
    assert _drafts(app) == []
    late = post_form(client, _path(world), _form(world), headers=htmx_headers())
    assert late.status_code == 409 and "Already decided" in late.get_data(as_text=True)
    assert _drafts(app) == []


@pytest.mark.parametrize("who", ["colleague", "far", "teacher"])
def test_nobody_else_reads_or_writes_the_draft(app, client, world, who):
    sign_in_as(client, world["assessor"])
    post_form(client, _path(world), _form(world))
    sign_in_as(client, world[who])
    write = _post_json(client, _path(world), {"feedback": "mine now"})
    read = client.get(_path(world), headers={"Accept": "application/json"})
    expected = {"colleague": 403, "far": 404, "teacher": 403}[who]
    assert write.status_code == read.status_code == expected
    assert json_error(write)["message"] and "So far so good" not in read.get_data(as_text=True)
    page = client.get(f"/review/{world['submission']}").get_data(as_text=True)
    assert "So far so good" not in page and "Half done" not in page
    [row] = _drafts(app)
    assert "mine now" not in row.data


def test_an_expired_lease_saves_nothing(app, client, world):
    with Session(app.extensions["db_engine"]) as session:
        review = session.get_one(Review, world["review"])
        review.claimed_until = utcnow() - timedelta(minutes=1)
        session.add(review)
        session.commit()
    sign_in_as(client, world["assessor"])
    response = _post_json(client, _path(world), {"feedback": "late"})
    assert response.status_code == 409
    assert "claim on this submission has run out" in json_error(response)["message"]
    plain = post_form(client, _path(world), _form(world))
    assert plain.status_code == 409 and "run out" in plain.get_data(as_text=True)
    assert _drafts(app) == []


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ("{not json", 400, "isn't valid JSON"),
        ("[1, 2]", 400, "must be a JSON object"),
        ({"feedback": 7}, 422, "feedback must be text"),
        ({"scores": {"999999": {"met": "met"}}}, 422, "isn't on this submission's rubric"),
        ({"scores": {"CRIT": {"met": "maybe"}}}, 422, "Choose Met or Not yet"),
        ({"scores": {"CRIT": "met"}}, 422, "must be an object"),
        ({"scores": {"CRIT": {"comment": "x" * (COMMENT_LIMIT + 1)}}}, 422, "Keep the comment"),
        ("[" * 100 + "]" * 100, 400, "nested too deeply"),
        (json.dumps({"feedback": "x" * 70_000}), 413, "larger than 64 KB"),
    ],
)
def test_bad_drafts_are_refused_with_a_message(app, client, world, body, status, message):
    if isinstance(body, dict):
        body = json.loads(json.dumps(body).replace("CRIT", str(world["criteria"][0])))
    sign_in_as(client, world["assessor"])
    response = _post_json(client, _path(world), body)
    assert response.status_code == status
    assert message in json_error(response)["message"]
    assert _drafts(app) == []


def test_the_form_refuses_oversized_text_and_needs_csrf(app, client, world):
    sign_in_as(client, world["assessor"])
    first = world["criteria"][0]
    big = _form(world, **{f"comment_{first}": "x" * (COMMENT_LIMIT + 1)})
    refused = post_form(client, _path(world), big, headers=htmx_headers())
    assert refused.status_code == 422 and "Keep the comment" in refused.get_data(as_text=True)
    assert client.post(_path(world), data=_form(world)).status_code == 400  # no CSRF token
    assert _drafts(app) == []
