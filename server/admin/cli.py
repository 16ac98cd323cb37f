"""`chalkmark district ...`: what the instance's operator decides for a district."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session, select

from server.models import Org


@click.group("district", help="Districts: what the instance's operator decides for one.")
def district_group() -> None:
    pass


@district_group.command(
    "review-independent",
    help="Let a district's assessors also review the independent pool (people outside "
    "every district), or stop it. Its admins get no insider view of those teachers.",
)
@click.argument("slug")
@click.argument("switch", type=click.Choice(["on", "off"]))
@with_appcontext
def review_independent_command(slug: str, switch: str) -> None:
    with Session(current_app.extensions["db_engine"]) as db:
        org = db.exec(select(Org).where(Org.slug == slug)).first()
        if org is None:
            raise click.ClickException(f"No district has the slug {slug!r}.")
        org.reviews_independent = switch == "on"
        db.add(org)
        db.commit()
        name = org.name
    state = "also reviews" if switch == "on" else "no longer reviews"
    click.echo(f"{name} {state} the independent pool.")
