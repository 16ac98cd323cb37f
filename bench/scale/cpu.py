"""Where the scale run's CPU went: a snapshot of the machine's busy time (/proc/stat) and
of each part's CPU seconds (a process and its children, from /proc/<pid>/stat), taken
before and after the load; the difference says how much of the 2 cores each part used and
how much went to other work on the machine.

PostgreSQL's backends are not our children: they are found by their process title, which
names the database (`postgres: postgres scale_run 127.0.0.1(...)`).
Run: python -m bench.scale.cpu --pids FILE --shell PID --db scale_run > before.json
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from bench.scale.rss import children

TICK = os.sysconf("SC_CLK_TCK")


def _stat_seconds(pid: int, reaped: bool = True) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # After the ")": state is field 3, utime 14, stime 15, cutime 16, cstime 17.
    used = int(fields[11]) + int(fields[12])
    if reaped:
        used += int(fields[13]) + int(fields[14])
    return used / TICK


def tree_seconds(pid: int) -> float:
    return _stat_seconds(pid) + sum(tree_seconds(child) for child in children(pid))


def postgres_seconds(database: str) -> float:
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if title.startswith("postgres:") and f" {database} " in title:
            total += _stat_seconds(int(entry.name), reaped=False)
    return total


def machine_seconds() -> dict[str, float]:
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return {"busy": (sum(values) - idle) / TICK, "all": sum(values) / TICK}


def snapshot(pids_file: Path, database: str, shell: int) -> dict:
    parts: dict[str, float] = {}
    for line in pids_file.read_text().splitlines():
        name, pid = line.split()
        parts[name] = round(tree_seconds(int(pid)), 2)
    # The run's shell: its reaped children between two snapshots are locust.
    parts["locust (load generator)"] = round(_stat_seconds(shell), 2)
    parts[f"postgres ({database} backends)"] = round(postgres_seconds(database), 2)
    return {"machine": machine_seconds(), "parts": parts}


def difference(before: dict, after: dict) -> dict:
    busy = after["machine"]["busy"] - before["machine"]["busy"]
    wall = after["machine"]["all"] - before["machine"]["all"]
    parts = {
        name: round(after["parts"][name] - before["parts"].get(name, 0.0), 1)
        for name in after["parts"]
    }
    ours = sum(parts.values())
    return {
        "cpu_seconds_available": round(wall, 1),
        "cpu_seconds_busy": round(busy, 1),
        "parts": parts,
        "other_work_on_the_machine": round(busy - ours, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pids", type=Path, required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--shell", type=int, required=True)
    args = parser.parse_args()
    print(json.dumps(snapshot(args.pids, args.db, args.shell)))


if __name__ == "__main__":
    main()
