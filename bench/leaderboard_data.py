"""Synthetic data for the leaderboard benchmark: teachers in districts and cohorts and a
points ledger, bulk-loaded (COPY on PostgreSQL, executemany on SQLite); the totals are
then derived by the app's own `rebuild`, the path `chalkmark game rebuild` takes.

At scale 1: 100,000 teachers, 1,000,000 ledger rows, 500 cohorts (200 teachers each),
100 districts (1,000 teachers each).
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import islice

from sqlalchemy import Table, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from server.game import ledger
from server.models import Cohort, CohortMember, Org, PointEvent, User, utcnow

ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")
VISIBILITY = (("cohort", 50), ("public", 25), ("anonymous", 15), ("hidden", 10))
RULES = (  # rule, points, weight
    ("first_submission", 10, 30),
    ("credential_earned", 150, 25),
    ("persistence", 40, 5),
    ("stack_completed", 150, 2),
    ("streak_week", 10, 23),
    ("review_completed", 20, 15),
)
HISTORY = timedelta(weeks=26)
CHUNK = 50_000


@dataclass(frozen=True)
class Shape:
    teachers: int
    events: int
    cohorts: int
    orgs: int

    @classmethod
    def at(cls, scale: float) -> Shape:
        cohorts = max(1, round(500 * scale))
        return cls(
            teachers=max(cohorts * 10, round(100_000 * scale)),
            events=max(1000, round(1_000_000 * scale)),
            cohorts=cohorts,
            orgs=max(1, round(100 * scale)),
        )


def build(engine: Engine, shape: Shape, seed: int = 7) -> dict[str, float]:
    """Drop and recreate every table, load the data, rebuild totals. Returns timings (s)."""
    rng = random.Random(seed)
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    _load(
        engine,
        Org.__table__,
        ("id", "slug", "name"),
        ((i, f"district-{i}", f"District {i}") for i in range(1, shape.orgs + 1)),
    )
    _load(engine, User.__table__, USER_COLUMNS, _users(shape, rng))
    _load(engine, Cohort.__table__, ("id", "name", "org_id", "coach_id"), _cohorts(shape))
    _load(
        engine,
        CohortMember.__table__,
        ("cohort_id", "user_id", "status"),
        ((_cohort_of(uid, shape), uid, "active") for uid in range(1, shape.teachers + 1)),
    )
    timings["people_s"] = time.perf_counter() - started
    started = time.perf_counter()
    _load(engine, PointEvent.__table__, EVENT_COLUMNS, _events(shape, rng))
    timings["ledger_s"] = time.perf_counter() - started
    _reset_sequences(engine)
    started = time.perf_counter()
    with Session(engine) as session:
        ledger.rebuild(session=session)
        session.commit()
    timings["rebuild_s"] = time.perf_counter() - started
    _analyze(engine)
    return {k: round(v, 2) for k, v in timings.items()}


def _analyze(engine: Engine) -> None:
    """Fresh statistics, and on PostgreSQL the visibility map autovacuum would keep (so
    index-only scans can skip the table, as in a long-running database)."""
    statement = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(statement))


def _cohort_of(user_id: int, shape: Shape) -> int:
    return (user_id - 1) % shape.cohorts + 1


def _org_of_cohort(cohort_id: int, shape: Shape) -> int:
    return (cohort_id - 1) % shape.orgs + 1


USER_COLUMNS = ("id", "handle", "display_name", "org_id", "timezone", "leaderboard_visibility")
EVENT_COLUMNS = ("user_id", "rule", "points", "ref", "created_at")


def _users(shape: Shape, rng: random.Random) -> Iterator[tuple]:
    names, weights = zip(*VISIBILITY, strict=True)
    choices = rng.choices(names, weights, k=shape.teachers)
    for uid in range(1, shape.teachers + 1):
        yield (
            uid,
            f"t{uid}",
            f"Teacher {uid}",
            _org_of_cohort(_cohort_of(uid, shape), shape),
            ZONES[uid % len(ZONES)],
            choices[uid - 1],
        )


def _cohorts(shape: Shape) -> Iterator[tuple]:
    for cid in range(1, shape.cohorts + 1):
        # The coach is the cohort's first member (ids cycle through the cohorts).
        yield (cid, f"Cohort {cid}", _org_of_cohort(cid, shape), cid)


def _events(shape: Shape, rng: random.Random) -> Iterator[tuple]:
    # Some teachers are far busier than others: a long-tailed share of the ledger.
    activity = [rng.paretovariate(1.4) for _ in range(shape.teachers)]
    earners = rng.choices(range(1, shape.teachers + 1), activity, k=shape.events)
    rules, points, weights = zip(*RULES, strict=True)
    kinds = rng.choices(range(len(rules)), weights, k=shape.events)
    now, span = utcnow(), HISTORY.total_seconds()
    for n, (uid, kind) in enumerate(zip(earners, kinds, strict=True)):
        yield (
            uid,
            rules[kind],
            points[kind],
            f"bench:{n}",
            now - timedelta(seconds=rng.random() * span),
        )


def _filler(table: Table, columns: tuple[str, ...]):
    """Values for the columns we do not set, from their model defaults (COPY and raw
    inserts apply none), so a column added to a model later does not break the load."""
    missing = [c.default for c in table.columns if c.name not in columns and c.default is not None]
    names = columns + tuple(
        c.name for c in table.columns if c.name not in columns and c.default is not None
    )

    def fill(row: tuple) -> tuple:
        return row + tuple(d.arg(None) if d.is_callable else d.arg for d in missing)

    return names, fill


def _load(engine: Engine, table: Table, columns: tuple[str, ...], rows: Iterable[tuple]):
    names, fill = _filler(table, columns)
    quoted = ", ".join(f'"{name}"' for name in names)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "postgresql":
            with cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(fill(row))
        else:
            marks = ", ".join("?" for _ in names)
            sql = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})'
            rows = iter(rows)
            while chunk := [_sqlite_row(fill(row)) for row in islice(rows, CHUNK)]:
                cursor.executemany(sql, chunk)
        cursor.close()
        raw.commit()
    finally:
        raw.close()


def _sqlite_row(row: tuple) -> tuple:
    # Stored the way SQLAlchemy stores an aware UTC datetime on SQLite (no offset).
    return tuple(
        v.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(v, datetime) else v
        for v in row
    )


def _reset_sequences(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        for table in ("org", "user", "cohort", "pointevent"):
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
                )
            )
