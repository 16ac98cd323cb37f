"""Shared set-up for the push and nudge benchmarks: a throwaway app in either job mode
(in-process threads, or RQ with real `chalkmark worker` processes) and the local push
service from the tests as the receiving end."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

REDIS_URL = "redis://127.0.0.1:6379/14"  # not the tests' database (15)
CHALKMARK = Path(sys.executable).with_name("chalkmark")


def make_app(mode: str):
    """The demo app on a temp SQLite database; mode is 'embedded' or 'rq'."""
    from bench.common import demo_app

    return demo_app(redis_url=REDIS_URL if mode == "rq" else None)


def _flush_redis() -> None:
    from redis import Redis

    Redis.from_url(REDIS_URL).flushdb()


@contextmanager
def rq_workers(app, count: int = 2):
    """`chalkmark worker` processes sharing the app's database and VAPID key."""
    settings = app.config["SETTINGS"]
    _flush_redis()
    env = {
        **os.environ,
        "CHALKMARK_DATABASE_URL": settings.database_url,
        "CHALKMARK_INSTANCE_DIR": str(settings.instance_dir),
        "CHALKMARK_SECRET_KEY": settings.secret_key,
        "CHALKMARK_REDIS_URL": REDIS_URL,
    }
    procs = [
        subprocess.Popen(
            [str(CHALKMARK), "worker"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(count)
    ]
    try:
        _wait_for_workers(count)
        yield procs
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=20)
        _flush_redis()


def _wait_for_workers(count: int, timeout: float = 60.0) -> None:
    from redis import Redis
    from rq import Worker

    connection = Redis.from_url(REDIS_URL)
    deadline = time.monotonic() + timeout
    while Worker.count(connection=connection) < count:
        if time.monotonic() > deadline:
            raise RuntimeError("the RQ workers did not start")
        time.sleep(0.1)


def table(rows: list[dict], columns: list[str]) -> str:
    widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns}
    lines = ["  ".join(c.ljust(widths[c]) for c in columns)]
    lines += ["  ".join(str(r.get(c, "")).ljust(widths[c]) for c in columns) for r in rows]
    return "\n".join(lines)
