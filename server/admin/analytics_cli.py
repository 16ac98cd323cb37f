"""`chalkmark analytics refresh`: recompute every district's analytics snapshots (run it
from cron every few minutes, e.g. `*/10 * * * * cd /srv/chalkmark && .venv/bin/chalkmark
analytics refresh`), so the admin's analytics page never aggregates on a view."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session, select

from server.admin import analytics_snapshot
from server.models import Org


@click.group("analytics", help="The district admins' analytics.")
def analytics_group() -> None:
    pass


@analytics_group.command("refresh", help="Recompute each district's analytics snapshots.")
@click.option("--district", "slug", default=None, help="Only this district (its slug).")
@with_appcontext
def refresh_command(slug: str | None) -> None:
    with Session(current_app.extensions["db_engine"]) as db:
        query = select(Org).order_by(Org.id)
        orgs = db.exec(query.where(Org.slug == slug) if slug else query).all()
        if slug and not orgs:
            raise click.ClickException(f"No district has the slug {slug!r}.")
        for org in orgs:
            started = time.perf_counter()
            periods = analytics_snapshot.refresh(session=db, org=org)
            db.commit()
            click.echo(f"{org.name}: {periods} periods in {time.perf_counter() - started:.1f} s")
