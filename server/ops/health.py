"""Readiness checks for a load balancer or orchestrator: can this process serve right now?
Each check answers "ok" or "failed" only: a probe's answer is public, so no URL, host,
path or error text ever goes into it (the log gets the details)."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)
OK, FAILED = "ok", "failed"


def database(engine: Engine) -> str:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:
        log.exception("readiness: the database did not answer")
        return FAILED
    return OK


def redis(url: str) -> str:
    import redis as redis_lib

    try:
        client = redis_lib.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        try:
            client.ping()
        finally:
            client.close()
    except Exception:
        log.exception("readiness: Redis did not answer")
        return FAILED
    return OK


def storage(directory: Path) -> str:
    """The evidence store takes a file (written, then removed)."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".readyz-", dir=directory)
        try:
            os.write(fd, b"ok")
        finally:
            os.close(fd)
            os.unlink(name)
    except OSError:
        log.exception("readiness: the evidence store is not writable")
        return FAILED
    return OK


def readiness(*, engine: Engine, redis_url: str | None, storage_dir: Path) -> dict[str, str]:
    checks = {"database": database(engine), "storage": storage(storage_dir)}
    if redis_url:
        checks["redis"] = redis(redis_url)
    return checks
