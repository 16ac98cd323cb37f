"""Page throughput as a user gets it: each key page against a bare Flask "hello" served the
same way (waitress, threads=8, as `make run` serves), on SQLite and PostgreSQL, at demo
scale and at state scale (100k teachers, 1M ledger rows, 200k submissions of which ~3k
wait for review), in interleaved rounds: each round loads "hello", then every page, for
the same number of seconds with 16 keep-alive connections; a page's ratio is the median
of its per-round (page req/s ÷ hello req/s).

The state-scale data is seeded once and kept: a SQLite file under
$TMPDIR/chalkmark-bench-pages/ and a PostgreSQL database (default `test_perf_bench`, with
`_demo` beside it for demo scale); a later run only adds indexes the models gained since.
The load generator is Python (http.client, one thread per connection): it takes CPU from
the servers on this 2-core machine, so ratios are lower bounds, comparable within a run.

Run: python -m bench.pages [--quick] [--reseed] [--only sqlite|postgresql] [--pages coach]
(--pages keeps the pages whose name contains one of the words given, e.g. "coach").
Writes bench/results/pages.json.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from bench.common import percentile, write_result
from bench.leaderboard import _ensure_pg_database
from bench.leaderboard_data import Shape, _load, build

PG_URL = os.environ.get(
    "CHALKMARK_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test_perf_bench"
)
CACHE = Path(tempfile.gettempdir()) / "chalkmark-bench-pages"
SECRET = "bench-pages"
CONNECTIONS = 16
THREADS = 8
PAGES = (
    "stack",
    "credential",
    "review queue",
    "cohort leaderboard",
    "progress (/me)",
    "home",
    "coach cohort",
)
SUBMISSIONS_PER_TEACHER = 2
WAITING_SHARE = 0.015  # ~3k of 200k attempts wait for review
SEEDED_TABLES = {
    "org",
    "user",
    "cohort",
    "cohortmember",
    "pointevent",
    "userpoints",
    "weeklypoints",
    "stack",
    "credential",
    "submission",
    "review",
    "award",
}


# --- data ------------------------------------------------------------------------------


def _fingerprint() -> str:
    """The seeded tables' columns: a cached database with other columns is seeded again
    (tables and indexes the models gained are only added, see _ensure_indexes)."""
    parts = [
        f"{table.name}:{','.join(f'{c.name} {c.type}' for c in table.columns)}"
        for table in SQLModel.metadata.sorted_tables
        if table.name in SEEDED_TABLES
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _settings(url: str, instance: Path):
    from server.config import Settings

    return Settings(
        instance_dir=instance,
        database_url=url,
        secret_key=SECRET,
        storage_dir=instance / "evidence",
        public_url="http://localhost:5000",
        ratelimit_enabled=False,
    )


def _seeded(engine: Engine, scale: float | None) -> bool:
    with engine.connect() as conn:
        try:
            row = conn.execute(text("SELECT fingerprint, scale FROM bench_pages_seed")).first()
        except Exception:
            return False
    return row is not None and row[0] == _fingerprint() and float(row[1]) == (scale or 0.0)


def _mark_seeded(engine: Engine, scale: float | None) -> None:
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS bench_pages_seed"))
        conn.execute(text("CREATE TABLE bench_pages_seed (fingerprint VARCHAR(32), scale FLOAT)"))
        conn.execute(
            text("INSERT INTO bench_pages_seed VALUES (:f, :s)"),
            {"f": _fingerprint(), "s": scale or 0.0},
        )


def _ensure_indexes(engine: Engine) -> None:
    SQLModel.metadata.create_all(engine)  # new tables
    for table in SQLModel.metadata.sorted_tables:
        for index in table.indexes:
            index.create(engine, checkfirst=True)
    _analyze(engine)


def _analyze(engine: Engine) -> None:
    statement = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(statement))


def seed(engine: Engine, scale: float | None) -> dict:
    """Demo data (scale None), or the leaderboard bench's people and ledger at `scale`,
    the demo catalog and people beside them, and the submissions and reviews."""
    from server.demo.seed import seed_demo

    started = time.perf_counter()
    if scale is None:
        SQLModel.metadata.drop_all(engine)
        SQLModel.metadata.create_all(engine)
        with Session(engine) as session:
            seed_demo(session=session)
    else:
        print(f"  seeding state scale {scale} (once; kept for later runs) ...", flush=True)
        build(engine, Shape.at(scale))
        with Session(engine) as session:
            seed_demo(session=session)
        _seed_submissions(engine, Shape.at(scale))
    _analyze(engine)
    _mark_seeded(engine, scale)
    return {"seed_s": round(time.perf_counter() - started, 1)}


def _seed_submissions(engine: Engine, shape: Shape) -> None:
    from server.models import Credential, Review, Submission, User, utcnow

    rng = random.Random(5)
    with Session(engine) as session:
        credentials = list(session.execute(select(Credential.id)).scalars())
        next_submission = (
            session.execute(text("SELECT MAX(id) FROM submission")).scalar() or 0
        ) + 1
        next_review = (session.execute(text("SELECT MAX(id) FROM review")).scalar() or 0) + 1
        reviewer = session.execute(select(User.id).where(User.handle == "jordan")).scalar_one()
    now = utcnow()
    submissions, reviews = [], []
    sid, rid = next_submission, next_review
    for uid in range(1, shape.teachers + 1):
        for credential in rng.sample(credentials, SUBMISSIONS_PER_TEACHER):
            created = now - timedelta(days=rng.random() * 180)
            roll = rng.random()
            if roll < WAITING_SHARE:
                status = "submitted" if roll < WAITING_SHARE * 0.7 else "in_review"
            elif roll < 0.25:
                status = "draft"
            elif roll < 0.28:
                status = "withdrawn"
            elif roll < 0.48:
                status = "not_yet"
            else:
                status = "awarded"
            submitted = None if status == "draft" else created + timedelta(hours=2)
            decided = submitted + timedelta(days=3) if status in ("awarded", "not_yet") else None
            submissions.append(
                (sid, uid, credential, 1, 1, status, True, created, created, submitted, decided, 1)
            )
            if decided is not None:
                reviews.append((rid, sid, reviewer, submitted, submitted, status, "", decided))
                rid += 1
            elif status == "in_review":  # a lease, live or lapsed
                until = now + timedelta(minutes=30) if rng.random() < 0.5 else now
                reviews.append((rid, sid, reviewer, now, until, None, None, None))
                rid += 1
            sid += 1
    _load(
        engine,
        Submission.__table__,  # type: ignore[attr-defined]
        (
            "id",
            "user_id",
            "credential_id",
            "credential_version",
            "attempt",
            "status",
            "consent_given",
            "created_at",
            "updated_at",
            "submitted_at",
            "decided_at",
            "version",
        ),
        submissions,
    )
    _load(
        engine,
        Review.__table__,  # type: ignore[attr-defined]
        (
            "id",
            "submission_id",
            "assessor_id",
            "claimed_at",
            "claimed_until",
            "decision",
            "feedback",
            "decided_at",
        ),
        reviews,
    )
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            for table in ("submission", "review"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT MAX(id) FROM {table}))"
                    )
                )


@dataclass(frozen=True)
class Dataset:
    label: str  # e.g. "SQLite state"
    url: str
    instance: Path
    scale: float | None


def prepare(dataset: Dataset, reseed: bool) -> dict:
    from server import create_app

    if dataset.url.startswith("postgresql"):
        _ensure_pg_database(dataset.url)
    app = create_app(_settings(dataset.url, dataset.instance))  # badges sign with its keys
    engine = app.extensions["db_engine"]
    with app.app_context():
        if reseed or dataset.scale is None or not _seeded(engine, dataset.scale):
            info = seed(engine, dataset.scale)
        else:
            print("  reusing the seeded data", flush=True)
            info = {"seed_s": 0.0}
        _ensure_indexes(engine)
        with engine.connect() as conn:
            for table in ("user", "pointevent", "submission"):
                info[f"{table}_rows"] = conn.execute(
                    text(f'SELECT COUNT(*) FROM "{table}"')
                ).scalar_one()
            info["waiting"] = conn.execute(
                text("SELECT COUNT(*) FROM submission WHERE status IN ('submitted', 'in_review')")
            ).scalar_one()
    engine.dispose()
    return info


# --- who looks at what -----------------------------------------------------------------


def targets(dataset: Dataset) -> dict[str, tuple[str, str | None]]:
    """Per page: the path and the session cookie of the person looking (None: anonymous)."""
    from server import create_app
    from server.auth.session import session_cookie_for
    from server.models import (
        AssessorAppointment,
        Cohort,
        Credential,
        PointEvent,
        Stack,
        User,
    )

    app = create_app(_settings(dataset.url, dataset.instance))
    engine = app.extensions["db_engine"]
    with Session(engine) as session:
        stack = session.execute(select(Stack).order_by(Stack.position)).scalars().first()
        credential = (
            session.execute(select(Credential).where(Credential.stack_id == stack.id))
            .scalars()
            .first()
        )
        if dataset.scale is None:
            by_handle = {u.handle: u for u in session.execute(select(User)).scalars()}
            teacher, assessor, coach = by_handle["maya"], by_handle["jordan"], by_handle["sam"]
            cohort = (
                session.execute(select(Cohort).where(Cohort.coach_id == coach.id)).scalars().first()
            )
        else:
            # The busiest bench teacher (the longest ledger), an assessor in district 1
            # appointed to every stack, and cohort 1's coach.
            heavy = session.execute(
                text(
                    "SELECT user_id FROM pointevent WHERE user_id <= 100000 GROUP BY user_id "
                    "ORDER BY COUNT(*) DESC LIMIT 1"
                )
            ).scalar_one()
            teacher = session.get_one(User, heavy)
            assessor = (
                session.execute(select(User).where(User.handle == "bench-assessor"))
                .scalars()
                .first()
            )
            if assessor is None:
                assessor = User(
                    handle="bench-assessor",
                    display_name="Bench Assessor",
                    org_id=1,
                    roles="teacher,assessor",
                )
                session.add(assessor)
                session.flush()
                for sid in session.execute(select(Stack.id)).scalars():
                    session.add(AssessorAppointment(user_id=assessor.id, stack_id=sid))
            cohort = session.get_one(Cohort, 1)
            coach = session.get_one(User, cohort.coach_id)
            if "coach" not in coach.role_set:
                coach.roles = f"{coach.roles},coach"
                session.add(coach)
            session.commit()
            assert session.execute(
                select(PointEvent.id).where(PointEvent.user_id == teacher.id).limit(1)
            ).first()
        cohort_of_teacher = session.execute(
            text("SELECT cohort_id FROM cohortmember WHERE user_id = :u AND status = 'active'"),
            {"u": teacher.id},
        ).scalar_one()
        ids = {
            "teacher": teacher.id,
            "assessor": assessor.id,
            "coach": coach.id,
            "cohort": cohort.id,
            "stack": stack.slug,
            "credential": credential.slug,
        }
    cookie = {who: session_cookie_for(app, ids[who]) for who in ("teacher", "assessor", "coach")}
    engine.dispose()
    return {
        "stack": (f"/stacks/{ids['stack']}", None),
        "credential": (f"/credentials/{ids['credential']}", None),
        "review queue": ("/review", cookie["assessor"]),
        "cohort leaderboard": (
            f"/leaderboards?board=cohort-{cohort_of_teacher}&period=week",
            cookie["teacher"],
        ),
        "progress (/me)": ("/me", cookie["teacher"]),
        "home": ("/home", cookie["teacher"]),
        "coach cohort": (f"/coach/cohorts/{ids['cohort']}", cookie["coach"]),
    }


# --- servers ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(app, port: int) -> None:
    import logging

    from waitress import serve

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth" under load
    # What `chalkmark serve` passes (server/cli.py), with its defaults.
    serve(
        app,
        host="127.0.0.1",
        port=port,
        threads=THREADS,
        connection_limit=1000,
        backlog=2048,
        channel_timeout=30,
        asyncore_use_poll=True,
        _quiet=True,
    )


def serve_app(url: str, instance: str, port: int) -> None:
    from server import create_app

    _serve(create_app(_settings(url, Path(instance))), port)


def serve_hello(port: int) -> None:
    from flask import Flask

    hello = Flask("hello")
    hello.add_url_rule("/", "hello", lambda: "hello")
    _serve(hello, port)


class Server:
    def __init__(self, *args: str) -> None:
        self.port = _free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.pages", *args, "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"server {args} did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


# --- load ------------------------------------------------------------------------------


def load(
    port: int, path: str, cookie: str | None, seconds: float
) -> tuple[float, list[float], int]:
    """CONNECTIONS keep-alive connections GETting `path` for `seconds`: req/s, latencies, errors."""
    headers = {"Cookie": f"chalkmark_session={cookie}"} if cookie else {}
    latencies: list[list[float]] = [[] for _ in range(CONNECTIONS)]
    errors = [0] * CONNECTIONS
    start = threading.Barrier(CONNECTIONS + 1)
    stop_at = [0.0]

    def worker(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start.wait()
        mine = latencies[n]
        while (now := time.perf_counter()) < stop_at[0]:
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors[n] += 1
            except (OSError, http.client.HTTPException):
                errors[n] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append(time.perf_counter() - now)
        conn.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    stop_at[0] = began + seconds
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    flat = [x for part in latencies for x in part]
    return len(flat) / elapsed, flat, sum(errors)


def chosen_pages(words: list[str] | None) -> tuple[str, ...]:
    """The PAGES whose name contains one of `words` (all of them without words)."""
    if not words:
        return PAGES
    found = tuple(page for page in PAGES if any(w.lower() in page for w in words))
    if not found:
        raise SystemExit(f"no page matches {words}: choose among {', '.join(PAGES)}")
    return found


def measure(dataset: Dataset, rounds: int, seconds: float, only: tuple[str, ...] = PAGES) -> dict:
    pages = {page: where for page, where in targets(dataset).items() if page in only}
    app = Server("--serve-app", dataset.url, "--instance", str(dataset.instance))
    hello = Server("--serve-hello")
    try:
        for path, cookie in pages.values():  # warm up (and fail early on a broken page)
            load(app.port, path, cookie, 0.3)
        load(hello.port, "/", None, 0.3)
        ratios: dict[str, list[float]] = {page: [] for page in pages}
        rates: dict[str, list[float]] = {page: [] for page in pages}
        samples: dict[str, list[float]] = {page: [] for page in pages}
        errors = dict.fromkeys(pages, 0)
        hello_rates = []
        for _ in range(rounds):
            hello_rate, _lat, _err = load(hello.port, "/", None, seconds)
            hello_rates.append(hello_rate)
            for page, (path, cookie) in pages.items():
                rate, latencies, failed = load(app.port, path, cookie, seconds)
                ratios[page].append(rate / hello_rate)
                rates[page].append(rate)
                samples[page].extend(latencies)
                errors[page] += failed
        size = {}
        for page, (path, cookie) in pages.items():
            conn = http.client.HTTPConnection("127.0.0.1", app.port)
            conn.request(
                "GET", path, headers={"Cookie": f"chalkmark_session={cookie}"} if cookie else {}
            )
            size[page] = len(conn.getresponse().read())
            conn.close()
    finally:
        app.stop()
        hello.stop()
    return {
        "hello_rps": round(statistics.median(hello_rates), 1),
        "pages": {
            page: {
                "path": pages[page][0],
                "ratio": round(statistics.median(ratios[page]), 4),
                "rps": round(statistics.median(rates[page]), 1),
                "p50_ms": round(statistics.median(samples[page]) * 1000, 1),
                "p95_ms": round(percentile(samples[page], 95) * 1000, 1),
                "errors": errors[page],
                "html_bytes": size[page],
            }
            for page in pages
        },
    }


# --- report ----------------------------------------------------------------------------


def datasets(args) -> list[Dataset]:
    scale = args.scale
    chosen = []
    if args.only in (None, "sqlite"):
        demo = Path(tempfile.mkdtemp(prefix="chalkmark-bench-"))
        state = CACHE / f"sqlite-state-{scale:g}"
        chosen += [
            Dataset("SQLite demo", f"sqlite:///{demo / 'demo.db'}", demo, None),
            Dataset("SQLite state", f"sqlite:///{state / 'state.db'}", state, scale),
        ]
    if args.only in (None, "postgresql"):
        base = args.pg_url if scale == 1.0 else f"{args.pg_url}_{str(scale).replace('.', '_')}"
        chosen += [
            Dataset("PostgreSQL demo", f"{args.pg_url}_demo", CACHE / "pg-demo", None),
            Dataset("PostgreSQL state", base, CACHE / f"pg-state-{scale:g}", scale),
        ]
    return chosen


def report(results: dict[str, dict], args) -> None:
    labels = list(results)
    print(
        f"\nPage throughput ÷ bare Flask 'hello' (waitress threads={THREADS}, "
        f"{CONNECTIONS} connections, {args.rounds} interleaved rounds of {args.seconds:g} s; "
        f"state scale {args.scale:g})\n"
    )
    print("| page | " + " | ".join(labels) + " |")
    print("|---|" + "---|" * len(labels))
    for page in args.page_names:
        cells = []
        for label in labels:
            figures = results[label]["pages"][page]
            cell = f"{figures['ratio']:.3f}× (p95 {figures['p95_ms']:g} ms)"
            if figures["errors"]:
                cell += f" {figures['errors']} errors"
            cells.append(cell)
        print(f"| {page} | " + " | ".join(cells) + " |")
    print("| hello req/s | " + " | ".join(f"{results[k]['hello_rps']:g}" for k in labels) + " |")
    for backend in ("SQLite", "PostgreSQL"):
        demo, state = results.get(f"{backend} demo"), results.get(f"{backend} state")
        if demo and state:
            print(f"\n{backend}: state ÷ demo throughput per page")
            for page in args.page_names:
                a, b = demo["pages"][page]["rps"], state["pages"][page]["rps"]
                print(f"  {page:<20} {b / a:.2f}")
    data = {
        "scale": args.scale,
        "pages": list(args.page_names),
        "rounds": args.rounds,
        "seconds": args.seconds,
        "connections": CONNECTIONS,
        "threads": THREADS,
        "cpus": os.cpu_count(),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "results": results,
    }
    name = "pages" if args.page_names == PAGES else "pages-" + "-".join(args.page_names)
    print(f"\nwritten {write_result(name.replace(' ', '_').replace('/', ''), data)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="scale 0.1, 2 rounds of 1 s")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--reseed", action="store_true", help="seed state scale again")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument(
        "--pages", nargs="+", metavar="WORD", help="only the pages whose name has a WORD"
    )
    parser.add_argument("--serve-app")
    parser.add_argument("--serve-hello", action="store_true")
    parser.add_argument("--instance")
    parser.add_argument("--port", type=int)
    args = parser.parse_args(argv)
    if args.serve_app:
        return serve_app(args.serve_app, args.instance, args.port)
    if args.serve_hello:
        return serve_hello(args.port)
    if args.quick:
        args.scale, args.rounds, args.seconds = 0.1, 2, 1.0
    args.page_names = chosen_pages(args.pages)
    results = {}
    for dataset in datasets(args):
        print(f"[{dataset.label}]", flush=True)
        info = prepare(dataset, args.reseed)
        print(f"  {info}", flush=True)
        results[dataset.label] = {
            "data": info,
            **measure(dataset, args.rounds, args.seconds, args.page_names),
        }
    report(results, args)


if __name__ == "__main__":
    main()
