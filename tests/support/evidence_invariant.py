"""The evidence invariant, checked after a test throws bad input at the app: every stored
blob key of an EvidenceItem is a file in storage, and every file in storage belongs to a
row (resumable uploads' partial files, in dot-directories, are not blobs yet)."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from server.models import EvidenceItem


def evidence_mismatches(session: Session, storage_dir: Path) -> tuple[set[str], set[str]]:
    """(keys of rows without their blob, files without their row)."""
    keys = set()
    for item in session.exec(select(EvidenceItem)):
        keys.update(key for key in (item.blob_key, item.thumb_key) if key)
    files = set()
    if storage_dir.exists():
        for path in storage_dir.rglob("*"):
            relative = path.relative_to(storage_dir)
            if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                files.add(relative.as_posix())
    return keys - files, files - keys
