"""Alembic environment: the schema is SQLModel's metadata from server.models."""

from alembic import context
from sqlmodel import SQLModel

import server.models  # noqa: F401  (registers every table on the metadata)
from server.db import make_engine

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _foreign_keys(connection, on=False)
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # SQLite alters tables by copying them; batch mode does that for us.
            render_as_batch=sqlite,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                _refuse_broken_references(connection)
        if sqlite:
            _foreign_keys(connection, on=True)
    engine.dispose()


def _foreign_keys(connection, *, on: bool) -> None:
    """SQLite rebuilds a table to alter it (copy, drop, rename): the DROP fails, or
    cascades, while rows elsewhere point at it. The pragma is a no-op inside a transaction,
    and a data migration earlier in the chain opens one, so it is set for the whole run,
    here, before anything is written."""
    connection.commit()
    connection.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    connection.commit()


def _refuse_broken_references(connection) -> None:
    """With the checks off meanwhile, the run is checked whole before it commits."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise RuntimeError(f"migration left rows pointing nowhere: {broken[:5]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
