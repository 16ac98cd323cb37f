"""`chalkmark worker`: run background jobs from Redis (the scale-out setup).

Uses RQ's SimpleWorker: jobs run in this process with one app built once (no fork per
job), and the scheduler moves delayed jobs (push retries, nudges held back by quiet hours)
onto the queue when they are due.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from server import jobs
from server.coach.nudge_delivery import RESCHEDULE_NUDGES_JOB


@click.command("worker", help="Run background jobs (push delivery, nudges) from Redis.")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@with_appcontext
def worker_command(burst: bool) -> None:
    from rq import SimpleWorker

    settings = current_app.config["SETTINGS"]
    if not settings.redis_url:
        raise click.ClickException(
            "CHALKMARK_REDIS_URL is not set. Without Redis, jobs run inside the web app "
            "itself and no worker is needed; set CHALKMARK_REDIS_URL=redis://host:6379/0 "
            "on the app and the worker to share a queue."
        )
    backend = current_app.extensions["jobs"]
    # Jobs reuse this app (and its database pool) instead of building one per job.
    jobs._worker_app = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy
    # Nudges whose jobs were lost (e.g. Redis flushed) are queued again; sending is
    # idempotent, so a nudge that also has its job still goes out once.
    backend.enqueue(RESCHEDULE_NUDGES_JOB, (), {})
    click.echo(f"Chalkmark worker on queue {backend.queue.name!r} ({settings.redis_url})")
    SimpleWorker([backend.queue], connection=backend.redis).work(burst=burst, with_scheduler=True)
