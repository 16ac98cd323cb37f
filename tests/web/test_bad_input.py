"""Bad input gets a 4xx with a clear message, never a 500: huge ids, unicode digits,
JSON of the wrong type or shape, deep nesting, impossible dates (one test per finding)."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlmodel import select

from server.demo.people import DEMO_HANDLES
from server.models import Cohort
from tests.support.evidence import as_role, make_world, page_token, post_upload
from tests.support.factories import make_org, make_user
from tests.support.media import png_bytes
from tests.support.web import post_form, sign_in_as

HUGE = str(2**63)
INT4_PLUS_ONE = str(2**31)  # fits a 64-bit id, not PostgreSQL's INTEGER id columns
DEEP = "[" * 50_000  # unclosed: json.loads recursed into a RecursionError on it


@pytest.fixture
def world(session):
    return make_world(session)


@pytest.fixture
def cohort_id(session, world) -> int:
    return session.exec(select(Cohort.id).where(Cohort.coach_id == world.cast.coach.id)).one()


def _error(response) -> dict:
    assert response.is_json, response.get_data(as_text=True)[:200]
    return response.get_json()["error"]


@pytest.mark.parametrize(
    "path",
    [
        f"/evidence/{HUGE}",
        f"/evidence/{HUGE}/file",
        f"/submissions/{HUGE}",
        f"/submissions/{HUGE}/capture.json",
        f"/coach/cohorts/{HUGE}",
        "/evidence/0",
        f"/push/subscriptions/{HUGE}/delete",
    ],
)
def test_ids_past_bigint_on_int_routes_are_404(client, world, path):
    as_role(client, world, "admin")
    assert client.get(path).status_code == 404


def test_every_int_route_answers_a_huge_id_with_404(app, client, world):
    """Each registered <int:> route, each method, as an admin with a valid CSRF token: an
    id past BIGINT is no page (it overflowed the driver into a 500 before)."""
    as_role(client, world, "admin")
    token = page_token(client)
    int_rules = [rule for rule in app.url_map.iter_rules() if "<int:" in rule.rule]
    assert len(int_rules) > 50  # the walk really walks
    answered = {}
    for rule in int_rules:
        path = re.sub(r"<int:[^>]+>", HUGE, rule.rule)
        path = re.sub(r"<[^>]+>", "x", path)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(
                path, method=method, data={"csrf_token": token}, headers={"X-CSRFToken": token}
            )
            answered[f"{method} {path}"] = response.status_code
    assert {k: v for k, v in answered.items() if v not in (404, 405)} == {}


def test_a_huge_id_in_a_post_route_is_404(client, world):
    as_role(client, world, "owner")
    response = post_form(client, f"/submissions/{world.submission.id}/evidence/{HUGE}/delete")
    assert response.status_code == 404


@pytest.mark.parametrize("board", [f"cohort-{HUGE}", "cohort-²", "cohort-①"])
def test_a_leaderboard_address_with_a_huge_or_unicode_id_is_422(client, world, board):
    as_role(client, world, "owner")
    assert client.get(f"/leaderboards?board={board}").status_code == 422


@pytest.mark.parametrize("value", [HUGE, "²", "①"])
def test_a_bad_requirement_id_on_an_upload_is_refused(client, world, value):
    as_role(client, world, "owner")
    response = client.post(
        f"/submissions/{world.submission.id}/evidence?requirement_id={value}",
        data={
            "client_uuid": str(uuid.uuid4()),
            "requirement_id": value,
            "text": "hello",
            "csrf_token": page_token(client),
        },
        headers={"Accept": "application/json"},
    )
    assert 400 <= response.status_code < 500
    assert _error(response)["message"]


@pytest.mark.parametrize("value", [HUGE, "²", "①"])
def test_bad_member_ids_in_a_nudge_are_dropped(client, world, cohort_id, value):
    sign_in_as(client, world.cast.coach)
    response = post_form(
        client,
        f"/coach/cohorts/{cohort_id}/nudges",
        {"member_ids": [value], "message": "Keep going!"},
    )
    assert response.status_code in (303, 422)


@pytest.mark.parametrize("value", [HUGE, "²", "①"])
def test_a_bad_user_id_when_adding_a_member_is_not_a_500(client, session, world, cohort_id, value):
    # A coach of a district: only then does the id reach the query (a coach without one
    # finds nobody, and SQLAlchemy folds that search to FALSE without binding the id).
    district = make_org(session)
    for row in (world.cast.coach, session.get(Cohort, cohort_id)):
        row.org_id = district.id
        session.add(row)
    session.commit()
    sign_in_as(client, world.cast.coach)
    response = post_form(client, f"/coach/cohorts/{cohort_id}/members", {"user_id": value})
    assert 200 <= response.status_code < 500


def _start(client, world, **body):
    fields = {
        "client_uuid": str(uuid.uuid4()),
        "requirement_id": world.photo_requirement_id,
        "size": 1000,
        **body,
    }
    return client.post(
        f"/submissions/{world.submission.id}/uploads",
        json=fields,
        headers={"X-CSRFToken": page_token(client)},
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("client_uuid", 5),
        ("filename", ["a"]),
        ("note", {"a": 1}),
        ("captured_at", 20260101),
        ("requirement_id", HUGE),
        ("requirement_id", "²"),
        ("size", "big"),
        ("size", 2**70),
    ],
)
def test_resumable_start_with_a_wrong_type_names_the_field(client, world, field, value):
    as_role(client, world, "owner")
    response = _start(client, world, **{field: value})
    assert response.status_code == 422
    assert _error(response)["field"] == field


def test_a_capture_time_that_overflows_in_utc_is_a_clear_422(client, world):
    as_role(client, world, "owner")
    overflow = "9999-12-31T23:59:59-23:59"
    response = _start(client, world, captured_at=overflow)
    assert response.status_code == 422 and _error(response)["field"] == "captured_at"
    upload = post_upload(
        client,
        world.submission.id,
        world.photo_requirement_id,
        data=png_bytes(),
        filename="p.png",
        captured_at=overflow,
    )
    assert upload.status_code == 422 and "capture time" in _error(upload)["message"]


@pytest.mark.parametrize(("field", "value"), [("display_name", 5), ("email", ["a@b.c"])])
def test_sign_up_options_with_a_non_string_name_or_email_is_422(client, field, value):
    body = {"display_name": "Ana", "email": "ana@example.org", field: value}
    response = client.post(
        "/auth/register/options", json=body, headers={"X-CSRFToken": page_token(client)}
    )
    assert response.status_code == 422 and _error(response)["field"] == field


@pytest.mark.parametrize("body", ["[]", '"x"', "5", "null"])
def test_resubscribe_with_a_body_that_is_not_an_object_is_400(client, body):
    response = client.post("/push/resubscribe", data=body, content_type="application/json")
    assert response.status_code == 400 and "object" in _error(response)["message"]


@pytest.mark.parametrize(
    "path", ["/auth/login/verify", "/auth/register/options", "/push/resubscribe"]
)
def test_json_nested_50000_deep_is_400_even_signed_out(client, path):
    response = client.post(
        path,
        data='{"credential": ' + DEEP + "}",
        content_type="application/json",
        headers={"X-CSRFToken": page_token(client)},
    )
    assert response.status_code == 400 and "nested" in _error(response)["message"]


def test_json_nested_deep_on_signed_in_endpoints_is_400(client, world):
    as_role(client, world, "owner")
    token = page_token(client)
    for path in (
        "/push/subscriptions",
        f"/submissions/{world.submission.id}/uploads",
        "/auth/passkeys/verify",
    ):
        response = client.post(
            path,
            data='{"keys": ' + DEEP + "}",
            content_type="application/json",
            headers={"X-CSRFToken": token},
        )
        assert response.status_code == 400, path
        assert "nested" in _error(response)["message"]


def test_a_next_with_a_newline_is_not_a_500(client, settings, session):
    settings.demo = True
    make_user(session, "teacher", handle=DEMO_HANDLES["teacher"])
    response = post_form(client, "/auth/demo/teacher", {"next": "/\n/x"})
    assert response.status_code < 500


def test_a_nul_in_a_search_is_a_clear_400_on_every_database(client):
    # PostgreSQL refuses NUL inside text: the search used to be a 500 there.
    for path in ("/stacks?q=%00", "/stacks?q=ab%00c&category=x"):
        response = client.get(path)
        assert response.status_code == 422, path
        assert "NUL" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"/submissions/{INT4_PLUS_ONE}", 404),
        (f"/evidence/{INT4_PLUS_ONE}/file", 404),
        # Not an id: the capture page ignores it and shows the plain page.
        (f"/capture?submission={INT4_PLUS_ONE}", 200),
        ("/capture?submission=630462220457&requirement_id=1", 200),  # the fuzz test's find
    ],
)
def test_an_id_beyond_the_integer_columns_never_reaches_a_query(client, world, path, status):
    """PostgreSQL's INTEGER ids end at 2^31-1: a larger id is refused before any query
    (it was a 500, "integer out of range")."""
    as_role(client, world, "owner")
    assert client.get(path).status_code == status


GOOD_AT = "2026-03-01T09:30:00.000000"


@pytest.mark.parametrize(
    "after",
    [
        "garbage",
        "2026-03-01T09:30:00_5",  # no microseconds: not a cursor we write
        f"{GOOD_AT}_",
        f"{GOOD_AT}_0",
        f"{GOOD_AT}_{INT4_PLUS_ONE}",  # past PostgreSQL's INTEGER ids
        f"{GOOD_AT}_{HUGE}",
        f"{GOOD_AT}_99999999999999999999999",
        "2026-13-01T09:30:00.000000_5",
        "2026-02-30T09:30:00.000000_5",
        "0000-01-01T00:00:00.000000_5",  # before year 1
        "2026-03-01T24:00:00.000000_5",
        "٢٠٢٦-03-01T09:30:00.000000_5",  # Arabic-Indic digits
        f"{GOOD_AT}_٥",
        f"{GOOD_AT}_²",
        "2026-03-01T09:30:00.00000①_5",
        f" {GOOD_AT}_5",
        f"{GOOD_AT}_5\n",
        f"{GOOD_AT}_5\x00",  # refused app-wide, before the queue (web.py): its own message
        f"{GOOD_AT}+00:00_5",
        "x" * 5000,
    ],
)
def test_a_bad_queue_cursor_is_a_clear_422(client, world, after):
    as_role(client, world, "assessor")
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get("/review", query_string={"after": after}, headers=headers)
        assert response.status_code == 422, response.get_data(as_text=True)[:300]
        message = "(NUL)" if "\x00" in after else "That place in the queue"
        assert message in response.get_data(as_text=True)
