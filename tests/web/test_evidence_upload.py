"""Uploading evidence over HTTP: types by magic bytes, size limits before the body is
read, idempotent client_uuid, the three response shapes, and private file responses."""

import io

import pytest
from PIL import Image
from sqlmodel import select

from server.catalog.service import requirements_for
from server.models import EvidenceItem
from tests.support.evidence import as_role, make_world, page_token, post_upload
from tests.support.media import exe_bytes, jpeg_bytes, pdf_bytes
from tests.support.web import json_error


@pytest.fixture
def world(session):
    return make_world(session, kinds=("photo", "text", "file", "link", "video"))


@pytest.fixture
def owner_client(client, world):
    as_role(client, world, "owner")
    return client


def _stored_files(settings):
    root = settings.storage_dir
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _requirement(world, session, kind):
    return next(
        r
        for r in requirements_for(session=session, credential_id=world.credential.id)
        if r.kind == kind
    )


def test_renamed_exe_as_photo_is_refused_with_a_clear_message(owner_client, world, settings):
    response = post_upload(
        owner_client,
        world.submission.id,
        world.photo_requirement_id,
        data=exe_bytes(),
        filename="class-photo.jpg",
    )
    assert response.status_code == 422
    assert json_error(response) == {
        "message": "That file isn't a photo we can use (JPEG, PNG, WebP or HEIC).",
        "field": "file",
    }
    assert _stored_files(settings) == []


def test_renamed_exe_for_htmx_gets_the_message_fragment(owner_client, world):
    response = post_upload(
        owner_client,
        world.submission.id,
        world.photo_requirement_id,
        data=exe_bytes(),
        json=False,
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html and "isn&#39;t a photo we can use" in html


class ExplodingStream(io.RawIOBase):
    """A request body of `size` bytes that fails the test if anything reads it (it can
    only say how long it is, as a Content-Length header would)."""

    def __init__(self, size: int):
        self.size, self.position, self.read_attempted = size, 0, False

    def readable(self):
        return True

    def seekable(self):
        return True

    def seek(self, offset, whence=io.SEEK_SET):
        self.position = self.size + offset if whence == io.SEEK_END else offset
        return self.position

    def tell(self):
        return self.position

    def readinto(self, buffer):
        self.read_attempted = True
        raise AssertionError("the body was read")


def test_oversized_upload_is_refused_before_the_body_is_read(
    owner_client, world, settings, session
):
    body = ExplodingStream(settings.max_photo_bytes + 10 * 1024 * 1024)
    response = owner_client.post(
        f"/submissions/{world.submission.id}/evidence?requirement_id={world.photo_requirement_id}",
        input_stream=body,
        content_type="multipart/form-data; boundary=xyz",
        headers={"Accept": "application/json", "X-CSRFToken": page_token(owner_client)},
    )
    assert response.status_code == 413
    assert json_error(response)["message"] == (
        "That file is larger than 20 MB, the most we accept here."
    )
    assert not body.read_attempted
    assert session.exec(select(EvidenceItem)).all() == []
    assert _stored_files(settings) == []


def test_file_over_its_kind_limit_is_refused_while_streaming(
    owner_client, world, settings, session
):
    settings.max_file_bytes = 50_000  # the video part keeps the overall limit high
    file_part = _requirement(world, session, "file")
    response = post_upload(
        owner_client,
        world.submission.id,
        file_part.id,
        data=pdf_bytes() + b"0" * 60_000,
        filename="plan.pdf",
    )
    assert response.status_code == 413
    assert "larger than" in json_error(response)["message"]
    assert _stored_files(settings) == []


def test_same_client_uuid_twice_gives_one_item(owner_client, world, session):
    uuid = "6f1c1f8e-8a43-4b4e-9a43-0c3c0e7d5a10"
    first = post_upload(
        owner_client,
        world.submission.id,
        world.photo_requirement_id,
        data=jpeg_bytes(gps=True, size=(80, 60)),
        client_uuid=uuid,
    )
    again = post_upload(
        owner_client,
        world.submission.id,
        world.photo_requirement_id,
        data=jpeg_bytes(gps=True, size=(80, 60)),
        client_uuid=uuid,
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["id"] == again.get_json()["id"]
    body = first.get_json()
    assert body["status"] == "saved" and body["kind"] == "photo"
    assert body["client_uuid"] == uuid and body["thumb_url"] == f"/evidence/{body['id']}/thumb"
    assert len(session.exec(select(EvidenceItem)).all()) == 1


def test_htmx_upload_returns_the_item_fragment(owner_client, world):
    response = post_upload(
        owner_client,
        world.submission.id,
        world.photo_requirement_id,
        data=jpeg_bytes(gps=True, size=(80, 60)),
        json=False,
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 201
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<li class="evidence-item"') and "<img" in html


def test_plain_form_upload_redirects_back_to_the_part(owner_client, world, session):
    link_part = _requirement(world, session, "link")
    response = post_upload(
        owner_client,
        world.submission.id,
        link_part.id,
        json=False,
        url="https://example.org/slides",
        token=page_token(owner_client),
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/submissions/{world.submission.id}#req-{link_part.id}"
    )


def test_bad_link_and_long_text_are_refused(owner_client, world, session):
    link_part = _requirement(world, session, "link")
    bad = post_upload(owner_client, world.submission.id, link_part.id, url="ftp://x.org/a")
    assert bad.status_code == 422 and "http" in json_error(bad)["message"]
    long = post_upload(
        owner_client, world.submission.id, world.text_requirement_id, text="a" * 20_001
    )
    assert long.status_code == 422 and "20,000" in json_error(long)["message"]


def test_missing_client_uuid_is_refused(owner_client, world):
    response = post_upload(
        owner_client,
        world.submission.id,
        world.text_requirement_id,
        text="hello",
        client_uuid="not-a-uuid",
    )
    assert response.status_code == 422


def test_non_image_files_download_as_attachments(owner_client, world, session):
    file_part = _requirement(world, session, "file")
    saved = post_upload(
        owner_client,
        world.submission.id,
        file_part.id,
        data=pdf_bytes(),
        filename="Lesson <plan>.pdf",
    ).get_json()
    response = owner_client.get(f"/evidence/{saved['id']}/file")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data == pdf_bytes()


def test_photos_show_inline_and_without_exif(owner_client, world):
    from PIL import Image

    saved = post_upload(
        owner_client,
        world.submission.id,
        world.photo_requirement_id,
        data=jpeg_bytes(gps=True, size=(500, 400)),
    ).get_json()
    response = owner_client.get(f"/evidence/{saved['id']}/file")
    assert response.headers["Content-Disposition"].startswith("inline")
    assert len(Image.open(io.BytesIO(response.data)).getexif()) == 0
    thumb = owner_client.get(saved["thumb_url"])
    assert Image.open(io.BytesIO(thumb.data)).size == (320, 256)


def test_text_autosave_says_when_it_saved(owner_client, world, session):
    url = f"/submissions/{world.submission.id}/requirements/{world.text_requirement_id}/text"
    token = page_token(owner_client)
    for words in ("First thoughts", "Second thoughts"):
        response = owner_client.post(
            url, data={"csrf_token": token, "text": words}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 200
        assert response.get_data(as_text=True).strip().startswith("Saved ")
    items = session.exec(select(EvidenceItem)).all()
    assert [i.text for i in items] == ["Second thoughts"]
    plain = owner_client.post(url, data={"csrf_token": token, "text": "Third"})
    assert plain.status_code == 303


def test_remove_with_htmx_answers_with_the_part_and_its_picker(
    owner_client, world, session, settings
):
    saved = post_upload(
        owner_client,
        world.submission.id,
        world.photo_requirement_id,
        data=jpeg_bytes(gps=True, size=(40, 40)),
    ).get_json()
    response = owner_client.post(
        f"/submissions/{world.submission.id}/evidence/{saved['id']}/delete",
        data={"csrf_token": page_token(owner_client)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # The part replaces itself: the only photo is gone, so its pickers are back.
    assert html.lstrip().startswith(
        f'<li class="evidence-part" id="req-{world.photo_requirement_id}"'
    )
    assert 'id="choose-' in html and 'capture="environment"' in html and "is full" not in html
    assert 'class="evidence-item"' not in html
    assert session.exec(select(EvidenceItem)).all() == []
    assert _stored_files(settings) == []


def test_body_without_content_length_is_cut_off_at_the_limit(
    owner_client, world, settings, session
):
    settings.max_photo_bytes = 10 * 1024
    boundary = "bench"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="client_uuid"\r\n\r\n'
            f"2b0d7f3a-4c1e-4d8e-9f6a-1a2b3c4d5e6f\r\n"
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="big.jpg"\r\n\r\n'
        ).encode()
        + b"\xff\xd8\xff"
        + bytes(600 * 1024)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = owner_client.post(
        f"/submissions/{world.submission.id}/evidence?requirement_id={world.photo_requirement_id}",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers={
            "Accept": "application/json",
            "Transfer-Encoding": "chunked",
            "X-CSRFToken": page_token(owner_client),
        },
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 413
    assert json_error(response)["message"] == (
        "That file is larger than 10 KB, the most we accept here."
    )
    assert session.exec(select(EvidenceItem)).all() == []
    assert _stored_files(settings) == []


def test_files_answer_range_requests(owner_client, world, session):
    video_part = _requirement(world, session, "video")
    data = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + bytes(range(256)) * 40
    saved = post_upload(
        owner_client, world.submission.id, video_part.id, data=data, filename="lesson.mp4"
    ).get_json()
    whole = owner_client.get(f"/evidence/{saved['id']}/file")
    assert whole.headers["Content-Length"] == str(len(data))
    part = owner_client.get(f"/evidence/{saved['id']}/file", headers={"Range": "bytes=4-11"})
    assert part.status_code == 206 and part.data == b"ftypisom"
    assert part.headers["Cache-Control"] == "private, no-store"


def test_plain_form_refusal_comes_back_to_the_page_with_the_message_in_place(owner_client, world):
    response = post_upload(
        owner_client,
        world.submission.id,
        world.photo_requirement_id,
        data=exe_bytes(),
        json=False,
        token=page_token(owner_client),
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="part-error-{world.photo_requirement_id}"' in html
    assert "isn&#39;t a photo we can use" in html and "<h1>" in html


def test_plain_form_oversized_upload_says_so_beside_the_part(owner_client, world, settings):
    body = ExplodingStream(settings.max_photo_bytes * 2)
    response = owner_client.post(
        f"/submissions/{world.submission.id}/evidence?requirement_id={world.photo_requirement_id}",
        input_stream=body,
        content_type="multipart/form-data; boundary=xyz",
    )
    assert response.status_code == 413 and not body.read_attempted
    html = response.get_data(as_text=True)
    assert f'id="part-error-{world.photo_requirement_id}"' in html
    assert "larger than 20 MB" in html


def test_a_decompression_bomb_photo_is_refused_with_a_message(owner_client, world, settings):
    bomb = io.BytesIO()
    Image.new("1", (8000, 8000)).save(bomb, format="PNG")  # ~8 KB, 64 megapixels
    refused = post_upload(
        owner_client,
        world.submission.id,
        world.photo_requirement_id,
        data=bomb.getvalue(),
        filename="board.png",
    )
    assert refused.status_code == 422
    assert "over 40 megapixels" in json_error(refused)["message"]
    assert _stored_files(settings) == []


def test_a_large_allowed_photo_is_still_stored(owner_client, world, session):
    photo = jpeg_bytes(gps=True, size=(6000, 4000))  # 24 MP: a desktop upload of a camera photo
    saved = post_upload(owner_client, world.submission.id, world.photo_requirement_id, data=photo)
    assert saved.status_code == 201
    item = session.get(EvidenceItem, saved.get_json()["id"])
    assert (item.width, item.height) == (1600, 1067)
    assert owner_client.get(f"/evidence/{item.id}/file").status_code == 200
