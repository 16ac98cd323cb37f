"""`chalkmark evidence ...`: the retention purge (run it daily from cron)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session

from server.evidence import blobs, erase
from server.storage import storage_from_settings


@click.group("evidence", help="Evidence files and their retention.")
def evidence_group() -> None:
    pass


@evidence_group.command(
    "purge",
    help="Delete the evidence of attempts decided more than "
    "CHALKMARK_EVIDENCE_RETENTION_DAYS ago (awards, scores and feedback stay).",
)
@click.option(
    "--days", type=click.IntRange(min=1), default=None, help="Override the setting for this run."
)
@with_appcontext
def purge_command(days: int | None) -> None:
    settings = current_app.config["SETTINGS"]
    days = days or settings.evidence_retention_days
    if days is None:
        click.echo(
            "No retention period is set (CHALKMARK_EVIDENCE_RETENTION_DAYS): evidence is kept."
        )
        return
    with Session(current_app.extensions["db_engine"]) as db:
        result = erase.purge_expired(session=db, days=days)
        db.commit()
    # Blobs only after the rows are gone for good (see erase.py).
    blobs.delete_blobs(storage_from_settings(settings), result.keys)
    click.echo(
        f"Purged the evidence of {result.attempts} attempt(s) decided more than "
        f"{days} days ago ({len(result.keys)} file(s) deleted)."
    )
