"""`chalkmark backup DIR` and `chalkmark restore DIR` (server/ops/backup.py)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session

from server.ops import backup as backups


@click.command("backup", help="Copy the database and the evidence store into a new directory.")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(directory: Path) -> None:
    settings = current_app.config["SETTINGS"]
    try:
        outcome = backups.backup(
            database_url=settings.database_url, storage_dir=settings.storage_dir, target=directory
        )
    except backups.BackupError as err:
        raise click.ClickException(str(err)) from err
    click.echo(
        f"Backed up the {outcome.database} database and {outcome.evidence_files} evidence "
        f"files into {outcome.directory}."
    )


@click.command(
    "restore",
    help="Replace the database and the evidence store with a backup's (stop the app first).",
)
@click.argument("directory", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--yes", is_flag=True, help="Don't ask for confirmation.")
@with_appcontext
def restore_command(directory: Path, yes: bool) -> None:
    settings = current_app.config["SETTINGS"]
    if not yes:
        click.confirm(
            "Everything in the database and the evidence store will be replaced. Go on?",
            abort=True,
        )
    engine = current_app.extensions["db_engine"]
    before = _catalog_version(engine)
    engine.dispose()  # no pooled connection holds the old database
    try:
        outcome = backups.restore(
            database_url=settings.database_url, storage_dir=settings.storage_dir, source=directory
        )
    except backups.BackupError as err:
        raise click.ClickException(str(err)) from err
    _bump_catalog_past(engine, before)
    click.echo(
        f"Restored the {outcome.database} database and {outcome.evidence_files} evidence "
        f"files from {outcome.directory}. Restart the app servers."
    )


def _catalog_version(engine) -> int:
    from server.catalog.cache import current_version

    try:
        with Session(engine) as db:
            return current_version(db)
    except Exception:  # an empty or foreign database: nothing cached to outdate
        return 0


def _bump_catalog_past(engine, version: int) -> None:
    """Pages cached before the restore must not match the restored catalog's version."""
    from server.catalog.cache import current_version, set_version

    with Session(engine) as db:
        if current_version(db) <= version:
            set_version(db, version + 1)
        db.commit()
