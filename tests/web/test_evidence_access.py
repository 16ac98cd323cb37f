"""Every evidence route × every role: reads follow server/access.py (404 for everyone
else, never revealing the file exists); writes are the owner's, on a draft only."""

import pytest
from sqlmodel import select

from server.models import AccessLog, EvidenceItem
from tests.support.evidence import ROLES, as_role, make_world, page_token, post_upload
from tests.support.factories import set_status
from tests.support.media import jpeg_bytes
from tests.support.web import json_error

SEES_DRAFT = {"owner", "coach", "admin"}
SEES_SUBMITTED = SEES_DRAFT | {"assessor"}
WRITE_STATUS = {"anonymous": 401, "owner": 201, "coach": 403, "admin": 403}


@pytest.fixture
def world(session):
    return make_world(session)


@pytest.fixture
def photo(client, world):
    as_role(client, world, "owner")
    response = post_upload(
        client,
        world.submission.id,
        world.photo_requirement_id,
        data=jpeg_bytes(gps=True, size=(400, 300)),
    )
    assert response.status_code == 201
    return response.get_json()["id"]


@pytest.mark.parametrize("status", ["draft", "submitted"])
@pytest.mark.parametrize("what", ["file", "thumb"])
@pytest.mark.parametrize("role", ROLES)
def test_reading_a_file(client, session, world, photo, role, what, status):
    set_status(session, world.submission, status)
    user = as_role(client, world, role)
    response = client.get(f"/evidence/{photo}/{what}")
    allowed = role in (SEES_SUBMITTED if status == "submitted" else SEES_DRAFT)
    assert response.status_code == (200 if allowed else 404)
    logs = session.exec(select(AccessLog).where(AccessLog.target == f"evidence_item:{photo}"))
    viewers = [log.user_id for log in logs]
    assert viewers == ([user.id] if allowed else [])
    if allowed:
        assert response.headers["Cache-Control"] == "private, no-store"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        # Someone's upload on our origin: sandboxed (server/security.py), not the page CSP.
        assert "sandbox" in response.headers["Content-Security-Policy"].split("; ")
        assert response.mimetype == "image/jpeg"
    else:
        assert b"\xff\xd8" not in response.data


@pytest.mark.parametrize("role", ROLES)
def test_item_fragment(client, session, world, photo, role):
    as_role(client, world, role)
    response = client.get(f"/evidence/{photo}", headers={"HX-Request": "true"})
    assert response.status_code == (200 if role in SEES_DRAFT else 404)
    if response.status_code == 200:
        has_remove = "Remove" in response.get_data(as_text=True)
        assert has_remove == (role == "owner")


@pytest.mark.parametrize("role", ROLES)
def test_upload(client, session, world, role):
    as_role(client, world, role)
    response = post_upload(
        client,
        world.submission.id,
        world.photo_requirement_id,
        data=jpeg_bytes(gps=True, size=(40, 40)),
    )
    assert response.status_code == WRITE_STATUS.get(role, 404)
    assert "error" in response.get_json() or role == "owner"
    count = len(session.exec(select(EvidenceItem)).all())
    assert count == (1 if role == "owner" else 0)


@pytest.mark.parametrize("role", ROLES)
def test_text_autosave(client, session, world, role):
    as_role(client, world, role)
    response = client.post(
        f"/submissions/{world.submission.id}/requirements/{world.text_requirement_id}/text",
        data={"csrf_token": page_token(client), "text": "My reflection"},
        headers={"HX-Request": "true"},
    )
    expected = {"anonymous": 401, "owner": 200, "coach": 403, "admin": 403}.get(role, 404)
    assert response.status_code == expected
    count = len(session.exec(select(EvidenceItem)).all())
    assert count == (1 if role == "owner" else 0)


@pytest.mark.parametrize("role", ROLES)
def test_remove(client, session, world, photo, role):
    as_role(client, world, role)
    response = client.post(
        f"/submissions/{world.submission.id}/evidence/{photo}/delete",
        data={"csrf_token": page_token(client)},
    )
    expected = {"anonymous": 303, "owner": 303, "coach": 403, "admin": 403}.get(role, 404)
    assert response.status_code == expected
    still_there = session.get(EvidenceItem, photo) is not None
    assert still_there == (role != "owner")


def test_no_writes_once_submitted(client, session, world, photo):
    set_status(session, world.submission, "submitted")
    as_role(client, world, "owner")
    response = post_upload(
        client,
        world.submission.id,
        world.photo_requirement_id,
        data=jpeg_bytes(gps=True, size=(40, 40)),
    )
    assert response.status_code == 409
    assert "can't be changed" in json_error(response)["message"]
    removed = client.post(
        f"/submissions/{world.submission.id}/evidence/{photo}/delete",
        data={"csrf_token": page_token(client)},
    )
    assert removed.status_code == 409
    assert session.get(EvidenceItem, photo) is not None


@pytest.mark.parametrize("route", ["upload", "text", "remove"])
def test_posts_without_csrf_are_refused_and_save_nothing(client, session, world, photo, route):
    as_role(client, world, "owner")
    sid = world.submission.id
    if route == "upload":
        response = post_upload(
            client,
            sid,
            world.photo_requirement_id,
            data=jpeg_bytes(gps=True, size=(40, 40)),
            token=None,
            json=False,
        )
    elif route == "text":
        response = client.post(
            f"/submissions/{sid}/requirements/{world.text_requirement_id}/text", data={"text": "Hi"}
        )
    else:
        response = client.post(f"/submissions/{sid}/evidence/{photo}/delete")
    assert response.status_code == 400
    assert "nothing was saved" in response.get_data(as_text=True)
    assert [i.id for i in session.exec(select(EvidenceItem)).all()] == [photo]
