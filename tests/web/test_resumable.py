"""Chunked, resumable uploads over HTTP: start, chunks at the server's offset, finish into
one EvidenceItem per client_uuid, CSRF on every change, owner-only, size limits."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import select

from server.catalog.service import requirements_for
from server.evidence import blobs
from server.models import EvidenceItem, ResumableUpload
from server.storage import LocalStorage
from tests.support.evidence import as_role, make_world, page_token, post_upload
from tests.support.media import jpeg_bytes, mp4_bytes
from tests.support.web import json_error

CHUNK = 1000


@pytest.fixture
def settings(settings):
    settings.upload_chunk_bytes = CHUNK
    return settings


@pytest.fixture
def world(session):
    return make_world(session, kinds=("photo", "text", "video"))


@pytest.fixture
def video_id(world, session):
    return next(
        r.id
        for r in requirements_for(session=session, credential_id=world.credential.id)
        if r.kind == "video"
    )


@pytest.fixture
def owner(client, world):
    as_role(client, world, "owner")
    return client


@pytest.fixture
def token(owner):
    return page_token(owner)


def start(client, world, requirement_id, size, token, client_uuid=None, **extra):
    body = {
        "client_uuid": client_uuid or str(uuid.uuid4()),
        "requirement_id": requirement_id,
        "size": size,
        "filename": "lesson.mp4",
        **extra,
    }
    headers = {"Accept": "application/json"}
    if token:
        headers["X-CSRFToken"] = token
    return client.post(f"/submissions/{world.submission.id}/uploads", json=body, headers=headers)


def send(client, url, data: bytes, offset: int, token):
    headers = {"Upload-Offset": str(offset), "Content-Type": "application/octet-stream"}
    if token:
        headers["X-CSRFToken"] = token
    return client.patch(url, data=data, headers=headers)


def finish(client, state, token):
    headers = {"X-CSRFToken": token} if token else {}
    return client.post(state["finish_url"], headers=headers)


def upload_all(client, world, requirement_id, body: bytes, token, client_uuid=None):
    state = start(client, world, requirement_id, len(body), token, client_uuid).get_json()
    offset = state["offset"]
    while offset < len(body):
        offset = send(
            client, state["upload_url"], body[offset : offset + CHUNK], offset, token
        ).get_json()["offset"]
    return state, finish(client, state, token)


def items(session, world):
    session.expire_all()
    return session.exec(
        select(EvidenceItem).where(EvidenceItem.submission_id == world.submission.id)
    ).all()


def test_a_video_arrives_in_chunks_and_becomes_one_item(
    owner, world, video_id, token, session, settings
):
    body = mp4_bytes(3500)
    state, done = upload_all(owner, world, video_id, body, token)
    assert state["chunk_bytes"] == CHUNK and state["offset"] == 0
    assert done.status_code == 201
    answer = done.get_json()
    assert answer["status"] == "saved" and answer["kind"] == "video"
    [item] = items(session, world)
    assert (item.id, item.bytes, item.mime) == (answer["id"], len(body), "video/mp4")
    assert list((settings.storage_dir / ".partial").iterdir()) == []  # the parts are gone


def test_a_chunk_for_the_wrong_offset_gets_the_servers_offset(owner, world, video_id, token):
    body = mp4_bytes(2500)
    state = start(owner, world, video_id, len(body), token).get_json()
    assert send(owner, state["upload_url"], body[:CHUNK], 0, token).get_json() == {"offset": CHUNK}
    # The answer was lost on the way back: the phone sends the same chunk again.
    again = send(owner, state["upload_url"], body[:CHUNK], 0, token)
    assert again.status_code == 409
    assert again.get_json()["offset"] == CHUNK
    ahead = send(owner, state["upload_url"], body[2 * CHUNK :], 2 * CHUNK, token)
    assert (ahead.status_code, ahead.get_json()["offset"]) == (409, CHUNK)
    status = owner.get(state["upload_url"]).get_json()
    assert (status["offset"], status["size"], status["status"]) == (CHUNK, len(body), "uploading")


def test_starting_again_resumes_the_same_upload(owner, world, video_id, token):
    body = mp4_bytes(2500)
    client_uuid = str(uuid.uuid4())
    first = start(owner, world, video_id, len(body), token, client_uuid).get_json()
    send(owner, first["upload_url"], body[:CHUNK], 0, token)
    again = start(owner, world, video_id, len(body), token, client_uuid)
    assert again.status_code == 200
    assert again.get_json()["upload_url"] == first["upload_url"]
    assert again.get_json()["offset"] == CHUNK


def test_finishing_twice_or_uploading_again_gives_one_item(owner, world, video_id, token, session):
    body = mp4_bytes(1500)
    client_uuid = str(uuid.uuid4())
    state, first = upload_all(owner, world, video_id, body, token, client_uuid)
    second = finish(owner, state, token)
    restarted = start(owner, world, video_id, len(body), token, client_uuid)
    one_shot = post_upload(
        owner,
        world.submission.id,
        video_id,
        data=body,
        filename="lesson.mp4",
        client_uuid=client_uuid,
        token=token,
    )
    assert first.status_code == 201
    assert second.status_code == restarted.status_code == one_shot.status_code == 200
    ids = {r.get_json()["id"] for r in (first, second, restarted, one_shot)}
    assert len(ids) == 1 and restarted.get_json()["status"] == "saved"
    assert len(items(session, world)) == 1


def test_finishing_before_every_byte_arrived_says_where_it_stands(
    owner, world, video_id, token, session
):
    body = mp4_bytes(2500)
    state = start(owner, world, video_id, len(body), token).get_json()
    send(owner, state["upload_url"], body[:CHUNK], 0, token)
    early = finish(owner, state, token)
    assert (early.status_code, early.get_json()["offset"]) == (409, CHUNK)
    assert items(session, world) == []


def test_a_file_that_is_not_a_video_is_refused_and_forgotten(
    owner, world, video_id, token, session, settings
):
    body = b"MZ" + b"\x00" * 1800
    state, done = upload_all(owner, world, video_id, body, token)
    assert done.status_code == 422
    assert "isn't a video" in json_error(done)["message"]
    assert items(session, world) == []
    session.expire_all()
    assert session.exec(select(ResumableUpload)).all() == []
    assert list((settings.storage_dir / ".partial").iterdir()) == []


def test_size_limits_hold_for_chunked_uploads(owner, world, video_id, token, settings):
    settings.max_video_bytes = 5000
    too_big = start(owner, world, video_id, 5001, token)
    assert too_big.status_code == 413
    assert "larger than" in json_error(too_big)["message"]
    state = start(owner, world, video_id, 1500, token).get_json()
    # More than the chunk limit in one request is refused before it is read...
    assert send(owner, state["upload_url"], b"x" * (CHUNK + 1), 0, token).status_code == 413
    # ...and so is a body that runs past the size the upload announced.
    send(owner, state["upload_url"], b"x" * CHUNK, 0, token)
    past_end = send(owner, state["upload_url"], b"x" * CHUNK, CHUNK, token)
    assert past_end.status_code == 413
    assert owner.get(state["upload_url"]).get_json()["offset"] == CHUNK


@pytest.mark.parametrize("size", [0, -5, "lots", None])
def test_a_missing_or_silly_size_is_refused(owner, world, video_id, token, size):
    response = start(owner, world, video_id, size, token)
    assert response.status_code == 422


def test_only_file_parts_take_chunked_uploads(owner, world, token):
    response = start(owner, world, world.text_requirement_id, 100, token)
    assert response.status_code == 422
    assert "written response" in json_error(response)["message"]


def test_every_change_needs_the_csrf_token(owner, world, video_id, token, session):
    refused = start(owner, world, video_id, 1500, None)
    assert refused.status_code == 400 and refused.get_json()["csrf"] is True
    state = start(owner, world, video_id, 1500, token).get_json()
    assert send(owner, state["upload_url"], b"x" * 10, 0, None).status_code == 400
    assert send(owner, state["upload_url"], b"x" * 10, 0, "forged").status_code == 400
    assert owner.get(state["upload_url"]).get_json()["offset"] == 0
    assert finish(owner, state, None).status_code == 400


@pytest.mark.parametrize(
    "role,status",
    [("anonymous", 401), ("other_teacher", 404), ("assessor", 404), ("coach", 403), ("admin", 403)],
)
def test_only_the_owner_can_start_an_upload(client, world, video_id, role, status):
    as_role(client, world, role)
    response = start(client, world, video_id, 1500, page_token(client))
    assert response.status_code == status
    assert "error" in response.get_json()


@pytest.mark.parametrize("role", ["anonymous", "other_teacher", "assessor", "admin"])
def test_nobody_else_can_touch_an_upload(client, world, video_id, role):
    as_role(client, world, "owner")
    state = start(client, world, video_id, 1500, page_token(client)).get_json()
    as_role(client, world, role)
    token = page_token(client)
    expected = 401 if role == "anonymous" else 404
    assert client.get(state["upload_url"]).status_code == expected
    assert send(client, state["upload_url"], b"x" * 10, 0, token).status_code == expected
    assert finish(client, state, token).status_code == expected


def test_an_unknown_upload_is_not_found(owner, token):
    assert owner.get("/uploads/" + "0" * 32).status_code == 404
    assert owner.get("/uploads/not-a-token").status_code == 404


def test_an_item_that_came_in_chunks_can_be_removed_at_once(
    owner, world, video_id, token, session, app
):
    # The finished upload row points at the item: that foreign key used to make this a 500.
    photo = jpeg_bytes(gps=True, size=(300, 200))
    _, video = upload_all(owner, world, video_id, mp4_bytes(2500), token)
    _, picture = upload_all(owner, world, world.photo_requirement_id, photo, token)
    storage = LocalStorage(app.config["SETTINGS"].storage_dir)
    for answer in (video, picture):
        item_id = answer.get_json()["id"]
        gone = owner.post(
            f"/submissions/{world.submission.id}/evidence/{item_id}/delete",
            data={"csrf_token": token},
        )
        assert gone.status_code == 303
    assert items(session, world) == []
    assert session.exec(select(ResumableUpload)).all() == []
    assert list(storage.keys()) == []  # the video, the photo and its thumbnail
    assert not blobs.store_problems(session=session, storage=storage)
