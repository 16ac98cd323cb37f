"""Shared bits for benchmarks: a throwaway app with the demo data, result files, stats."""

from __future__ import annotations

import json
import statistics
import tempfile
from pathlib import Path

from sqlmodel import Session, SQLModel

RESULTS = Path(__file__).resolve().parent / "results"


def empty_app(**overrides):
    """A Chalkmark app on a temp SQLite database with every table and no rows."""
    from server import create_app
    from server.config import Settings

    root = Path(tempfile.mkdtemp(prefix="chalkmark-bench-"))
    settings = Settings(
        instance_dir=root / "instance",
        database_url=f"sqlite:///{root / 'bench.db'}",
        secret_key="bench",
        storage_dir=root / "evidence",
        public_url="http://localhost:5000",
        ratelimit_enabled=False,
        **overrides,
    )
    app = create_app(settings)
    SQLModel.metadata.create_all(app.extensions["db_engine"])
    return app


def demo_app(**overrides):
    """An empty_app() seeded with the demo content."""
    from server.demo.seed import seed_demo

    app = empty_app(**overrides)
    with Session(app.extensions["db_engine"]) as session:
        seed_demo(session=session)
    return app


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(samples_s: list[float]) -> dict:
    ms = [s * 1000 for s in samples_s]
    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 3),
        "p95_ms": round(percentile(ms, 95), 3),
        "max_ms": round(max(ms), 3),
    }


def write_result(name: str, data: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, sort_keys=True))
    return path
