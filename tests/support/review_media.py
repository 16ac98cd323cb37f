"""An attempt with real files for the assessor's tools: photos (full size and thumbnail
stored) and a playable WebM video, in whatever storage the app uses; for e2e and web tests."""

from __future__ import annotations

import hashlib
import io

from sqlmodel import Session

from server.catalog.service import requirements_for
from server.models import Credential, EvidenceItem, Submission, new_uuid
from server.storage import LocalStorage, new_key
from tests.support.media import jpeg_bytes, webm_clip


def _store(storage: LocalStorage, prefix: str, suffix: str, body: bytes) -> str:
    key = new_key(prefix, suffix)
    storage.save_stream(key, io.BytesIO(body), len(body) + 1)
    return key


def add_media(
    session: Session,
    storage: LocalStorage,
    submission: Submission,
    credential: Credential,
    *,
    photos: int = 3,
    video: bool = True,
) -> list[EvidenceItem]:
    """Stored photos (each a different colour, 400×300) and, with `video`, the test clip,
    on the credential's photo and video requirements."""
    by_kind = {r.kind: r for r in requirements_for(session=session, credential_id=credential.id)}
    items = []
    for n in range(photos):
        body = jpeg_bytes(seed=n + 1, size=(400, 300))
        items.append(
            EvidenceItem(
                submission_id=submission.id,
                requirement_id=by_kind["photo"].id,
                client_uuid=new_uuid(),
                kind="photo",
                note=f"Anchor chart {n + 1}",
                filename=f"chart-{n + 1}.jpg",
                blob_key=_store(storage, "ev", ".jpg", body),
                thumb_key=_store(storage, "th", ".jpg", body),
                mime="image/jpeg",
                bytes=len(body),
                sha256=hashlib.sha256(body).hexdigest(),
                width=400,
                height=300,
            )
        )
    if video:
        body = webm_clip()
        items.append(
            EvidenceItem(
                submission_id=submission.id,
                requirement_id=by_kind["video"].id,
                client_uuid=new_uuid(),
                kind="video",
                filename="think-pair-share.webm",
                blob_key=_store(storage, "ev", ".webm", body),
                mime="video/webm",
                bytes=len(body),
                sha256=hashlib.sha256(body).hexdigest(),
            )
        )
    session.add_all(items)
    session.commit()
    return items
