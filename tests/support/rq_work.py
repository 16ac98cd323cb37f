"""Run RQ jobs in the test process, leaving the process as it was."""

from __future__ import annotations

import signal


def work_off(queue) -> None:
    """Run an RQ worker in this process until `queue` is empty. The worker installs its own
    SIGINT/SIGTERM handlers and leaves them behind; they are put back, so the test process
    is not later stopped from inside a garbage-collector callback (an unraisable error)."""
    from rq import SimpleWorker

    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
