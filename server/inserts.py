"""Insert once: INSERT ... ON CONFLICT DO NOTHING on a unique key, so the database decides
between racing transactions (a concurrent insert of the same key waits for the first, then
is skipped) and a duplicate is simply "nothing inserted", never an error inside the
caller's transaction. Points, nudges, overdue notices and analytics refresh claims all
happen once this way. No Flask here.

No SAVEPOINT on SQLite and PostgreSQL, on purpose: with pysqlite's default transaction
handling, releasing a savepoint that holds the transaction's first write commits it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session


def dialect_insert(session: Session, model: Any) -> Any:
    """The dialect's INSERT with ON CONFLICT (typed Any: the two dialects' classes differ),
    or None on another database."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(model.__table__)
    if dialect == "sqlite":
        return sqlite.insert(model.__table__)
    return None


def insert_new(
    session: Session,
    model: Any,
    rows: list[dict[str, Any]],
    *,
    keys: tuple[str, ...],
    returning: tuple[str, ...],
) -> Sequence[Any]:
    """Insert the `rows` whose unique `keys` are free; the `returning` columns of each row
    inserted (RETURNING, not rowcount: drivers report rowcount -1 for some inserts)."""
    if not rows:
        return []
    table = model.__table__
    stmt = dialect_insert(session, model)
    if stmt is None:  # another database: the unique key still refuses a second
        stmt = insert(table).values(rows)
    else:
        stmt = stmt.values(rows).on_conflict_do_nothing(index_elements=list(keys))
    return session.execute(stmt.returning(*(table.c[name] for name in returning))).all()


def insert_once(
    session: Session, model: Any, row: dict[str, Any], *, keys: tuple[str, ...]
) -> bool:
    """Insert `row` unless a row with the same unique `keys` exists. True when inserted."""
    if dialect_insert(session, model) is not None:
        return bool(insert_new(session, model, [row], keys=keys, returning=keys[:1]))
    # Other databases: a savepoint keeps a duplicate from poisoning the transaction.
    try:
        with session.begin_nested():
            session.add(model(**row))
    except IntegrityError:
        return False
    return True
