"""Backup and restore of everything a district would lose with the machine: the database
(SQLite through its online backup API, so the app keeps serving; PostgreSQL through
pg_dump/pg_restore) and the evidence store directory. Flask-free: the CLI passes the URL
and directories.

A backup directory holds `manifest.json`, `chalkmark.db` or `chalkmark.pgdump`, and
`evidence/`. Keys under the instance directory (secret key, badge signing keys, VAPID)
are not copied: keep them with your secrets, not beside the data.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

MANIFEST = "manifest.json"
SQLITE_FILE = "chalkmark.db"
PG_FILE = "chalkmark.pgdump"
EVIDENCE = "evidence"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class Outcome:
    directory: Path
    database: str  # sqlite | postgresql
    evidence_files: int


def backup(*, database_url: str, storage_dir: Path, target: Path) -> Outcome:
    url = make_url(database_url)
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise BackupError(f"{target} is not empty: back up into a new directory.")
    kind = _kind(url)
    if kind == "sqlite":
        _sqlite_copy(_sqlite_path(url), target / SQLITE_FILE)
    else:
        _run(_pg_tool("pg_dump"), "--format=custom", f"--file={target / PG_FILE}", url=url)
    files = _copy_tree(storage_dir, target / EVIDENCE)
    manifest = {
        "database": kind,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "evidence_files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return Outcome(target, kind, files)


def restore(*, database_url: str, storage_dir: Path, source: Path) -> Outcome:
    """Replace the database and the evidence store with the backup's. Stop the app (or at
    least expect errors while it runs) and restart it after: caches keep old pages."""
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as err:
        raise BackupError(f"{source} is not a Chalkmark backup (no readable {MANIFEST}).") from err
    url = make_url(database_url)
    kind = _kind(url)
    if manifest.get("database") != kind:
        raise BackupError(
            f"This backup holds a {manifest.get('database')} database; "
            f"CHALKMARK_DATABASE_URL is {kind}."
        )
    if kind == "sqlite":
        _sqlite_copy(source / SQLITE_FILE, _sqlite_path(url))
    else:
        _run(
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            str(source / PG_FILE),
            url=url,
            database_flag=True,
        )
    files = _replace_tree(source / EVIDENCE, storage_dir)
    return Outcome(source, kind, files)


def _kind(url: URL) -> str:
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups cover SQLite and PostgreSQL, not {backend}.")
    return backend


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database has nothing to back up.")
    return Path(url.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Page-by-page copy through SQLite's online backup API: consistent while the app
    keeps reading and writing (WAL included)."""
    if not source.exists():
        raise BackupError(f"No SQLite database at {source}.")
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not on PATH: install the PostgreSQL client tools "
            "(Debian: apt install postgresql-client), the same major version as the server."
        )
    return path


def _run(tool: str, *args: str, url: URL, database_flag: bool = False) -> None:
    """Run a libpq tool; the password goes through the environment, never argv."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    conninfo = url.set(drivername="postgresql", password=None).render_as_string()
    target = [f"--dbname={conninfo}"] if database_flag else [conninfo]
    result = subprocess.run(
        [tool, *args, *target], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines()[-1:] or ["no message"]
        raise BackupError(f"{Path(tool).name} failed: {detail[0]}")


def _copy_tree(source: Path, target: Path) -> int:
    target.mkdir(parents=True, exist_ok=True)
    if source.exists():
        shutil.copytree(source, target, dirs_exist_ok=True)
    return sum(1 for p in target.rglob("*") if p.is_file())


def _replace_tree(source: Path, target: Path) -> int:
    """The store becomes the backup's: copied beside it first, then swapped in."""
    staging = target.with_name(target.name + ".restoring")
    old = target.with_name(target.name + ".replaced")
    for leftover in (staging, old):
        shutil.rmtree(leftover, ignore_errors=True)
    files = _copy_tree(source, staging)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return files
