"""Roster import: a district admin imports 10,000 people from one CSV (with 20,000 people
of another district already in the database): reading + storing the file, the preview
(the plan of every row), applying it (people, cohorts, invitations, sign-up links, audit)
and the links CSV; then the same file again (preview and apply: nothing changes).

Goal: each step a few seconds at most ("10,000 rows finish in seconds").
Run: python -m bench.roster [--rows 10000] [--pg-url postgresql+psycopg://…/db]
(PostgreSQL only when --pg-url or CHALKMARK_BENCH_POSTGRES_URL is given: its tables are
dropped and created again, so never point it at a database you keep.)
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import Session, SQLModel

from bench.common import write_result

GOAL_SECONDS = 10.0
OTHERS = 20_000
SCHOOLS = [f"School {n}" for n in range(40)]
COHORTS = [f"Cohort {n}" for n in range(50)]


def roster_csv(rows: int, seed: int = 5) -> bytes:
    rng = random.Random(seed)
    lines = ["Name,Email,School,Role,Cohort,Employee ID"]
    for n in range(rows):
        role = "teacher; assessor" if n % 25 == 0 else "teacher"
        cohort = rng.choice(COHORTS) if n % 3 else ""
        lines.append(
            f"José Teacher {n},t{n}@home.example.org,{rng.choice(SCHOOLS)},{role},{cohort},{n}"
        )
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def _world(engine) -> tuple[int, int]:
    from server.models import Org, User

    with Session(engine, expire_on_commit=False) as session:
        home, far = Org(slug="home", name="Home District"), Org(slug="far", name="Far District")
        session.add_all([home, far])
        session.commit()
        admin = User(handle="bench-admin", display_name="Ada Admin", roles="admin", org_id=home.id)
        session.add(admin)
        session.commit()
        others = [
            User(
                handle=f"other-{n}", display_name=f"Other {n}", email=f"o{n}@far.example.org",
                org_id=far.id,
            ).model_dump(exclude={"id"})
            for n in range(OTHERS)
        ]  # fmt: skip
        session.execute(insert(User), others)
        session.commit()
        return home.id, admin.id


def _timed(label: str, figures: dict, step: Callable):
    """Wall time, and this process's CPU time (on a busy machine the wall time also counts
    waiting for a core; PostgreSQL's own work is in the wall time only)."""
    started, cpu = time.perf_counter(), time.process_time()
    value = step()
    figures[label] = round(time.perf_counter() - started, 3)
    figures[f"{label} cpu"] = round(time.process_time() - cpu, 3)
    print(f"  {label:<22} {figures[label]:>7.3f} s wall {figures[label + ' cpu']:>7.3f} s cpu")
    return value


def _import_once(engine, org_id: int, admin_id: int, data: bytes, prefix: str) -> dict:
    from server.admin import roster, roster_apply
    from server.csvout import csv_text
    from server.models import Org, User

    figures: dict = {}
    with Session(engine, expire_on_commit=False) as session:
        org, admin = session.get_one(Org, org_id), session.get_one(User, admin_id)
        token, _ = _timed(
            f"{prefix}read+store",
            figures,
            lambda: roster.store_upload(
                session=session, org=org, admin=admin, filename="bench.csv", data=data
            ),
        )
        upload = roster.load_upload(session=session, org=org, admin=admin, token=token)
        plan = _timed(
            f"{prefix}preview",
            figures,
            lambda: roster.plan(session=session, org=org, rows=roster.rows_of(upload)),
        )
        imported = _timed(
            f"{prefix}apply",
            figures,
            lambda: roster_apply.apply(session=session, org=org, admin=admin, upload=upload),
        )
        _timed(
            f"{prefix}links csv",
            figures,
            lambda: csv_text(
                ("name", "email", "school", "link"),
                ([x.name, x.email, x.school, x.token] for x in imported.links),
            ),
        )
    figures[f"{prefix}counts"] = plan.counts()
    return figures


def run_backend(name: str, url: str, rows: int) -> dict:
    from server.db import make_engine

    engine = make_engine(url)
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    try:
        org_id, admin_id = _world(engine)
        data = roster_csv(rows)
        print(f"[{name}] {rows:,} rows, {len(data) / 1024:.0f} KiB", flush=True)
        first = _import_once(engine, org_id, admin_id, data, "")
        again = _import_once(engine, org_id, admin_id, data, "again ")
    finally:
        engine.dispose()
    assert first["counts"]["new"] == rows, first["counts"]
    assert again["again counts"] == {"new": 0, "updated": 0, "unchanged": rows, "error": 0}
    return {**first, **again, "file_kib": round(len(data) / 1024)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--pg-url", default=os.environ.get("CHALKMARK_BENCH_POSTGRES_URL"))
    args = parser.parse_args(argv)
    backends = {}
    with tempfile.TemporaryDirectory(prefix="chalkmark-bench-") as tmp:
        backends["sqlite"] = run_backend("sqlite", f"sqlite:///{Path(tmp) / 'r.db'}", args.rows)
    if args.pg_url:
        backends["postgresql"] = run_backend("postgresql", args.pg_url, args.rows)
    path = write_result(
        "roster",
        {"rows": args.rows, "others_in_db": OTHERS, "goal_s": GOAL_SECONDS, "backends": backends},
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
