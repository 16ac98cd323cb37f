"""Memory of the app servers during a soak: every gunicorn worker's RSS (from /proc) each
`--every` seconds, and the report: per worker the first, last and max RSS and the slope.

Flat means: over the second half of the soak (after warm-up: caches, pools and lazy
imports fill in the first minutes) each worker's RSS grows by at most FLAT_MIB_PER_MIN
(a least-squares slope). A worker that restarted (a new pid) is reported as such: with
`--max-requests 0` (run.sh's soak) gunicorn never recycles one, so a restart is a crash.

Run: python -m bench.scale.rss sample --masters 123 456 --out rss.jsonl
     python -m bench.scale.rss report rss.jsonl
"""

from __future__ import annotations

import argparse
import json
import signal
import threading
import time
from pathlib import Path

FLAT_MIB_PER_MIN = 1.0


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(child) for child in task.read_text().split()]
    return found


def rss_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def sample(masters: list[int], out: Path, every: float) -> None:
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    started = time.monotonic()
    with out.open("a") as file:
        while not stop.is_set():
            at = round(time.monotonic() - started, 1)
            for master in masters:
                for pid in children(master):
                    rss = rss_mib(pid)
                    if rss is not None:
                        file.write(json.dumps({"t": at, "master": master, "pid": pid, "rss": rss}))
                        file.write("\n")
            file.flush()
            stop.wait(every)


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares MiB per minute."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_r = sum(r for _, r in points) / n
    var = sum((t - mean_t) ** 2 for t, _ in points)
    cov = sum((t - mean_t) * (r - mean_r) for t, r in points)
    return cov / var * 60 if var else 0.0


def report(path: Path) -> dict:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    end = max((row["t"] for row in rows), default=0.0)
    workers: dict[int, list[tuple[float, float]]] = {}
    for row in rows:
        workers.setdefault(row["pid"], []).append((row["t"], row["rss"]))
    result = {"threshold_mib_per_min": FLAT_MIB_PER_MIN, "seconds": end, "workers": []}
    for pid, points in sorted(workers.items()):
        late = [p for p in points if p[0] >= end / 2]
        result["workers"].append(
            {
                "pid": pid,
                "samples": len(points),
                "first_mib": round(points[0][1], 1),
                "last_mib": round(points[-1][1], 1),
                "max_mib": round(max(r for _, r in points), 1),
                "slope_mib_per_min": round(slope(points), 2),
                "late_slope_mib_per_min": round(slope(late), 2),
                "lived_whole_soak": points[0][0] <= 15 and points[-1][0] >= end - 15,
            }
        )
    result["flat"] = bool(result["workers"]) and all(
        w["late_slope_mib_per_min"] <= FLAT_MIB_PER_MIN and w["lived_whole_soak"]
        for w in result["workers"]
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="mode", required=True)
    sampler = sub.add_parser("sample")
    sampler.add_argument("--masters", type=int, nargs="+", required=True)
    sampler.add_argument("--out", type=Path, required=True)
    sampler.add_argument("--every", type=float, default=10.0)
    reporter = sub.add_parser("report")
    reporter.add_argument("path", type=Path)
    args = parser.parse_args()
    if args.mode == "sample":
        sample(args.masters, args.out, args.every)
    else:
        print(json.dumps(report(args.path), indent=2))


if __name__ == "__main__":
    main()
