"""The resumable upload service with a real Session and real files: offsets, idempotent
finish, refusals, and cleaning up sessions nobody came back for."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

import pytest
from sqlmodel import select

from server.errors import Conflict, InvalidInput, NotFound, TooLarge
from server.evidence import resumable
from server.evidence.limits import UploadLimits
from server.models import EvidenceItem, ResumableUpload, utcnow
from server.storage import LocalStorage
from tests.support.evidence import make_draft
from tests.support.factories import make_credential, make_submission, make_user
from tests.support.media import mp4_bytes

LIMITS = UploadLimits(photo=10_000, video=10_000, file=10_000)


@pytest.fixture
def parts(tmp_path):
    return resumable.PartialFiles(tmp_path / "partial")


@pytest.fixture
def storage(tmp_path):
    return LocalStorage(tmp_path / "evidence")


@pytest.fixture
def draft(session):
    owner, submission, by_kind = make_draft(session, ("video", "text"))
    return owner, submission, by_kind["video"]


def begin(session, parts, draft, size, client_uuid=None, **fields):
    owner, submission, video = draft
    upload = resumable.start(
        session=session,
        parts=parts,
        limits=LIMITS,
        user=owner,
        submission_id=submission.id,
        client_uuid=client_uuid or str(uuid.uuid4()),
        requirement_id=video.id,
        total_bytes=size,
        **fields,
    )
    session.commit()
    return upload


def send(session, parts, owner, upload, data: bytes, offset: int, max_chunk=1000) -> int:
    return resumable.append(
        session=session,
        parts=parts,
        user=owner,
        token=upload.token,
        offset=offset,
        stream=io.BytesIO(data),
        max_chunk=max_chunk,
    )


def test_chunks_then_finish_make_one_item_with_the_upload_details(session, parts, storage, draft):
    owner, submission, _ = draft
    body = mp4_bytes(1800)
    upload = begin(
        session,
        parts,
        draft,
        len(body),
        filename="clip.mp4",
        note="Group A",
        captured_at="2025-03-01T09:30:00Z",
    )
    offset = 0
    while offset < len(body):
        offset = send(session, parts, owner, upload, body[offset : offset + 1000], offset)
    item, created = resumable.finish(
        session=session, parts=parts, storage=storage, limits=LIMITS, user=owner, token=upload.token
    )
    session.commit()
    assert created and item.submission_id == submission.id
    assert (item.bytes, item.mime, item.filename, item.note) == (
        len(body),
        "video/mp4",
        "clip.mp4",
        "Group A",
    )
    assert item.captured_at.isoformat() == "2025-03-01T09:30:00+00:00"
    assert storage.open(item.blob_key).read() == body
    again, created_again = resumable.finish(
        session=session, parts=parts, storage=storage, limits=LIMITS, user=owner, token=upload.token
    )
    assert (again.id, created_again) == (item.id, False)


def test_a_resent_chunk_is_refused_with_the_servers_offset(session, parts, draft):
    owner = draft[0]
    upload = begin(session, parts, draft, 3000)
    assert send(session, parts, owner, upload, b"a" * 1000, 0) == 1000
    with pytest.raises(resumable.OffsetMismatch) as refused:
        send(session, parts, owner, upload, b"a" * 1000, 0)
    assert refused.value.offset == 1000 and refused.value.extra == {"offset": 1000}


def test_a_chunk_cut_off_midway_is_not_counted(session, parts, draft, storage):
    owner = draft[0]
    body = mp4_bytes(1500)

    class Dropped(io.BytesIO):
        def read(self, size=-1):
            chunk = super().read(300)
            if not chunk:
                raise ConnectionError("client went away")
            return chunk

    upload = begin(session, parts, draft, len(body))
    with pytest.raises(ConnectionError):
        resumable.append(
            session=session,
            parts=parts,
            user=owner,
            token=upload.token,
            offset=0,
            stream=Dropped(body[:1000]),
            max_chunk=1000,
        )
    session.rollback()
    assert resumable.get(session=session, user=owner, token=upload.token).received_bytes == 0
    offset = 0
    while offset < len(body):  # the phone resends from the server's offset
        offset = send(session, parts, owner, upload, body[offset : offset + 1000], offset)
    item, _ = resumable.finish(
        session=session, parts=parts, storage=storage, limits=LIMITS, user=owner, token=upload.token
    )
    assert storage.open(item.blob_key).read() == body


def test_limits_and_refusals(session, parts, draft):
    owner, submission, _ = draft
    with pytest.raises(TooLarge):
        begin(session, parts, draft, LIMITS.video + 1)
    with pytest.raises(InvalidInput):
        begin(session, parts, draft, 0)
    upload = begin(session, parts, draft, 1500)
    with pytest.raises(TooLarge):
        send(session, parts, owner, upload, b"x" * 1001, 0)
    with pytest.raises(InvalidInput):
        resumable.append(
            session=session,
            parts=parts,
            user=owner,
            token=upload.token,
            offset=None,
            stream=io.BytesIO(b"x"),
            max_chunk=1000,
        )
    stranger = make_user(session)
    with pytest.raises(NotFound):
        resumable.get(session=session, user=stranger, token=upload.token)
    with pytest.raises(Conflict):  # the same client_uuid for another person's draft
        credential = make_credential(session, kinds=("video",))
        other_draft = make_submission(session, stranger, credential, status="draft")
        resumable.start(
            session=session,
            parts=parts,
            limits=LIMITS,
            user=stranger,
            submission_id=other_draft.id,
            client_uuid=upload.client_uuid,
            requirement_id=draft[2].id,
            total_bytes=10,
        )


def test_only_hex_tokens_name_partial_files(parts):
    for token in ("../../etc/passwd", "x" * 32, "ABCDEF" + "0" * 26, ""):
        with pytest.raises(NotFound):
            parts.path(token)


def test_stale_uploads_are_discarded_with_their_files(session, parts, draft):
    old = begin(session, parts, draft, 1500)
    fresh = begin(session, parts, draft, 1500)
    old.updated_at = utcnow() - resumable.KEEP_FOR - timedelta(minutes=1)
    session.add(old)
    session.commit()
    assert resumable.discard_stale(session=session, parts=parts) == 1
    session.commit()
    assert [u.token for u in session.exec(select(ResumableUpload)).all()] == [fresh.token]
    assert not parts.path(old.token).exists() and parts.path(fresh.token).exists()
    assert session.exec(select(EvidenceItem)).all() == []
