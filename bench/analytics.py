"""The district admin's analytics page at state scale: p50/p95 of the whole page (Flask
test client, signed in as the admin) on SQLite and PostgreSQL.

At scale 1: one district of 100,000 teachers in 500 cohorts, 20 credentials (4 rubric
criteria each), 300 assessors and 200,000 attempts over two years, with their reviews,
criterion scores and awards (about half awarded first try, half of the rest resubmit),
plus a small far district (5,000 teachers, 10,000 attempts) the page must not count.
Bulk-loaded (COPY on PostgreSQL, executemany on SQLite) with bench.leaderboard_data's
loader; the SQLite file is kept under bench/.cache and the PostgreSQL database is reused
while its marker (data version, scale, schema) matches, so re-runs only measure.

Run: python -m bench.analytics [--scale 1] [--runs 40] [--reseed]
PostgreSQL URL: CHALKMARK_BENCH_POSTGRES_URL (default: the test_analytics database).
Writes bench/results/analytics.json. Goal: p95 <= 300 ms on both.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from bench.common import summary_ms, write_result
from bench.leaderboard_data import _analyze, _load
from server.db import make_engine
from server.models import (
    Award,
    Cohort,
    CohortMember,
    Credential,
    CriterionScore,
    Org,
    Review,
    RubricCriterion,
    Stack,
    Submission,
    User,
    utcnow,
)

PG_URL = os.environ.get(
    "CHALKMARK_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test_analytics"
)
CACHE = Path(__file__).resolve().parent / ".cache"
DATA_VERSION = 1
GOAL_P95_MS = 300.0
WARMUP = 3
COLD_RUNS = 3
PAGE = "/admin/analytics"
CREDENTIALS, CRITERIA, STACKS, ASSESSORS = 20, 4, 5, 300
# How often each criterion is the one that trips a "not yet" (some trip people far more).
TRIPS = (0.6, 0.35, 0.2, 0.1)
HISTORY_DAYS = 730
TEXTS = ("competency", "key_method", "method_components", "research", "resources")
EMPTY = ("",) * len(TEXTS)


def _schema_tag() -> str:
    names = sorted(f"{t.name}.{c.name}" for t in SQLModel.metadata.sorted_tables for c in t.c)
    return hashlib.sha1("|".join(names).encode()).hexdigest()[:8]


def _marker(scale: float) -> str:
    return f"bench-analytics-v{DATA_VERSION}-s{scale:g}-{_schema_tag()}"


def _seeded(engine: Engine, scale: float) -> bool:
    try:
        with Session(engine) as session:
            return (
                session.execute(select(Org.id).where(Org.slug == _marker(scale))).first()
                is not None
            )
    except Exception:  # no tables yet, or an older schema
        return False


class World:
    """Ids and rows of the synthetic state, generated once per backend (same seed)."""

    def __init__(self, scale: float, seed: int = 12):
        self.rng = random.Random(seed)
        self.now = utcnow()
        self.teachers = max(2000, round(100_000 * scale))
        self.far_teachers = max(100, round(5_000 * scale))
        self.attempts = max(4000, round(200_000 * scale))
        self.far_attempts = max(200, round(10_000 * scale))
        self.cohorts = max(10, round(500 * scale))
        first_staff = self.teachers + self.far_teachers + 1
        self.admin_id = first_staff
        self.assessor_ids = list(range(first_staff + 1, first_staff + 1 + ASSESSORS))
        self.submissions: list[tuple] = []
        self.reviews: list[tuple] = []
        self.scores: list[tuple] = []
        self.awards: list[tuple] = []

    def users(self):
        zones = ("America/New_York", "America/Chicago", "America/Denver")
        for uid in range(1, self.teachers + self.far_teachers + 1):
            org = 1 if uid <= self.teachers else 2
            yield (uid, f"t{uid}", f"Teacher {uid}", "teacher", org, zones[uid % 3])
        yield (self.admin_id, "state-admin", "State Admin", "admin,assessor,coach", 1, "UTC")
        for uid in self.assessor_ids:
            yield (uid, f"a{uid}", f"Assessor {uid}", "assessor", 1, "UTC")

    def build_attempts(self) -> None:
        """Journeys of (teacher, credential): attempt 1, then after "not yet" maybe more."""
        rng, now = self.rng, self.now
        sid = rid = 0
        for org, teachers, goal in (
            (1, range(1, self.teachers + 1), self.attempts),
            (2, range(self.teachers + 1, self.teachers + self.far_teachers + 1), self.far_attempts),
        ):
            made = 0
            seen: set[tuple[int, int]] = set()
            while made < goal:
                uid, cid = rng.choice(teachers), rng.randint(1, CREDENTIALS)
                if (uid, cid) in seen:
                    continue
                seen.add((uid, cid))
                started = now - timedelta(days=rng.random() * HISTORY_DAYS)
                for attempt in range(1, 4):
                    sid += 1
                    made += 1
                    created = started
                    roll = rng.random()
                    if roll < 0.06 or started > now - timedelta(hours=12):
                        self.submissions.append(
                            (sid, uid, cid, attempt, "draft", created, created, None, None)
                        )
                        break
                    sent = created + timedelta(days=rng.random() * 10)
                    if sent >= now:
                        self.submissions.append(
                            (sid, uid, cid, attempt, "draft", created, created, None, None)
                        )
                        break
                    turnaround = timedelta(hours=rng.lognormvariate(3.8, 0.7))
                    decided = sent + turnaround
                    if decided > now:
                        status = "in_review" if rng.random() < 0.3 else "submitted"
                        self.submissions.append(
                            (sid, uid, cid, attempt, status, created, sent, sent, None)
                        )
                        break
                    awarded = rng.random() < (0.5 if attempt == 1 else 0.65)
                    status = "awarded" if awarded else "not_yet"
                    self.submissions.append(
                        (sid, uid, cid, attempt, status, created, decided, sent, decided)
                    )
                    rid += 1
                    assessor = rng.choice(self.assessor_ids)
                    claimed = decided - timedelta(hours=1)
                    self.reviews.append(
                        (
                            rid,
                            sid,
                            assessor,
                            claimed,
                            claimed + timedelta(hours=48),
                            status,
                            decided,
                        )
                    )
                    trips = [not awarded and rng.random() < p for p in TRIPS]
                    if not awarded and not any(trips):
                        trips[0] = True
                    base = (cid - 1) * CRITERIA
                    for n, tripped in enumerate(trips):
                        self.scores.append((rid, base + n + 1, not tripped, ""))
                    if awarded:
                        revoked = decided + timedelta(days=30) if rng.random() < 0.01 else None
                        self.awards.append((uid, cid, sid, decided, revoked, org))
                        break
                    if rng.random() < 0.5 or made >= goal:
                        break
                    started = decided + timedelta(days=2 + rng.random() * 30)
                    if started >= now:
                        break


def seed(engine: Engine, scale: float) -> dict:
    world = World(scale)
    started = time.perf_counter()
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    _load(
        engine,
        Org.__table__,
        ("id", "slug", "name"),
        [(1, "state", "State District"), (2, "far", "Far District")],
    )
    _load(
        engine,
        User.__table__,
        ("id", "handle", "display_name", "roles", "org_id", "timezone"),
        world.users(),
    )
    _load(
        engine,
        Stack.__table__,
        ("id", "slug", "title", "summary"),
        [(s, f"stack-{s}", f"Stack {s}", "") for s in range(1, STACKS + 1)],
    )
    _load(
        engine,
        Credential.__table__,
        ("id", "stack_id", "slug", "title", "credit_hours", *TEXTS),
        [
            (c, (c - 1) % STACKS + 1, f"credential-{c}", f"Credential {c}", 1 + c % 5, *EMPTY)
            for c in range(1, CREDENTIALS + 1)
        ],
    )
    _load(
        engine,
        RubricCriterion.__table__,
        ("id", "credential_id", "position", "title", "met_descriptor", "not_yet_descriptor"),
        [
            ((c - 1) * CRITERIA + n + 1, c, n, f"Criterion {n + 1}", "Shown.", "Not yet.")
            for c in range(1, CREDENTIALS + 1)
            for n in range(CRITERIA)
        ],
    )
    _load(
        engine,
        Cohort.__table__,
        ("id", "name", "org_id", "coach_id"),
        [(c, f"Cohort {c}", 1, c) for c in range(1, world.cohorts + 1)],
    )
    _load(
        engine,
        CohortMember.__table__,
        ("cohort_id", "user_id", "status", "joined_at"),
        (
            ((uid - 1) % world.cohorts + 1, uid, "active", world.now - timedelta(days=400))
            for uid in range(1, world.teachers + 1)
        ),
    )
    world.build_attempts()
    _load(
        engine,
        Submission.__table__,
        (
            "id",
            "user_id",
            "credential_id",
            "attempt",
            "status",
            "created_at",
            "updated_at",
            "submitted_at",
            "decided_at",
        ),
        world.submissions,
    )
    _load(
        engine,
        Review.__table__,
        ("id", "submission_id", "assessor_id", "claimed_at", "claimed_until", "decision",
         "decided_at"),
        world.reviews,
    )  # fmt: skip
    _load(
        engine,
        CriterionScore.__table__,
        ("review_id", "criterion_id", "met", "comment"),
        world.scores,
    )
    _load(
        engine,
        Award.__table__,
        ("user_id", "credential_id", "submission_id", "issued_at", "revoked_at", "org_id"),
        world.awards,
    )
    # Last: the marker says the load finished.
    _load(engine, Org.__table__, ("id", "slug", "name"), [(3, _marker(scale), "-")])
    _reset_sequences(engine)
    _analyze(engine)
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "teachers": world.teachers,
        "far_teachers": world.far_teachers,
        "submissions": len(world.submissions),
        "reviews": len(world.reviews),
        "criterion_scores": len(world.scores),
        "awards": len(world.awards),
        "cohorts": world.cohorts,
    }


def _reset_sequences(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        for table in SQLModel.metadata.sorted_tables:
            if "id" in table.c and table.c.id.autoincrement is not False and table.c.id.primary_key:
                sequence = conn.execute(
                    text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": f'"{table.name}"'}
                ).scalar()
                if sequence:
                    conn.execute(
                        text(
                            f"SELECT setval('{sequence}', "
                            f'(SELECT COALESCE(MAX(id), 1) FROM "{table.name}"))'
                        )
                    )


def _counts(engine: Engine) -> dict:
    with engine.connect() as conn:
        return {
            name: conn.execute(text(f'SELECT COUNT(*) FROM "{name}"')).scalar_one()
            for name in ("user", "submission", "review", "criterionscore", "award", "cohort")
        }


def _app(url: str, instance: Path):
    from server import create_app
    from server.config import Settings

    return create_app(
        Settings(
            instance_dir=instance,
            database_url=url,
            secret_key="bench",
            storage_dir=instance / "evidence",
            public_url="http://localhost:5000",
            ratelimit_enabled=False,
        )
    )


def measure(name: str, url: str, scale: float, runs: int, reseed: bool) -> dict:
    engine = make_engine(url)
    try:
        seeded = None
        if reseed or not _seeded(engine, scale):
            print(f"[{name}] seeding state scale {scale:g} ...", flush=True)
            seeded = seed(engine, scale)
            print(f"[{name}] seeded in {seeded['seconds']} s", flush=True)
        counts = _counts(engine)
        with Session(engine) as session:
            admin_id = session.execute(
                select(User.id).where(User.handle == "state-admin")
            ).scalar_one()
    finally:
        engine.dispose()
    print(f"[{name}] rows: {counts}", flush=True)
    from server.auth.session import SESSION_ID, start_session_for

    with tempfile.TemporaryDirectory(prefix="chalkmark-bench-") as tmp:
        app = _app(url, Path(tmp))
        client = app.test_client()

        session_id = start_session_for(app, admin_id, "bench")
        with client.session_transaction() as flask_session:
            flask_session[SESSION_ID] = session_id
        # Cold: no snapshot, so the view aggregates live and stores one (what the first
        # view after FRESH_FOR costs without `chalkmark analytics refresh` in cron).
        cold = []
        for _ in range(COLD_RUNS):
            with app.extensions["db_engine"].begin() as conn:
                conn.execute(text("DELETE FROM analyticssnapshot"))
            started = time.perf_counter()
            response = client.get(PAGE)
            cold.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
        for _ in range(WARMUP):
            response = client.get(PAGE)
            assert response.status_code == 200, response.status_code
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(PAGE)
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
        html = response.get_data(as_text=True)
        assert "Credential 20" in html and "Cohort " in html and "Far District" not in html
        app.extensions["db_engine"].dispose()
    return {
        "rows": counts,
        "seeded": seeded,
        "html_bytes": len(html.encode()),
        "cold_ms": round(statistics.median(cold) * 1000, 1),
        **summary_ms(samples),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="1.0 = 100k teachers, 200k attempts"
    )
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--reseed", action="store_true", help="ignore the cached data")
    parser.add_argument("--pg-url", default=PG_URL)
    args = parser.parse_args(argv)
    CACHE.mkdir(exist_ok=True)
    sqlite_url = f"sqlite:///{CACHE / f'analytics-s{args.scale:g}.db'}"
    backends = {
        "sqlite": measure("sqlite", sqlite_url, args.scale, args.runs, args.reseed),
        "postgresql": measure("postgresql", args.pg_url, args.scale, args.runs, args.reseed),
    }
    print(
        f"\nAnalytics page ({PAGE}, period: last 12 months) · scale {args.scale:g} · "
        f"{args.runs} requests each (goal p95 <= {GOAL_P95_MS:g} ms)\n"
    )
    header = (
        f"{'backend':<12} {'teachers':>9} {'attempts':>9} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'cold ms':>8}  goal"
    )
    print(header)
    print("-" * len(header))
    for name, data in backends.items():
        ok = "ok" if data["p95_ms"] <= GOAL_P95_MS else "MISSED"
        print(
            f"{name:<12} {data['rows']['user']:>9,} {data['rows']['submission']:>9,} "
            f"{data['p50_ms']:>8.1f} {data['p95_ms']:>8.1f} {data['max_ms']:>8.1f} "
            f"{data['cold_ms']:>8.1f}  {ok}"
        )
    result = {
        "scale": args.scale,
        "page": PAGE,
        "runs": args.runs,
        "goal_p95_ms": GOAL_P95_MS,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "backends": backends,
        "notes": (
            "p50/p95: the page as served, reading the district's analytics snapshot "
            "(kept fresh by `chalkmark analytics refresh`); cold: the same page with no "
            "snapshot, aggregating every attempt live in SQL and storing the snapshot "
            "(median of 3)"
        ),
    }
    print(f"\nload average {result['load_average_at_end']} on {result['cpus']} CPUs")
    print(f"written {write_result('analytics', result)}")


if __name__ == "__main__":
    main()
