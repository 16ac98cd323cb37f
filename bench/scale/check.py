"""The scale run's closing check: waits for the job queue to drain, then prints and checks

- requests and errors (locust's failures: any unexpected status, timeout or refused
  connection) per page name with p50/p95, and overall; errors must be 0;
- lost uploads: every upload the server acknowledged to locust (by client_uuid) must be a
  row in PostgreSQL whose blob (and thumbnail, for a photo) is in the S3 bucket; 0 lost;
- pushes: every notice of the run for a person with a device queued one push job; each
  must have reached the push service (VAPID checked, body decrypted): due == delivered,
  no failed or still-scheduled job;
- in a soak, the RSS report of bench/scale/rss.py (flat or not).

Writes bench/results/scale.json (or soak.json). Exit status 1 when a check fails.
Run (env as run.sh sets it): python -m bench.scale.check --work DIR --push-url URL [--soak]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import time
import urllib.request
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.common import write_result
from bench.scale import cpu, rss

DRAIN_SECONDS = 120
CPU_FILES = ("before", "after")


def _queue_idle(redis_url: str) -> dict[str, int]:
    from redis import Redis
    from rq import Queue

    queue = Queue("chalkmark", connection=Redis.from_url(redis_url))
    return {
        "queued": queue.count,
        "running": queue.started_job_registry.count,
        "scheduled": queue.scheduled_job_registry.count,
        "failed": queue.failed_job_registry.count,
    }


def _pushes(engine, baseline: int) -> int:
    with engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT COUNT(*) FROM notification n WHERE n.id > :base AND EXISTS "
                "(SELECT 1 FROM pushsubscription s WHERE s.user_id = n.user_id)"
            ),
            {"base": baseline},
        ).scalar_one()


def _delivered(push_url: str) -> dict:
    with urllib.request.urlopen(f"{push_url}/stats", timeout=10) as response:
        return json.loads(response.read())


def wait_for_jobs(engine, redis_url: str, push_url: str, baseline: int) -> dict:
    deadline = time.monotonic() + DRAIN_SECONDS
    while True:
        jobs, due = _queue_idle(redis_url), _pushes(engine, baseline)
        received = _delivered(push_url)
        idle = jobs["queued"] == jobs["running"] == jobs["scheduled"] == 0
        if (idle and received["delivered"] >= due) or time.monotonic() > deadline:
            return {"due": due, **received, "jobs": jobs}
        time.sleep(1)


def lost_uploads(engine, acknowledged: list[str]) -> dict:
    import boto3

    env = os.environ
    client = boto3.client(
        "s3",
        endpoint_url=env["CHALKMARK_S3_ENDPOINT_URL"],
        region_name=env["CHALKMARK_S3_REGION"],
        aws_access_key_id=env["CHALKMARK_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=env["CHALKMARK_S3_SECRET_ACCESS_KEY"],
    )
    stored = set()
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=env["CHALKMARK_S3_BUCKET"]):
        stored.update(obj["Key"] for obj in page.get("Contents", []))
    rows: dict[str, tuple] = {}
    with engine.connect() as conn:
        for start in range(0, len(acknowledged), 500):
            chunk = acknowledged[start : start + 500]
            found = conn.execute(
                text(
                    "SELECT client_uuid, kind, blob_key, thumb_key FROM evidenceitem "
                    "WHERE client_uuid IN :ids"
                ).bindparams(_expanding("ids")),
                {"ids": chunk},
            )
            rows.update({row[0]: row[1:] for row in found})
    missing_rows = [u for u in acknowledged if u not in rows]
    missing_blobs = [
        u
        for u, (kind, blob, thumb) in rows.items()
        if blob not in stored or (kind == "photo" and thumb not in stored)
    ]
    return {
        "acknowledged": len(acknowledged),
        "rows_found": len(rows),
        "blobs_in_bucket": len(stored),
        "lost": len(missing_rows) + len(missing_blobs),
        "missing_rows": missing_rows[:5],
        "missing_blobs": missing_blobs[:5],
    }


def _expanding(name: str):
    from sqlalchemy import bindparam

    return bindparam(name, expanding=True)


def page_stats(stats_csv: Path) -> tuple[list[dict], dict]:
    rows = []
    with stats_csv.open() as file:
        for row in csv.DictReader(file):
            entry = {
                "page": row["Name"] if row["Type"] else "ALL",
                "method": row["Type"],
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "p50_ms": int(float(row["50%"] or 0)),
                "p95_ms": int(float(row["95%"] or 0)),
                "rps": round(float(row["Requests/s"]), 1),
            }
            rows.append(entry)
    total = next(r for r in rows if r["page"] == "ALL" or r["method"] == "")
    return [r for r in rows if r is not total], total


def show(pages: list[dict], total: dict) -> None:
    print(f"{'page':32} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7}")
    for row in sorted(pages, key=lambda r: -r["requests"]):
        print(
            f"{row['method'] + ' ' + row['page']:32} {row['requests']:>8} {row['errors']:>6} "
            f"{row['p50_ms']:>7} {row['p95_ms']:>7}"
        )
    print(
        f"{'ALL':32} {total['requests']:>8} {total['errors']:>6} "
        f"{total['p50_ms']:>7} {total['p95_ms']:>7}   ({total['rps']} req/s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--push-url", required=True)
    parser.add_argument("--soak", action="store_true")
    args = parser.parse_args()
    people = json.loads((args.work / "users.json").read_text())
    seen = json.loads((args.work / "outcomes.json").read_text())
    engine = create_engine(os.environ["CHALKMARK_DATABASE_URL"])
    pushes = wait_for_jobs(
        engine, os.environ["CHALKMARK_REDIS_URL"], args.push_url, people["baseline"]["notification"]
    )
    uploads = lost_uploads(engine, seen["uploads"])
    pages, total = page_stats(args.work / "locust_stats.csv")
    show(pages, total)
    print(f"outcomes: {json.dumps(seen['outcomes'], sort_keys=True)}")
    print(
        f"uploads acknowledged {uploads['acknowledged']}, rows found {uploads['rows_found']}, "
        f"lost {uploads['lost']} {uploads['missing_rows'] or ''}{uploads['missing_blobs'] or ''}"
    )
    print(
        f"pushes due {pushes['due']}, delivered {pushes['delivered']}, refused by the push "
        f"service {pushes['refused']}, jobs {pushes['jobs']}, errors {pushes['errors']}"
    )
    result = {"pages": pages, "total": total, "uploads": uploads, "pushes": pushes}
    checks = {
        "errors are 0": total["errors"] == 0,
        "no upload lost": uploads["lost"] == 0,
        "every push delivered": pushes["delivered"] == pushes["due"]
        and pushes["jobs"]["failed"] == 0
        and pushes["error_count"] == 0,
    }
    if args.soak:
        result["rss"] = memory = rss.report(args.work / "rss.jsonl")
        for w in memory["workers"]:
            print(
                f"worker {w['pid']}: RSS first {w['first_mib']} MiB, last {w['last_mib']}, "
                f"max {w['max_mib']}, slope {w['slope_mib_per_min']} MiB/min "
                f"(second half {w['late_slope_mib_per_min']}), whole soak {w['lived_whole_soak']}"
            )
        checks[f"RSS flat (≤ {rss.FLAT_MIB_PER_MIN} MiB/min, second half)"] = memory["flat"]
    if (args.work / "cpu-after.json").exists():
        before, after = (json.loads((args.work / f"cpu-{w}.json").read_text()) for w in CPU_FILES)
        result["cpu"] = used = cpu.difference(before, after)
        print(
            f"CPU during the load: {used['cpu_seconds_busy']} of {used['cpu_seconds_available']} "
            f"CPU-seconds busy; other work on the machine {used['other_work_on_the_machine']}"
        )
        print("  " + ", ".join(f"{name} {seconds}" for name, seconds in used["parts"].items()))
    result["checks"] = checks
    print(f"wrote {write_result('soak' if args.soak else 'scale', result)}")
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    raise SystemExit(0 if all(checks.values()) else 1)


if __name__ == "__main__":
    main()
