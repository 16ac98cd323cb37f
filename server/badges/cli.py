"""`chalkmark badges ...`: issuer signing keys."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlmodel import Session

from server.badges import keys as keystore
from server.badges.issuing import Issuing
from server.badges.service import has_issued, issuer_by_slug, issuer_of
from server.models import Org


@click.group("badges", help="Open Badges issuer keys.")
def badges_group() -> None:
    pass


def _issuing() -> Issuing:
    return Issuing.from_settings(current_app.config["SETTINGS"])


def missing_keys(session: Session, issuing: Issuing) -> list[str]:
    """Issuers that have issued credentials but whose key files are gone."""
    issuers = [issuer_of(session=session, org_id=None, issuing=issuing)] + [
        issuer_of(session=session, org_id=org_id, issuing=issuing)
        for org_id in session.execute(select(Org.id)).scalars()
    ]
    missing = []
    for issuer in issuers:
        try:
            keystore.keyring(issuing.instance_dir, issuer.slug, may_create=False)
        except keystore.IssuerKeyMissing as err:
            if has_issued(session=session, issuer=issuer):
                missing.append(str(err))
    return missing


def refuse_without_keys() -> None:
    """Called before serving: never run with a lost key of an issuer with credentials."""
    with Session(current_app.extensions["db_engine"]) as db:
        missing = missing_keys(db, _issuing())
    if missing:
        raise click.ClickException("\n".join(missing))


@badges_group.command("check-keys", help="Fail if an issuer with credentials lost its key.")
@with_appcontext
def check_keys_command() -> None:
    refuse_without_keys()
    click.echo("Every issuer that has issued credentials has its signing key.")


@badges_group.command("rotate-key", help="Start signing with a new key (old ones stay listed).")
@click.argument("issuer_slug")
@with_appcontext
def rotate_key_command(issuer_slug: str) -> None:
    issuing = _issuing()
    with Session(current_app.extensions["db_engine"]) as db:
        issuer = issuer_by_slug(session=db, slug=issuer_slug, issuing=issuing)
    key = keystore.rotate(issuing.instance_dir, issuer.slug)
    click.echo(f"{issuer.name} now signs with {key.key_id}; earlier keys stay published.")
