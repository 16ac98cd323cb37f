"""`chalkmark ...` (or `flask --app server ...`): database, demo data, admin, serving."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlmodel import Session, select

from server import jobs, migrate
from server.admin.analytics_cli import analytics_group
from server.admin.cli import district_group
from server.badges.cli import badges_group, refuse_without_keys
from server.coach.nudge_delivery import RESCHEDULE_NUDGES_JOB
from server.evidence.cli import evidence_group
from server.game.cli import game_group
from server.models import Stack
from server.ops.cli import backup_command, restore_command
from server.ops.requestlog import configure as configure_request_log
from server.review.cli import review_group
from server.worker import worker_command


def register_commands(app: Flask) -> None:
    app.cli.add_command(db_group)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_admin_command)
    app.cli.add_command(deactivate_user_command)
    app.cli.add_command(serve_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(game_group)
    app.cli.add_command(badges_group)
    app.cli.add_command(evidence_group)
    app.cli.add_command(analytics_group)
    app.cli.add_command(district_group)
    app.cli.add_command(review_group)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


@click.group("db", help="Database schema (Alembic migrations).")
def db_group() -> None:
    pass


@db_group.command("upgrade", help="Apply every migration up to the newest.")
@with_appcontext
def db_upgrade() -> None:
    migrate.upgrade(current_app.config["SETTINGS"].database_url)
    click.echo("Database is up to date.")


@db_group.command("revision", help="Autogenerate a migration from server/models.py.")
@click.option("-m", "--message", required=True)
@with_appcontext
def db_revision(message: str) -> None:
    migrate.revision(current_app.config["SETTINGS"].database_url, message)


def _engine():
    return current_app.extensions["db_engine"]


@click.command("seed-demo", help="Load the demo stacks, people and submissions.")
@click.option("--if-empty", is_flag=True, help="Do nothing when stacks already exist.")
@with_appcontext
def seed_demo_command(if_empty: bool) -> None:
    from server.demo.seed import seed_demo
    from server.evidence import current

    with Session(_engine()) as db:
        if if_empty and db.exec(select(Stack)).first() is not None:
            click.echo("Demo data already present; left as it is.")
            return
        summary = seed_demo(session=db, storage=current.storage())
    click.echo(f"Seeded demo data: {summary}")


@click.command("create-admin", help="Create an admin and print a one-time sign-up link.")
@click.option("--name", "display_name", required=True)
@click.option("--email", default=None)
@with_appcontext
def create_admin_command(display_name: str, email: str | None) -> None:
    from server.auth import service as auth_service

    settings = current_app.config["SETTINGS"]
    with Session(_engine()) as db:
        user, token = auth_service.create_admin(
            session=db,
            display_name=display_name,
            email=email,
            link_ttl_seconds=24 * 3600,
        )
    click.echo(f"Admin {user.display_name} (@{user.handle}) created.")
    click.echo(
        f"Open this link within 24 hours to add a passkey: {settings.public_url}/auth/link/{token}"
    )


@click.command(
    "deactivate-user", help="Switch an account off: it can't sign in, and every session ends now."
)
@click.argument("handle")
@with_appcontext
def deactivate_user_command(handle: str) -> None:
    from server.auth import service as auth_service
    from server.auth.session import session_store

    with Session(_engine()) as db:
        user = auth_service.user_by_handle(session=db, handle=handle)
        if user is None:
            raise click.ClickException(f"No account has the handle {handle!r}.")
        auth_service.deactivate_user(session=db, user=user, sessions=session_store())
    click.echo(f"@{handle} is switched off and signed out everywhere.")


@click.command("serve", help="Serve with waitress (what `make run` uses).")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=None, type=int)
@with_appcontext
def serve_command(host: str, port: int | None) -> None:
    from waitress import serve

    settings = current_app.config["SETTINGS"]
    port = port or settings.port
    refuse_without_keys()
    if isinstance(current_app.extensions["jobs"], jobs.ThreadBackend):
        # In-process delayed jobs die with the process: queue unsent nudges again.
        # (With Redis the queue survives and `chalkmark worker` sweeps at its start.)
        jobs.run_later(RESCHEDULE_NUDGES_JOB)
    click.echo(f"Chalkmark on {settings.public_url} (listening on {host}:{port})")
    configure_request_log(settings.request_log)
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy
    serve(
        app,
        host=host,
        port=port,
        threads=settings.serve_threads,
        connection_limit=settings.serve_connection_limit,
        backlog=settings.serve_backlog,
        channel_timeout=settings.serve_channel_timeout,
        # poll(), not select(): select() stops at 1024 file descriptors.
        asyncore_use_poll=True,
    )


def _create_app():
    from server import create_app

    return create_app()


def main() -> None:
    cli = FlaskGroup(create_app=_create_app, add_default_commands=True)
    cli.main(prog_name="chalkmark")
