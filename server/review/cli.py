"""`chalkmark review ...`: review chores for cron."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session

from server.review.overdue import notify_overdue


@click.group("review", help="Review chores (run from cron).")
def review_group() -> None:
    pass


@review_group.command(
    "overdue",
    help="Tell the stack's lead assessors (or, with none, the district's admins), once "
    "per submission, about submissions waiting longer than the district's turnaround "
    "target. Safe to run as often as you like.",
)
@with_appcontext
def overdue_command() -> None:
    with Session(current_app.extensions["db_engine"]) as db:
        run = notify_overdue(session=db)
        db.commit()
    click.echo(
        f"{run.submissions} submission(s) newly past the target; {run.notices} notice(s) sent."
    )
