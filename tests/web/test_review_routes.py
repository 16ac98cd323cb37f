"""Every review route for every role, CSRF, htmx fragments, 422 and 409."""

import re

import pytest
from sqlmodel import Session, select

from server.models import Award, Notification, Submission
from tests.support.evidence import make_world
from tests.support.factories import appoint, make_evidence_items, set_status
from tests.support.web import csrf_token, htmx_headers, post_form, sign_in_as


def _all_met(world) -> dict:
    data = {f"met_{c.id}": "met" for c in world.criteria}
    data.update({f"comment_{c.id}": f"Seen in item {c.id}" for c in world.criteria})
    return data


@pytest.fixture
def world(app):
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        world = make_world(
            session,
            title="Checking for Understanding",
            owner_roles=("teacher", "assessor"),
            owner_name="Maya Patel",
            school="Lincoln Elementary",
        )
        appoint(session, world.cast.owner, world.credential)  # qualified, yet it's her own work
        set_status(session, world.submission, "submitted")
        make_evidence_items(session, world.submission, count=6)
        return world


@pytest.fixture
def db(app):
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        yield session


def _paths(world):
    sid = world.submission.id
    return {
        "queue": "/review",
        "history": "/review/history",
        "show": f"/review/{sid}",
        "claim": f"/review/{sid}/claim",
        "decide": f"/review/{sid}/decide",
    }


def _request(client, world, name):
    path = _paths(world)[name]
    if name in ("claim", "decide"):
        return post_form(client, path, {"decision": "award", **_all_met(world)})
    return client.get(path)


ROUTES = ["queue", "history", "show", "claim", "decide"]


@pytest.mark.parametrize("route", ROUTES)
def test_anonymous_is_sent_to_sign_in(client, world, route):
    response = _request(client, world, route)
    assert response.status_code == 303
    assert "/auth/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("role", ["other_teacher", "coach"])
def test_teachers_and_coaches_are_refused(client, world, route, role):
    sign_in_as(client, world.cast.get(role))
    assert _request(client, world, route).status_code == 403


@pytest.mark.parametrize("route", ["show", "claim", "decide"])
def test_owner_cannot_review_their_own_even_as_assessor(client, world, db, route):
    sign_in_as(client, world.cast.owner)
    response = _request(client, world, route)
    assert response.status_code == 403
    assert "your own submission" in response.get_data(as_text=True)
    assert db.get(Submission, world.submission.id).status == "submitted"


def test_owner_does_not_see_their_own_in_the_queue(client, world):
    sign_in_as(client, world.cast.owner)
    html = client.get("/review").get_data(as_text=True)
    assert f"/review/{world.submission.id}" not in html
    assert "Nothing is waiting for review" in html


@pytest.mark.parametrize("route", ["show", "claim", "decide"])
def test_unqualified_assessor_gets_not_found(client, world, db, route):
    sign_in_as(client, world.cast.unqualified_assessor)
    assert _request(client, world, route).status_code == 404
    assert db.get(Submission, world.submission.id).status == "submitted"


def test_unqualified_assessor_has_an_empty_queue(client, world):
    sign_in_as(client, world.cast.unqualified_assessor)
    html = client.get("/review").get_data(as_text=True)
    assert "Checking for Understanding" not in html and "Nothing is waiting" in html


@pytest.mark.parametrize("who", ["assessor", "admin"])
def test_qualified_assessor_and_admin_see_queue_and_page(client, world, who):
    sign_in_as(client, world.cast.get(who))
    queue = client.get("/review").get_data(as_text=True)
    assert "Checking for Understanding" in queue and "Maya Patel" in queue
    assert "Lincoln Elementary" in queue and "Attempt" in queue and "waiting" in queue
    page = client.get(f"/review/{world.submission.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'href="#rubric"' in html and 'type="radio"' in html
    assert "&lt;b&gt;students&lt;/b&gt;" in html  # evidence text escaped
    assert 'href="https://example.org/lesson/1"' in html
    assert "Award" in html and "Not yet" in html
    assert client.get("/review/history").status_code == 200


@pytest.mark.parametrize("who", ["assessor", "admin"])
def test_qualified_claim_then_decide(client, world, db, who):
    sign_in_as(client, world.cast.get(who))
    sid = world.submission.id
    claimed = post_form(client, f"/review/{sid}/claim")
    assert claimed.status_code == 303 and claimed.headers["Location"].endswith(f"/review/{sid}")
    decided = post_form(
        client, f"/review/{sid}/decide", {"decision": "award", "feedback": "", **_all_met(world)}
    )
    assert decided.status_code == 303 and decided.headers["Location"].endswith("/review")
    assert "Decision saved" in client.get("/review").get_data(as_text=True)
    db.expire_all()
    assert db.get(Submission, sid).status == "awarded"
    assert db.exec(select(Award).where(Award.submission_id == sid)).one()
    kinds = db.exec(
        select(Notification.kind).where(Notification.user_id == world.cast.owner.id)
    ).all()
    assert "review_started" in kinds and "award" in kinds


@pytest.mark.parametrize("route", ["claim", "decide"])
def test_csrf_is_enforced(client, world, db, route):
    sign_in_as(client, world.cast.assessor)
    response = client.post(_paths(world)[route], data={"decision": "award", **_all_met(world)})
    assert response.status_code == 400
    assert db.get(Submission, world.submission.id).status == "submitted"


def test_queue_filter_fragment_for_htmx(client, world, db):
    sign_in_as(client, world.cast.assessor)
    everything = client.get("/review", headers=htmx_headers())
    html = everything.get_data(as_text=True)
    assert "<html" not in html and 'id="review-queue"' in html
    assert "Checking for Understanding" in html
    assert "HX-Request" in everything.headers["Vary"]
    mine = client.get("/review?show=mine", headers=htmx_headers()).get_data(as_text=True)
    assert "Nothing is assigned to you" in mine
    post_form(client, f"/review/{world.submission.id}/claim")
    mine = client.get("/review?show=mine").get_data(as_text=True)
    assert "<html" in mine and "Continue review" in mine


def test_invalid_decision_is_422_and_keeps_what_was_typed(client, world):
    sign_in_as(client, world.cast.assessor)
    first, second = world.criteria[0], world.criteria[1]
    data = {
        "decision": "award",
        f"met_{first.id}": "met",
        f"met_{second.id}": "not_yet",
        f"comment_{first.id}": "Exit tickets <sorted> by need",
        "feedback": "Nearly",
    }
    response = post_form(client, f"/review/{world.submission.id}/decide", data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Choose Met or Not yet" in html  # the third criterion was left unscored
    assert "Exit tickets &lt;sorted&gt; by need" in html
    assert re.search(rf'id="met_{second.id}-not_yet"[^>]*checked', html)
    assert ">Nearly</textarea>" in html
    assert "<html" in html  # a plain POST gets the whole page back


def test_award_with_a_criterion_not_met_is_refused(client, world, db):
    sign_in_as(client, world.cast.assessor)
    data = _all_met(world)
    data[f"met_{world.criteria[0].id}"] = "not_yet"
    response = post_form(
        client,
        f"/review/{world.submission.id}/decide",
        {"decision": "award", **data},
        headers=htmx_headers(),
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="rubric-form"' in html
    assert "every criterion marked Met" in html
    assert db.get(Submission, world.submission.id).status == "submitted"


def test_not_yet_without_feedback_is_refused(client, world):
    sign_in_as(client, world.cast.assessor)
    response = post_form(
        client,
        f"/review/{world.submission.id}/decide",
        {"decision": "not_yet", "feedback": " ", **_all_met(world)},
    )
    assert response.status_code == 422
    assert "Not yet needs overall feedback" in response.get_data(as_text=True)


def test_htmx_decision_redirects_the_whole_page(client, world):
    sign_in_as(client, world.cast.assessor)
    response = post_form(
        client,
        f"/review/{world.submission.id}/decide",
        {"decision": "award", **_all_met(world)},
        headers=htmx_headers(),
    )
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/review"


def test_second_decision_is_409_not_500(client, world, db):
    sign_in_as(client, world.cast.assessor)
    sid = world.submission.id
    assert (
        post_form(
            client, f"/review/{sid}/decide", {"decision": "award", **_all_met(world)}
        ).status_code
        == 303
    )
    sign_in_as(client, world.cast.admin)
    again = post_form(
        client,
        f"/review/{sid}/decide",
        {"decision": "not_yet", "feedback": "No", **_all_met(world)},
    )
    assert again.status_code == 409
    assert "Already decided by Jordan Lee at" in again.get_data(as_text=True)
    fragment = post_form(
        client,
        f"/review/{sid}/decide",
        {"decision": "award", **_all_met(world)},
        headers=htmx_headers(),
    )
    assert fragment.status_code == 409
    html = fragment.get_data(as_text=True)
    assert "<html" not in html and "Already decided by Jordan Lee" in html
    db.expire_all()
    assert db.get(Submission, sid).status == "awarded"


def test_claim_taken_by_someone_else_is_409_with_their_name(client, world):
    sign_in_as(client, world.cast.assessor)
    post_form(client, f"/review/{world.submission.id}/claim")
    sign_in_as(client, world.cast.admin)
    response = post_form(client, f"/review/{world.submission.id}/claim")
    assert response.status_code == 409
    assert "Jordan Lee is already reviewing this" in response.get_data(as_text=True)
    page = client.get(f"/review/{world.submission.id}").get_data(as_text=True)
    assert "Claimed by Jordan Lee" in page and 'type="radio"' not in page


def test_history_page_lists_the_decision(client, world):
    sign_in_as(client, world.cast.assessor)
    assert "No decisions yet" in client.get("/review/history").get_data(as_text=True)
    post_form(
        client, f"/review/{world.submission.id}/decide", {"decision": "award", **_all_met(world)}
    )
    html = client.get("/review/history").get_data(as_text=True)
    assert "Checking for Understanding" in html and "Awarded" in html
    page = client.get(f"/review/{world.submission.id}").get_data(as_text=True)
    assert "Decision history" in page and "by Jordan Lee" in page


def test_review_link_in_the_header_for_assessors_only(client, world):
    sign_in_as(client, world.cast.assessor)
    assert 'href="/review"' in client.get("/").get_data(as_text=True)
    sign_in_as(client, world.cast.other_teacher)
    assert 'href="/review"' not in client.get("/").get_data(as_text=True)
    assert csrf_token(client)  # the page still renders for a teacher
