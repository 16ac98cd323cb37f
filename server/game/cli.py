"""`chalkmark game ...`: maintenance of the points totals."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session, select

from server.models import Org


@click.group("game", help="Points, levels and leaderboards.")
def game_group() -> None:
    pass


@game_group.command("rebuild", help="Recompute every points total from the ledger.")
@click.option("--district", "slug", default=None, help="Only the people of this district (slug).")
@with_appcontext
def rebuild_command(slug: str | None) -> None:
    from server.game.ledger import rebuild

    with Session(current_app.extensions["db_engine"]) as db:
        org_id = None
        if slug is not None:
            org = db.exec(select(Org).where(Org.slug == slug)).first()
            if org is None:
                raise click.ClickException(f"No district with the slug {slug!r}.")
            org_id = org.id
        report = rebuild(session=db, org_id=org_id)
        db.commit()
    click.echo(
        f"Rebuilt totals from {report.events} ledger rows: {report.users} people, "
        f"{report.weeks} person-weeks; {report.corrected_users} total(s) corrected."
    )
