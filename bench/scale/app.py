"""The app as the scale run serves it (gunicorn `bench.scale.app:app`) and its RQ worker
(`python -m bench.scale.app worker`): settings from CHALKMARK_* as in production, with one
exception made here, in code, never from the environment: pushes may go to the run's local
push service (plain http on 127.0.0.1), as the tests' LOCAL_PUSH policy allows. The
production policy (https, allow-listed push hosts, public addresses only) would refuse it.
"""

from __future__ import annotations

import sys

from server import create_app
from server.config import Settings


def make_app():
    return create_app(Settings.from_env(push_allow_private_addresses=True))


def run_worker() -> None:
    """`chalkmark worker`, on the app above (the worker's jobs deliver the pushes)."""
    from server.worker import worker_command

    app = make_app()
    with app.app_context():
        worker_command.main(args=[], standalone_mode=False)


if __name__ == "__main__" and sys.argv[1:] == ["worker"]:
    run_worker()
elif __name__ != "__main__":
    app = make_app()
