"""Engine from config, one Session per request on `g`, closed at teardown.

Naming rule: code that holds a SQLModel Session (views, CLI commands, job entry points)
calls it `db` (`db = get_session()`), and a service receives it as the keyword argument
`session=` (DESIGN.md §6), so in Flask code the bare name `session` is only ever Flask's
cookie session.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, g
from sqlalchemy import Executable, event
from sqlalchemy.engine import Engine, Result, make_url
from sqlmodel import Session, create_engine


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers run beside one writer; SQLite leaves foreign keys off by default.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def init_app(app: Flask) -> None:
    app.extensions["db_engine"] = make_engine(app.config["SETTINGS"].database_url)
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    return current_app.extensions["db_engine"]


class RequestSession(Session):
    """The session of one web request: it keeps what it loaded until it closes (below)."""


@event.listens_for(RequestSession, "loaded_as_persistent")
def _hold_for_the_request(session: Session, instance: object) -> None:
    """The identity map holds rows weakly: a row a helper loaded and let go (the owner of
    a submission, read by each permission check in turn) was fetched again by the next
    helper. A request's session is short-lived, so it keeps what it loaded until it
    closes; session.get then answers from memory. (Not for CLI and job sessions, which
    may walk millions of rows.)"""
    session.info.setdefault("held", []).append(instance)


def get_session() -> Session:
    if "db_session" not in g:
        g.db_session = RequestSession(engine(), expire_on_commit=False)
    return g.db_session


def read(session: Session, statement: Executable, **params) -> Result:
    """Run a prebuilt Core statement (module-level, values as `bindparam`s) on the
    session's connection and transaction. Pages run a handful of these on every request:
    building a select costs several times what SQLite takes to answer it, and the ORM's
    layer as much again, so hot reads of plain columns are built once and skip the ORM.
    Pending ORM changes are flushed first, as the ORM's autoflush would."""
    if session.new or session.dirty or session.deleted:
        session.flush()
    return session.connection().execute(statement, params)


def rollback_request_session() -> None:
    """Undo a failed transaction so the error page can still query (the header's
    unread count): a session whose flush failed refuses every query until rolled back."""
    session = g.get("db_session")
    if session is not None:
        session.rollback()


def _close_session(_exc) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
