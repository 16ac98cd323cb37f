"""`chalkmark game ...`: maintenance of the points totals."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session


@click.group("game", help="Points, levels and leaderboards.")
def game_group() -> None:
    pass


@game_group.command("rebuild", help="Recompute every points total from the ledger.")
@with_appcontext
def rebuild_command() -> None:
    from server.game.ledger import rebuild

    with Session(current_app.extensions["db_engine"]) as db:
        report = rebuild(session=db)
        db.commit()
    click.echo(
        f"Rebuilt totals from {report.events} ledger rows: {report.users} people, "
        f"{report.weeks} person-weeks; {report.corrected_users} total(s) corrected."
    )
