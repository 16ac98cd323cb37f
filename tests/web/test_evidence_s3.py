"""The evidence routes with the S3 store (CHALKMARK_S3_*, moto's server): an upload lands in
the bucket, not the local directory; the file route keeps the access check and the access
log and streams ranges; removing the item deletes the objects; a lost object is a 404."""

import pytest
from sqlmodel import select

from server.evidence import current
from server.models import AccessLog, EvidenceItem
from server.storage_s3 import S3Storage
from tests.support.evidence import as_role, make_world, page_token, post_upload
from tests.support.media import jpeg_bytes


@pytest.fixture
def settings(settings, s3_bucket):
    for name, value in s3_bucket.settings().items():
        setattr(settings, name, value)
    return settings


@pytest.fixture
def world(session):
    return make_world(session)


@pytest.fixture
def photo(client, world, session):
    as_role(client, world, "owner")
    data = jpeg_bytes(gps=True, size=(400, 300))
    response = post_upload(client, world.submission.id, world.photo_requirement_id, data=data)
    assert response.status_code == 201
    return session.get(EvidenceItem, response.get_json()["id"])


def _objects(s3_bucket) -> set[str]:
    listing = s3_bucket.client.list_objects_v2(Bucket=s3_bucket.name)
    return {entry["Key"] for entry in listing.get("Contents", [])}


def test_uploads_go_to_the_bucket_and_downloads_keep_the_access_check(
    app, client, session, world, photo, s3_bucket, settings
):
    with app.app_context():
        assert isinstance(current.storage(), S3Storage)
    assert _objects(s3_bucket) == {photo.blob_key, photo.thumb_key}
    assert not (settings.storage_dir.exists() and any(settings.storage_dir.rglob("*.jpg")))

    owner = as_role(client, world, "owner")
    response = client.get(f"/evidence/{photo.id}/file")
    assert response.status_code == 200
    assert response.data[:2] == b"\xff\xd8" and len(response.data) == photo.bytes
    assert response.headers["Cache-Control"] == "private, no-store"
    part = client.get(f"/evidence/{photo.id}/file", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.data == response.data[100:200]

    as_role(client, world, "other_teacher")
    refused = client.get(f"/evidence/{photo.id}/file")
    assert refused.status_code == 404 and b"\xff\xd8" not in refused.data

    logs = session.exec(select(AccessLog).where(AccessLog.target == f"evidence_item:{photo.id}"))
    assert [(log.user_id, log.action) for log in logs] == [(owner.id, "evidence.file")] * 2


def test_removing_the_item_deletes_its_objects(client, world, photo, s3_bucket):
    as_role(client, world, "owner")
    answer = client.post(
        f"/submissions/{world.submission.id}/evidence/{photo.id}/delete",
        data={"csrf_token": page_token(client)},
    )
    assert answer.status_code == 303
    assert _objects(s3_bucket) == set()


def test_a_lost_object_is_a_clear_404(client, world, photo, s3_bucket):
    s3_bucket.client.delete_object(Bucket=s3_bucket.name, Key=photo.blob_key)
    as_role(client, world, "owner")
    response = client.get(f"/evidence/{photo.id}/file")
    assert response.status_code == 404
    assert "no longer stored" in response.get_data(as_text=True)
