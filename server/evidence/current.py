"""The evidence objects of the running app, built from its settings: the blob storage
(one per app, kept in app.extensions) and the upload limits. Views call these; services
take the objects as arguments."""

from __future__ import annotations

from flask import current_app

from server.evidence.limits import UploadLimits
from server.storage import Storage, storage_from_settings


def storage() -> Storage:
    # Built once per app (an S3 client is costly to make), not on every request.
    found = current_app.extensions.get("evidence_storage")
    if found is None:
        found = current_app.extensions.setdefault(
            "evidence_storage", storage_from_settings(current_app.config["SETTINGS"])
        )
    return found


def limits() -> UploadLimits:
    return UploadLimits.from_settings(current_app.config["SETTINGS"])
