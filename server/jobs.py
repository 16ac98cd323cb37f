"""Background jobs: work that must not sit in a request's critical path (push delivery,
nudge fan-out). Jobs are named by dotted path ("server.notify.jobs.deliver": each area's
entry points live in <area>/jobs.py) with plain, picklable arguments, and run inside an
app context.

Embedded default: a small pool of in-process worker threads. Scale-out: RQ on Redis when
CHALKMARK_REDIS_URL is set, so many app servers share one queue (`chalkmark worker`).
`run_after_commit` queues a job only once the caller's transaction has committed, so a
worker never reads rows that are not there yet (and a rollback queues nothing).
"""

from __future__ import annotations

import heapq
import importlib
import logging
import threading
import time
from datetime import timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event
from sqlmodel import Session

log = logging.getLogger(__name__)

PENDING_KEY = "chalkmark_jobs_after_commit"
LISTENING_KEY = "chalkmark_jobs_listening"


def resolve(func_path: str):
    module_name, _, attr = func_path.rpartition(".")
    return getattr(importlib.import_module(module_name), attr)


class ThreadBackend:
    """In-process workers; a heap keeps delayed jobs until they are due."""

    def __init__(self, app: Flask, workers: int = 2):
        self.app = app
        self.workers = workers
        self._heap: list[tuple[float, int, str, tuple, dict]] = []
        self._cond = threading.Condition()
        self._seq = 0
        self._running = 0
        self._threads: list[threading.Thread] = []

    def enqueue(self, func_path: str, args: tuple, kwargs: dict, delay: float = 0) -> None:
        with self._cond:
            self._seq += 1
            heapq.heappush(
                self._heap, (time.monotonic() + delay, self._seq, func_path, args, kwargs)
            )
            self._start_threads()
            self._cond.notify()

    def _start_threads(self) -> None:
        self._threads = [t for t in self._threads if t.is_alive()]
        while len(self._threads) < self.workers:
            thread = threading.Thread(target=self._work, name="chalkmark-job", daemon=True)
            thread.start()
            self._threads.append(thread)

    def _next_job(self):
        with self._cond:
            while True:
                if self._heap and self._heap[0][0] <= time.monotonic():
                    self._running += 1
                    return heapq.heappop(self._heap)[2:]
                wait = self._heap[0][0] - time.monotonic() if self._heap else None
                self._cond.wait(timeout=wait)

    def _work(self) -> None:
        while True:
            func_path, args, kwargs = self._next_job()
            try:
                with self.app.app_context():
                    resolve(func_path)(*args, **kwargs)
            except Exception:  # a failed job must not kill the worker
                log.exception("job %s failed", func_path)
            finally:
                with self._cond:
                    self._running -= 1
                    self._cond.notify_all()

    def drain(self, timeout: float = 10.0) -> bool:
        """Wait until no job is queued or running (tests and shutdown)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._heap or self._running:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(timeout=min(remaining, 0.05))
        return True


class RQBackend:
    def __init__(self, redis_url: str, queue_name: str = "chalkmark"):
        from redis import Redis
        from rq import Queue

        self.redis = Redis.from_url(redis_url)
        self.queue = Queue(queue_name, connection=self.redis)

    def enqueue(self, func_path: str, args: tuple, kwargs: dict, delay: float = 0) -> None:
        if delay > 0:
            self.queue.enqueue_in(timedelta(seconds=delay), execute, func_path, args, kwargs)
        else:
            self.queue.enqueue(execute, func_path, args, kwargs)

    def drain(self, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.queue.count == 0 and self.queue.started_job_registry.count == 0:
                return True
            time.sleep(0.05)
        return False


_worker_app: Flask | None = None


def execute(func_path: str, args: tuple, kwargs: dict) -> Any:
    """What an RQ worker runs: the job inside an app built once per worker process."""
    global _worker_app
    if _worker_app is None:
        from server import create_app

        _worker_app = create_app()
    with _worker_app.app_context():
        return resolve(func_path)(*args, **kwargs)


def init_app(app: Flask) -> None:
    settings = app.config["SETTINGS"]
    if settings.redis_url:
        app.extensions["jobs"] = RQBackend(settings.redis_url)
    else:
        app.extensions["jobs"] = ThreadBackend(app)


def backend():
    return current_app.extensions["jobs"]


def run_later(func_path: str, *args, delay: float = 0, **kwargs) -> None:
    backend().enqueue(func_path, args, kwargs, delay)


def run_after_commit(session: Session, func_path: str, *args, delay: float = 0, **kwargs) -> None:
    """Queue the job when `session` commits; forget it if the session rolls back."""
    if not session.info.get(LISTENING_KEY):
        session.info[LISTENING_KEY] = True
        jobs_backend = backend()
        event.listen(session, "after_commit", lambda s: _flush(s, jobs_backend))
        event.listen(session, "after_soft_rollback", _forget_on_outer_rollback)
    session.info.setdefault(PENDING_KEY, []).append((func_path, args, kwargs, delay))


def _flush(session: Session, jobs_backend) -> None:
    for func_path, args, kwargs, delay in session.info.pop(PENDING_KEY, None) or []:
        jobs_backend.enqueue(func_path, args, kwargs, delay)


def _forget_on_outer_rollback(session: Session, previous_transaction) -> None:
    # A savepoint rolled back (e.g. a duplicate ledger row) leaves the outer work intact.
    if previous_transaction.parent is None:
        session.info.pop(PENDING_KEY, None)
