"""Every upload route stores a photo the same way: at most 1600 px on its long side, with
no EXIF left, HEIC turned into a JPEG (server/evidence/images.py, reached through
service.add_item by each route)."""

from __future__ import annotations

import io
import uuid

import pytest
from PIL import Image
from sqlmodel import select

from server.models import EvidenceItem
from server.storage import LocalStorage
from tests.support.evidence import as_role, make_world, page_token, post_upload
from tests.support.media import heic_bytes, jpeg_bytes

BIG = (3000, 2000)


@pytest.fixture
def world(session):
    return make_world(session, kinds=("photo", "text"))


@pytest.fixture
def owner(client, world):
    as_role(client, world, "owner")
    return client


def _plain_form(client, world, data, filename):
    token = page_token(client)
    return client.post(
        f"/submissions/{world.submission.id}/evidence?requirement_id={world.photo_requirement_id}",
        data={
            "csrf_token": token,
            "client_uuid": str(uuid.uuid4()),
            "requirement_id": str(world.photo_requirement_id),
            "file": (io.BytesIO(data), filename),
        },
        content_type="multipart/form-data",
    )


def _htmx(client, world, data, filename):
    return post_upload(
        client,
        world.submission.id,
        world.photo_requirement_id,
        data=data,
        filename=filename,
        json=False,
        headers={"HX-Request": "true"},
    )


def _json(client, world, data, filename):  # the draft page's script and the offline queue
    return post_upload(
        client, world.submission.id, world.photo_requirement_id, data=data, filename=filename
    )


def _resumable(client, world, data, filename):  # the offline queue's chunked uploads
    token = page_token(client)
    headers = {"Accept": "application/json", "X-CSRFToken": token}
    state = client.post(
        f"/submissions/{world.submission.id}/uploads",
        json={
            "client_uuid": str(uuid.uuid4()),
            "requirement_id": world.photo_requirement_id,
            "size": len(data),
            "filename": filename,
        },
        headers=headers,
    ).get_json()
    sent = client.patch(
        state["upload_url"],
        data=data,
        headers={**headers, "Upload-Offset": "0", "Content-Type": "application/octet-stream"},
    )
    assert sent.status_code == 200, sent.get_data(as_text=True)
    return client.post(state["finish_url"], headers=headers)


ROUTES = {"form": _plain_form, "htmx": _htmx, "json": _json, "resumable": _resumable}


def _stored(session, app, world) -> tuple[EvidenceItem, Image.Image]:
    session.expire_all()
    item = session.exec(
        select(EvidenceItem).where(EvidenceItem.submission_id == world.submission.id)
    ).one()
    storage = LocalStorage(app.config["SETTINGS"].storage_dir)
    image = Image.open(io.BytesIO(storage.open(item.blob_key).read()))
    image.load()
    return item, image


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_a_big_photo_with_exif_is_stored_small_and_clean(owner, world, session, app, route):
    answer = ROUTES[route](owner, world, jpeg_bytes(gps=True, size=BIG), "IMG_0001.jpg")
    assert answer.status_code in (201, 303), answer.get_data(as_text=True)
    item, image = _stored(session, app, world)
    assert max(image.size) <= 1600 and image.size == (1600, 1067)
    assert (item.width, item.height) == image.size
    assert not image.getexif() and "exif" not in image.info


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_a_heic_photo_is_stored_as_a_jpeg(owner, world, session, app, route):
    answer = ROUTES[route](owner, world, heic_bytes(size=(2400, 1800)), "IMG_0002.HEIC")
    assert answer.status_code in (201, 303), answer.get_data(as_text=True)
    item, image = _stored(session, app, world)
    assert image.format == "JPEG" and item.mime == "image/jpeg"
    assert image.size == (1600, 1200)
