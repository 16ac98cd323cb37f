"""The evidence objects of the running app, built from its settings: the blob storage
(one per app, kept in app.extensions) and the upload limits. Views call these; services
take the objects as arguments."""

from __future__ import annotations

from flask import current_app

from server.evidence.limits import UploadLimits
from server.storage import Storage, storage_from_settings


def storage() -> Storage:
    return current_app.extensions.setdefault(
        "evidence_storage", storage_from_settings(current_app.config["SETTINGS"])
    )


def limits() -> UploadLimits:
    return UploadLimits.from_settings(current_app.config["SETTINGS"])
