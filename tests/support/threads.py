"""Run the same action on several threads at once, for race tests."""

from __future__ import annotations

import threading
from collections.abc import Callable


def run_at_once(count: int, action: Callable[[threading.Barrier], None]) -> None:
    """Start `count` threads running `action(barrier)` and wait for all; the action calls
    barrier.wait() right before the part that races."""
    barrier = threading.Barrier(count)
    threads = [threading.Thread(target=action, args=(barrier,)) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
