"""Evidence service with a real Session and a real LocalStorage."""

import io

import pytest
from PIL import Image
from sqlmodel import select

from server.errors import Conflict, Forbidden, InvalidInput, NotFound, TooLarge
from server.evidence import service
from server.evidence.limits import DEFAULT_PHOTO_PIXELS, UploadLimits
from server.models import AccessLog, EvidenceItem
from server.storage import LocalStorage
from tests.support.evidence import make_draft
from tests.support.factories import make_credential, make_submission, make_user
from tests.support.media import GPS_IFD, exe_bytes, heic_bytes, jpeg_bytes, mp4_bytes, pdf_bytes

LIMITS = UploadLimits(photo=2 * 1024 * 1024, video=4 * 1024 * 1024, file=1024 * 1024)


@pytest.fixture
def storage(tmp_path):
    return LocalStorage(tmp_path / "blobs")


@pytest.fixture
def draft(session):
    return make_draft(session, ("photo", "text", "file", "link", "video"), max_count=3)


def _add(session, storage, owner, submission, requirement, *, data=None, uuid=None, **fields):
    upload = service.Upload(
        client_uuid=uuid or fields.pop("client_uuid", None) or _uuid(),
        requirement_id=requirement.id,
        file=io.BytesIO(data) if data is not None else None,
        filename=fields.pop("filename", "upload.bin"),
        **fields,
    )
    item, created = service.add_item(
        session=session,
        storage=storage,
        limits=LIMITS,
        user=owner,
        submission_id=submission.id,
        upload=upload,
    )
    session.commit()
    return item, created


def _uuid():
    import uuid

    return str(uuid.uuid4())


def test_photo_loses_exif_and_gps_and_gets_a_thumbnail(session, storage, draft):
    owner, submission, req = draft
    original = jpeg_bytes(gps=True, size=(1200, 800))
    assert GPS_IFD in Image.open(io.BytesIO(original)).getexif()

    item, created = _add(
        session, storage, owner, submission, req["photo"], data=original, filename="IMG_0042.JPG"
    )

    assert created and item.mime == "image/jpeg" and (item.width, item.height) == (1200, 800)
    with storage.open(item.blob_key) as stored:
        cleaned = Image.open(io.BytesIO(stored.read()))
        assert len(cleaned.getexif()) == 0
        assert GPS_IFD not in cleaned.getexif()
        assert "exif" not in cleaned.info
    with storage.open(item.thumb_key) as thumb:
        small = Image.open(thumb)
        assert small.format == "JPEG" and max(small.size) == 320
    assert item.filename == "IMG_0042.JPG"
    assert "IMG_0042" not in item.blob_key and len(item.sha256) == 64


def test_orientation_is_applied_to_the_pixels_before_exif_is_dropped(session, storage, draft):
    owner, submission, req = draft
    rotated = jpeg_bytes(gps=True, size=(300, 100), orientation=6)  # "rotate 90° clockwise"
    item, _ = _add(session, storage, owner, submission, req["photo"], data=rotated)
    assert (item.width, item.height) == (100, 300)


def test_heic_photo_is_kept_as_a_clean_jpeg(session, storage, draft):
    owner, submission, req = draft
    item, _ = _add(
        session, storage, owner, submission, req["photo"], data=heic_bytes(), filename="IMG_1.HEIC"
    )
    assert item.mime == "image/jpeg" and item.blob_key.endswith(".jpg")


def test_same_client_uuid_twice_gives_one_item(session, storage, draft):
    owner, submission, req = draft
    uuid = _uuid()
    first, created_first = _add(
        session,
        storage,
        owner,
        submission,
        req["photo"],
        data=jpeg_bytes(gps=True, size=(50, 50)),
        uuid=uuid,
    )
    again, created_again = _add(
        session,
        storage,
        owner,
        submission,
        req["photo"],
        data=jpeg_bytes(gps=True, size=(60, 60)),
        uuid=uuid.upper(),
    )
    assert created_first and not created_again and again.id == first.id
    items = session.exec(select(EvidenceItem)).all()
    assert len(items) == 1
    blobs = [p for p in storage.root.rglob("*") if p.is_file()]
    assert len(blobs) == 2  # the photo and its thumbnail, stored once


def test_client_uuid_of_someone_else_is_refused(session, storage, draft):
    owner, submission, req = draft
    uuid = _uuid()
    _add(session, storage, owner, submission, req["text"], text="Mine", uuid=uuid)
    intruder = make_user(session)
    credential = make_credential(session)
    theirs = make_submission(session, intruder, credential, status="draft")
    with pytest.raises(Conflict):
        service.add_item(
            session=session,
            storage=storage,
            limits=LIMITS,
            user=intruder,
            submission_id=theirs.id,
            upload=service.Upload(client_uuid=uuid, requirement_id=req["text"].id, text="x"),
        )


def test_renamed_exe_is_refused_and_nothing_stored(session, storage, draft):
    owner, submission, req = draft
    with pytest.raises(InvalidInput) as refused:
        _add(
            session,
            storage,
            owner,
            submission,
            req["photo"],
            data=exe_bytes(),
            filename="holiday.jpg",
        )
    assert "isn't a photo we can use" in refused.value.message
    assert session.exec(select(EvidenceItem)).all() == []
    assert not storage.root.exists() or not any(p.is_file() for p in storage.root.rglob("*"))


def test_file_over_the_kind_limit_is_too_large(session, storage, draft):
    owner, submission, req = draft
    with pytest.raises(TooLarge):
        _add(
            session, storage, owner, submission, req["file"], data=pdf_bytes() + b"0" * LIMITS.file
        )


def test_decompression_bomb_is_refused_clearly(session, storage, draft):
    owner, submission, req = draft
    side = int(DEFAULT_PHOTO_PIXELS**0.5) + 100
    bomb = io.BytesIO()
    Image.new("1", (side, side)).save(bomb, format="PNG")  # tiny file, huge canvas
    with pytest.raises(InvalidInput) as refused:
        _add(session, storage, owner, submission, req["photo"], data=bomb.getvalue())
    assert "too big to process" in refused.value.message


def test_video_and_pdf_are_stored_as_sent(session, storage, draft):
    owner, submission, req = draft
    video, _ = _add(
        session,
        storage,
        owner,
        submission,
        req["video"],
        data=mp4_bytes(10_000),
        filename="lesson.mp4",
        captured_at="2024-03-01T10:42:00Z",
    )
    pdf, _ = _add(session, storage, owner, submission, req["file"], data=pdf_bytes())
    assert video.mime == "video/mp4" and video.bytes == len(mp4_bytes(10_000))
    assert video.thumb_key is None and video.captured_at.year == 2024
    assert pdf.mime == "application/pdf"


def test_text_and_link_rules(session, storage, draft):
    owner, submission, req = draft
    with pytest.raises(InvalidInput, match="under 20,000"):
        _add(session, storage, owner, submission, req["text"], text="a" * 20_001)
    with pytest.raises(InvalidInput, match="http"):
        _add(session, storage, owner, submission, req["link"], url="javascript:alert(1)")
    link, _ = _add(
        session, storage, owner, submission, req["link"], url="https://example.org/lesson"
    )
    assert link.url == "https://example.org/lesson"


def test_a_requirement_takes_at_most_its_max_count(session, storage, draft):
    owner, submission, req = draft
    for n in range(3):
        _add(session, storage, owner, submission, req["link"], url=f"https://e.org/{n}")
    with pytest.raises(InvalidInput, match="at most 3"):
        _add(session, storage, owner, submission, req["link"], url="https://e.org/4")


def test_autosave_upserts_one_text_item_and_clearing_removes_it(session, draft):
    owner, submission, req = draft
    first = service.save_text(
        session=session,
        user=owner,
        submission_id=submission.id,
        requirement_id=req["text"].id,
        text="Draft one",
    )
    session.commit()
    second = service.save_text(
        session=session,
        user=owner,
        submission_id=submission.id,
        requirement_id=req["text"].id,
        text="Draft two",
    )
    session.commit()
    assert first.id == second.id and second.text == "Draft two"
    assert (
        service.save_text(
            session=session,
            user=owner,
            submission_id=submission.id,
            requirement_id=req["text"].id,
            text="  ",
        )
        is None
    )
    session.commit()
    assert session.exec(select(EvidenceItem)).all() == []


def test_only_the_owner_changes_a_draft(session, storage, draft):
    owner, submission, req = draft
    admin = make_user(session, "admin")
    stranger = make_user(session)
    with pytest.raises(Forbidden):
        service.save_text(
            session=session,
            user=admin,
            submission_id=submission.id,
            requirement_id=req["text"].id,
            text="hi",
        )
    with pytest.raises(NotFound):
        service.save_text(
            session=session,
            user=stranger,
            submission_id=submission.id,
            requirement_id=req["text"].id,
            text="hi",
        )


def test_remove_keeps_a_blob_another_attempt_still_uses(session, storage, draft):
    owner, submission, req = draft
    item, _ = _add(
        session, storage, owner, submission, req["photo"], data=jpeg_bytes(gps=True, size=(40, 40))
    )
    twin = EvidenceItem(**item.model_dump(exclude={"id", "client_uuid"}), client_uuid=_uuid())
    session.add(twin)
    session.commit()
    orphans = service.remove_item(
        session=session, user=owner, submission_id=submission.id, item_id=item.id
    )
    assert orphans == []
    orphans = service.remove_item(
        session=session, user=owner, submission_id=submission.id, item_id=twin.id
    )
    assert set(orphans) == {item.blob_key, item.thumb_key}


def test_viewing_a_file_is_logged(session, storage, draft):
    owner, submission, req = draft
    item, _ = _add(
        session, storage, owner, submission, req["photo"], data=jpeg_bytes(gps=True, size=(40, 40))
    )
    found = service.viewable_item(session=session, user=owner, item_id=item.id)
    service.log_view(session=session, user=owner, item=found, action="evidence.file")
    session.commit()
    log = session.exec(select(AccessLog)).one()
    assert (log.user_id, log.action, log.target) == (
        owner.id,
        "evidence.file",
        f"evidence_item:{item.id}",
    )
    with pytest.raises(NotFound):
        service.viewable_item(session=session, user=make_user(session), item_id=item.id)
