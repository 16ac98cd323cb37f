"""The leaderboard PAGE, signed in, through the Flask app: boards ranked by SQL (the
default) against boards in Redis sorted sets (CHALKMARK_REDIS_URL set), on the same
database at state scale (100k teachers, 1M ledger rows, 500 cohorts, 100 districts; see
bench/leaderboard_data.py). The same random teachers open their cohort's and their
district's board, this week and all time, on both apps, interleaved.

Also timed: building a board that Redis lacks (the first view after a flush, a
membership change or the daily expiry), and paying points (ledger.pay + commit) with and
without Redis to keep up to date.

The data is seeded once and kept (PostgreSQL database `--pg-url`, default
`bench_boards`; SQLite under $TMPDIR with --sqlite). Redis `--redis-url` (default db 4) is
emptied first: use a db of its own.

Run: python -m bench.leaderboard_page [--scale 1.0] [--samples 200] [--sqlite]
Writes bench/results/leaderboard_page.json.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from redis import Redis
from sqlalchemy import text
from sqlmodel import Session

from bench.common import summary_ms, write_result
from bench.leaderboard import _ensure_pg_database
from bench.leaderboard_data import Shape, build

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_boards"
REDIS_URL = "redis://127.0.0.1:6379/4"
CASES = [(kind, period) for kind in ("cohort", "org") for period in ("week", "all")]
WARMUP = 10  # more timed viewers than reported: the first few after the warm pass


def _seeded(url: str, shape: Shape) -> bool:
    from server.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            users = conn.execute(text('SELECT COUNT(*) FROM "user"')).scalar_one()
            events = conn.execute(text("SELECT COUNT(*) FROM pointevent")).scalar_one()
        # time_payments adds 200 rows a run: negligible beside the million, kept.
        return users == shape.teachers and shape.events <= events < shape.events * 1.01
    except Exception:
        return False
    finally:
        engine.dispose()


def _prepare(url: str, shape: Shape) -> dict:
    from server.db import make_engine

    if url.startswith("postgresql"):
        _ensure_pg_database(url)
    if _seeded(url, shape):
        return {"seeded": "reused"}
    print(f"  seeding {shape.teachers:,} teachers, {shape.events:,} ledger rows ...", flush=True)
    engine = make_engine(url)
    load = build(engine, shape)
    engine.dispose()
    return load


def _apps(url: str, redis_url: str, instance: Path):
    from server import create_app
    from server.config import Settings
    from server.game import board_events

    settings = Settings(
        instance_dir=instance,
        database_url=url,
        secret_key="bench-boards",
        storage_dir=instance / "evidence",
        public_url="http://localhost:5000",
        ratelimit_enabled=False,
        request_log=False,
    )
    # Both apps keep sessions in Redis: only where the boards come from differs.
    sql_app = create_app(replace(settings, redis_url=redis_url))
    board_events.install(sql_app.extensions["db_engine"], None)
    return sql_app, create_app(replace(settings, redis_url=redis_url))


def _viewers(app, count: int, rng: random.Random) -> list[tuple[int, int, int]]:
    """(user id, cohort id, district id) of random teachers, the hidden ones included."""
    with Session(app.extensions["db_engine"]) as db:
        rows = db.execute(
            text(
                'SELECT u.id, m.cohort_id, u.org_id FROM "user" u '
                "JOIN cohortmember m ON m.user_id = u.id AND m.status = 'active'"
            )
        ).all()
    return [tuple(r) for r in rng.sample(rows, min(count, len(rows)))]


def _clients(app, viewers):
    from server.auth.session import session_cookie_for

    clients = {}
    for user_id, _, _ in viewers:
        client = app.test_client()
        client.set_cookie(
            app.config["SESSION_COOKIE_NAME"], session_cookie_for(app, user_id), domain="localhost"
        )
        clients[user_id] = client
    return clients


def _url(kind: str, period: str, cohort_id: int, org_id: int) -> str:
    return f"/leaderboards?board={kind}-{cohort_id if kind == 'cohort' else org_id}&period={period}"


def time_pages(apps: dict, viewers, clients: dict) -> dict:
    """Per case and back end: the whole GET, interleaved SQL/Redis per viewer, after one
    untimed pass that builds every board these viewers open (boards are built once a day or
    after a change; time_builds times that) and warms both databases' caches."""
    for kind, period in CASES:
        for user_id, cohort_id, org_id in viewers:
            for name in apps:
                clients[name][user_id].get(_url(kind, period, cohort_id, org_id))
    samples: dict[str, dict[str, list[float]]] = {}
    for kind, period in CASES:
        case = samples.setdefault(f"{kind}:{period}", {name: [] for name in apps})
        for n, (user_id, cohort_id, org_id) in enumerate(viewers):
            url = _url(kind, period, cohort_id, org_id)
            for name in apps:
                started = time.perf_counter()
                response = clients[name][user_id].get(url, headers={"Host": "localhost"})
                elapsed = time.perf_counter() - started
                assert response.status_code == 200, (url, response.status_code)
                if n >= WARMUP:
                    case[name].append(elapsed)
    return {case: {k: summary_ms(v) for k, v in by.items()} for case, by in samples.items()}


def time_boards(apps: dict, viewers) -> dict:
    """The board alone (leaderboard.leaderboard: ranking + names), without the rest of the
    page, per case and back end, each in a fresh transaction like a request."""
    from server.game import leaderboard as boards
    from server.models import User

    results: dict[str, dict] = {}
    for kind, period in CASES:
        by: dict[str, list[float]] = {name: [] for name in apps}
        for name, app in apps.items():
            with Session(app.extensions["db_engine"]) as db:
                for user_id, cohort_id, org_id in viewers:
                    viewer = db.get_one(User, user_id)
                    scope = boards.Scope(kind, cohort_id if kind == "cohort" else org_id, "")
                    started = time.perf_counter()
                    boards.leaderboard(session=db, viewer=viewer, scope=scope, period=period)
                    by[name].append(time.perf_counter() - started)
                    db.rollback()
        results[f"{kind}:{period}"] = {name: summary_ms(v[WARMUP:]) for name, v in by.items()}
    return results


def time_builds(redis_app, viewers, rounds: int) -> dict:
    """A board Redis lacks, built from the database by the first view."""
    from server.game import board_events, weeks
    from server.models import utcnow

    store = board_events.store_for(Session(redis_app.extensions["db_engine"]))
    engine = redis_app.extensions["db_engine"]
    week = weeks.iso_week(utcnow(), "UTC")
    results = {}
    for kind, period in CASES:
        samples = []
        for _, cohort_id, org_id in viewers[:rounds]:
            scope_id = cohort_id if kind == "cohort" else org_id
            tag = week if period == "week" else "all"
            board, _ = store.key(kind, scope_id, tag)
            store.redis.delete(board)
            started = time.perf_counter()
            assert store.build(
                engine, board, kind=kind, scope_id=scope_id, period=period, week=week
            )
            samples.append(time.perf_counter() - started)
        results[f"{kind}:{period}"] = summary_ms(samples)
    return results


def time_payments(apps: dict, viewers, count: int) -> dict:
    """ledger.pay + commit for a teacher whose boards are built (Redis: 4 ZINCRBY after)."""
    from server.game import ledger

    results = {}
    for name, app in apps.items():
        samples = []
        with Session(app.extensions["db_engine"]) as db:
            for n in range(count):
                user_id = viewers[n % len(viewers)][0]
                started = time.perf_counter()
                ledger.pay(
                    session=db,
                    user_id=user_id,
                    rule="review_completed",
                    ref=f"bench-{name}-{time.time_ns()}",
                    points=20,
                )
                db.commit()
                samples.append(time.perf_counter() - started)
        results[name] = summary_ms(samples)
    return results


def run(url: str, args, shape: Shape, instance: Path) -> dict:
    load = _prepare(url, shape)
    Redis.from_url(args.redis_url).flushdb()
    sql_app, redis_app = _apps(url, args.redis_url, instance)
    apps = {"sql": sql_app, "redis": redis_app}
    viewers = _viewers(sql_app, args.samples + WARMUP, random.Random(args.seed))
    clients = {name: _clients(app, viewers) for name, app in apps.items()}
    result = {
        "load": load,
        "pages": time_pages(apps, viewers, clients),
        "boards": time_boards(apps, viewers),
        "redis_build": time_builds(redis_app, viewers, min(20, len(viewers))),
        "payment": time_payments(apps, viewers, 100),
    }
    with Session(sql_app.extensions["db_engine"]) as db:
        result["ledger_rows"] = db.execute(text("SELECT COUNT(*) FROM pointevent")).scalar_one()
    for app in apps.values():
        app.extensions["db_engine"].dispose()
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--samples", type=int, default=200, help="viewers timed per case")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--redis-url", default=REDIS_URL)
    parser.add_argument("--sqlite", action="store_true", help="also on a SQLite file")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    shape = Shape.at(args.scale)
    results = {}
    with tempfile.TemporaryDirectory(prefix="chalkmark-boards-") as tmp:
        urls = {"postgresql": args.pg_url}
        if args.sqlite:
            cache = Path(tempfile.gettempdir()) / "chalkmark-bench-boards"
            cache.mkdir(exist_ok=True)
            urls["sqlite"] = f"sqlite:///{cache / f'boards-{args.scale:g}.db'}"
        for name, url in urls.items():
            print(f"[{name}]", flush=True)
            results[name] = run(url, args, shape, Path(tmp) / name)
    _report(results, shape, args)
    write_result("leaderboard_page", {"scale": args.scale, "samples": args.samples, **results})


def _report(results: dict, shape: Shape, args) -> None:
    print(
        f"\nLeaderboard page (GET, signed in, Flask app) · {shape.teachers:,} teachers, "
        f"{shape.events:,} ledger rows · {args.samples} viewers per case\n"
    )
    header = (
        f"{'database':<11} {'case':<12} {'SQL p50/p95 ms':>16} {'Redis p50/p95 ms':>18} "
        f"{'SQL/Redis p50':>14}"
    )
    print(header)
    print("-" * len(header))
    # "case *" rows: the board alone (leaderboard.leaderboard), not the page.
    for db, result in results.items():
        rows = [(case, by) for case, by in result["pages"].items()]
        rows += [(f"{case} *", by) for case, by in result["boards"].items()]
        for case, by in rows:
            sql, red = by["sql"], by["redis"]
            print(
                f"{db:<11} {case:<12} {sql['p50_ms']:>7.2f} / {sql['p95_ms']:<7.2f} "
                f"{red['p50_ms']:>8.2f} / {red['p95_ms']:<7.2f} "
                f"{sql['p50_ms'] / red['p50_ms']:>13.2f}x"
            )
        builds = ", ".join(f"{c} {s['p50_ms']:.1f}" for c, s in result["redis_build"].items())
        print(f"{db:<11} Redis build of a missing board, p50 ms: {builds}")
        pay = result["payment"]
        print(
            f"{db:<11} ledger.pay + commit p50 ms: SQL boards {pay['sql']['p50_ms']:.2f}, "
            f"Redis boards {pay['redis']['p50_ms']:.2f}"
        )


if __name__ == "__main__":
    main()
