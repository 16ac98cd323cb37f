"""Leaderboard benchmark: top 10 + "you and your 2 neighbours above and below", per cohort
and per district, this week and all time, on SQLite and PostgreSQL (the app's own query),
compared in the same run with a Redis sorted set (ZREVRANGE + ZREVRANK) on the same data.

Run: python -m bench.leaderboard [--scale 0.05] [--samples 300]
Writes bench/results/leaderboard.json. Goal: p95 <= 10 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bench.common import summary_ms, write_result
from bench.leaderboard_data import Shape, build
from server.db import make_engine
from server.game import leaderboard as boards
from server.game import weeks
from server.models import Cohort, CohortMember, Org, User, UserPoints, WeeklyPoints, utcnow

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/chalkmark_bench"
REDIS_URL = "redis://127.0.0.1:6379/0"
CASES = [(kind, period) for kind in ("cohort", "org") for period in ("week", "all")]
GOAL_P95_MS = 10.0
WARMUP = 20


def _ensure_pg_database(url: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (parsed.database,)
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{parsed.database}"')


def _viewers(engine: Engine, count: int, rng: random.Random) -> list[User]:
    """Random teachers who are on the boards (hidden people are excluded from Redis)."""
    with Session(engine, expire_on_commit=False) as session:
        ids = list(
            session.execute(
                select(User.id).where(User.leaderboard_visibility != "hidden")
            ).scalars()
        )
        chosen = rng.sample(ids, min(count, len(ids)))
        return list(session.execute(select(User).where(User.id.in_(chosen))).scalars())


def _scopes(engine: Engine) -> dict[tuple[str, int], boards.Scope]:
    with Session(engine) as session:
        cohort_of = dict(
            session.execute(select(CohortMember.user_id, CohortMember.cohort_id)).all()
        )
        cohorts = {c.id: c for c in session.execute(select(Cohort)).scalars()}
        orgs = {o.id: o for o in session.execute(select(Org)).scalars()}
        users = dict(session.execute(select(User.id, User.org_id)).all())
    scopes = {}
    for uid, cid in cohort_of.items():
        cohort = cohorts[cid]
        scopes[("cohort", uid)] = boards.Scope("cohort", cid, cohort.name, cohort.coach_id)
        scopes[("org", uid)] = boards.Scope("org", users[uid], orgs[users[uid]].name)
    return scopes


def time_sql(engine: Engine, viewers: list[User], scopes) -> dict:
    """Per case: the one ranking query alone, and the whole service call (query + the
    names each viewer may see), each in a fresh transaction like a request."""
    results = {}
    # One connection for the run (as a request holds one), a new transaction per sample.
    with engine.connect() as conn, Session(bind=conn, expire_on_commit=False) as session:
        for kind, period in CASES:
            query, service = [], []
            for n, viewer in enumerate(viewers):
                scope = scopes[(kind, viewer.id)]
                week = boards.current_week(viewer) if period == "week" else None
                started = time.perf_counter()
                boards.top_and_neighbours(
                    session=session, scope=scope, period=period, week=week, viewer_id=viewer.id
                )
                middle = time.perf_counter()
                session.rollback()
                boards.leaderboard(session=session, viewer=viewer, scope=scope, period=period)
                ended = time.perf_counter()
                session.rollback()
                if n >= WARMUP:
                    query.append(middle - started)
                    service.append(ended - middle)
            results[f"{kind}:{period}"] = {
                "query": summary_ms(query),
                "service": summary_ms(service),
            }
    return results


def _redis_key(prefix: str, kind: str, scope_id: int, period: str, week: str | None) -> str:
    return f"{prefix}{kind}:{scope_id}:{'all' if period == 'all' else 'week:' + week}"


def load_redis(client, engine: Engine, prefix: str, week_labels: set[str]) -> int:
    """Every visible member in every cohort/district set, with all-time and weekly scores."""
    with Session(engine) as session:
        members = session.execute(
            select(User.id, CohortMember.cohort_id, User.org_id, func.coalesce(UserPoints.total, 0))
            .join(CohortMember, CohortMember.user_id == User.id)
            .outerjoin(UserPoints, UserPoints.user_id == User.id)
            .where(User.leaderboard_visibility != "hidden")
        ).all()
        weekly = dict(
            ((uid, wk), pts)
            for uid, wk, pts in session.execute(
                select(WeeklyPoints.user_id, WeeklyPoints.iso_week, WeeklyPoints.points).where(
                    WeeklyPoints.iso_week.in_(week_labels)
                )
            )
        )
    sets: dict[str, dict[str, int]] = {}
    for uid, cohort_id, org_id, total in members:
        for kind, scope_id in (("cohort", cohort_id), ("org", org_id)):
            sets.setdefault(_redis_key(prefix, kind, scope_id, "all", None), {})[str(uid)] = total
            for label in week_labels:
                key = _redis_key(prefix, kind, scope_id, "week", label)
                sets.setdefault(key, {})[str(uid)] = weekly.get((uid, label), 0)
    pipe = client.pipeline(transaction=False)
    for n, (key, mapping) in enumerate(sets.items()):
        pipe.zadd(key, mapping)
        if n % 200 == 0:
            pipe.execute()
    pipe.execute()
    return len(sets)


def time_redis(client, viewers: list[User], scopes, prefix: str) -> dict:
    results = {}
    for kind, period in CASES:
        samples = []
        for n, viewer in enumerate(viewers):
            week = boards.current_week(viewer) if period == "week" else None
            key = _redis_key(prefix, kind, scopes[(kind, viewer.id)].id, period, week)
            started = time.perf_counter()
            pipe = client.pipeline(transaction=False)
            pipe.zrevrange(key, 0, 9, withscores=True)
            pipe.zrevrank(key, str(viewer.id))
            _top, rank = pipe.execute()
            if rank is not None:
                client.zrevrange(key, max(rank - 2, 0), rank + 2, withscores=True)
            if n >= WARMUP:
                samples.append(time.perf_counter() - started)
        results[f"{kind}:{period}"] = {"query": summary_ms(samples)}
    return results


def _drop_redis_keys(client, prefix: str) -> None:
    batch = list(client.scan_iter(match=f"{prefix}*", count=1000))
    for start in range(0, len(batch), 1000):
        client.delete(*batch[start : start + 1000])


def run_backend(name: str, engine: Engine, shape: Shape, samples: int, seed: int) -> dict:
    print(
        f"[{name}] generating {shape.teachers:,} teachers, {shape.events:,} ledger rows ...",
        flush=True,
    )
    load = build(engine, shape)
    print(f"[{name}] loaded in {load}", flush=True)
    viewers = _viewers(engine, samples + WARMUP, random.Random(seed))
    scopes = _scopes(engine)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT COUNT(*) FROM pointevent")).scalar_one()
    return {
        "load": load,
        "ledger_rows": rows,
        "cases": time_sql(engine, viewers, scopes),
        "viewers": viewers,
        "scopes": scopes,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="1.0 = 100k teachers, 1M ledger rows, 500 cohorts"
    )
    parser.add_argument("--samples", type=int, default=300, help="viewers timed per case")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--redis-url", default=REDIS_URL)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    shape = Shape.at(args.scale)

    backends: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="chalkmark-bench-") as tmp:
        sqlite = make_engine(f"sqlite:///{Path(tmp) / 'leaderboard.db'}")
        backends["sqlite"] = run_backend("sqlite", sqlite, shape, args.samples, args.seed)
        _ensure_pg_database(args.pg_url)
        postgres = make_engine(args.pg_url)
        backends["postgresql"] = run_backend("postgresql", postgres, shape, args.samples, args.seed)
        backends["redis"] = _run_redis(args.redis_url, postgres, backends["postgresql"])
        sqlite.dispose()
        postgres.dispose()
    _report(shape, args, backends)


def _run_redis(url: str, engine: Engine, pg: dict) -> dict:
    import redis

    client = redis.Redis.from_url(url)
    prefix = f"chalkmark-bench:{int(time.time())}:"
    labels = {weeks.iso_week(utcnow(), tz) for tz in {v.timezone for v in pg["viewers"]}}
    try:
        started = time.perf_counter()
        keys = load_redis(client, engine, prefix, labels)
        load = {"sorted_sets": keys, "load_s": round(time.perf_counter() - started, 2)}
        print(f"[redis] loaded {keys:,} sorted sets in {load['load_s']} s", flush=True)
        return {"load": load, "cases": time_redis(client, pg["viewers"], pg["scopes"], prefix)}
    finally:
        _drop_redis_keys(client, prefix)


def _report(shape: Shape, args, backends: dict) -> None:
    print(
        f"\nLeaderboard: top 10 + 2 neighbours each side · {shape.teachers:,} teachers, "
        f"{shape.events:,} ledger rows, {shape.cohorts:,} cohorts, {shape.orgs:,} districts"
        f" · {args.samples} viewers per case (goal p95 <= {GOAL_P95_MS:g} ms)\n"
    )
    header = (
        f"{'scope · period':<16} {'backend':<12} {'measure':<8} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'p50 vs Redis':>13}  goal"
    )
    print(header)
    print("-" * len(header))
    for kind, period in CASES:
        case = f"{kind}:{period}"
        redis_p50 = backends["redis"]["cases"][case]["query"]["p50_ms"]
        for name in ("sqlite", "postgresql", "redis"):
            for measure, stats in backends[name]["cases"][case].items():
                ratio = stats["p50_ms"] / redis_p50 if redis_p50 else float("nan")
                ok = "ok" if stats["p95_ms"] <= GOAL_P95_MS else "MISSED"
                print(
                    f"{kind + ' · ' + period:<16} {name:<12} {measure:<8} "
                    f"{stats['p50_ms']:>8.3f} {stats['p95_ms']:>8.3f} {ratio:>12.1f}x  {ok}"
                )
    data = {
        "shape": vars(shape),
        "scale": args.scale,
        "samples_per_case": args.samples,
        "goal_p95_ms": GOAL_P95_MS,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "notes": (
            "query = the app's one ranking query (window functions over the scope); "
            "service = leaderboard() incl. the names each viewer may see; redis = "
            "pipelined ZREVRANGE 0 9 + ZREVRANK, then ZREVRANGE of the neighbours (ids "
            "and scores only, no names or visibility rules); viewers exclude hidden "
            "people, whom the Redis sets leave out"
        ),
        "backends": {
            name: {k: v for k, v in data.items() if k not in ("viewers", "scopes")}
            for name, data in backends.items()
        },
    }
    print(f"\nload average {data['load_average_at_end']} on {data['cpus']} CPUs")
    print(f"written {write_result('leaderboard', data)}")


if __name__ == "__main__":
    main()
