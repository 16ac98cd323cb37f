"""`make bench`: run every benchmark, then print one table of the headline figures.

Each benchmark also prints its own detail and writes bench/results/<name>.json.
`python -m bench transfer_size review_page` runs only the ones named.
"""

from __future__ import annotations

import json
import subprocess
import sys

from bench.common import RESULTS

BENCHES = [
    "transfer_size",
    "review_page",
    "review_queue",
    "review_pair",
    "upload_memory",
    "image_cost",
    "photo_bytes",
    "push_latency",
    "nudge_fanout",
    "leaderboard",
    "leaderboard_page",
    "lighthouse",
    "badges",
    "analytics",
    "roster",
    "pages",
]
CATALOG_PAGES = ("stack", "credential")


def _load(name: str) -> dict:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def _rows() -> list[tuple[str, str, str]]:
    rows = []
    transfer = _load("transfer_size").get("/", {})
    if transfer:
        rows.append(
            (
                "first load of / (HTML+CSS+JS, compressed)",
                f"{transfer['total_bytes'] / 1024:.1f} KiB",
                "small",
            )
        )
    review = _load("review_page")
    if review:
        rows.append(
            (
                "review page, 50 evidence items + 2 score sets, p50 / p95",
                f"{review.get('p50_ms')} / {review.get('p95_ms')} ms",
                "fast",
            )
        )
    for backend, data in _load("review_queue").get("backends", {}).items():
        first = data["pages"]["first page"]
        rows.append(
            (
                f"review queue at {data['waiting']:,} waiting, first page p50 / p95 ({backend})",
                f"{first['p50_ms']} / {first['p95_ms']} ms, {first['html_bytes'] / 1024:.0f} KiB",
                "fast",
            )
        )
    pair = _load("review_pair")
    if pair:
        rows.append(
            (
                "lead's review page, 50 items + both score sets, p50 / p95",
                f"{pair.get('p50_ms')} / {pair.get('p95_ms')} ms",
                "fast",
            )
        )
    upload = _load("upload_memory")
    if upload:
        rows.append(
            (
                "server RSS growth receiving a 200 MB upload",
                f"+{upload.get('delta_mb')} MB",
                "≤ +30 MB",
            )
        )
    for case, figures in _load("image_cost").items():
        rows.append(
            (
                f"cleaning {case} ({', '.join(figures['outcome'])})",
                f"{figures['seconds']} s, +{figures['peak_delta_mb']} MB peak",
                "bomb ~0; x4 bounded by image_workers",
            )
        )
    photo = _load("photo_bytes")
    if photo:
        rows.append(
            (
                "bytes uploaded for a 12 MP photo vs original",
                f"{photo['ratio'] * 100:.1f} %",
                "≤ 10 %",
            )
        )
    for mode, data in _load("push_latency").items():
        rows.append((f"decision → push received p95 ({mode})", f"{data['p95_ms']} ms", "≤ 1 s"))
    for mode, data in _load("nudge_fanout").items():
        rows.append((f"10,000 nudges fanned out ({mode})", f"{data['total_s']} s", "≤ 30 s"))
    for backend, data in _load("leaderboard").get("backends", {}).items():
        for case, figures in data.get("cases", {}).items():
            stats = figures.get("query", figures)
            rows.append((f"leaderboard {case} p95 ({backend})", f"{stats['p95_ms']} ms", "≤ 10 ms"))
    for database, data in _load("leaderboard_page").items():
        for case, by in data.get("pages", {}).items() if isinstance(data, dict) else ():
            sql, red = by["sql"]["p50_ms"], by["redis"]["p50_ms"]
            rows.append(
                (f"leaderboard page {case} p50, SQL / Redis boards ({database})",
                 f"{sql} / {red} ms", "Redis ≤ SQL")
            )  # fmt: skip
    badges = _load("badges")
    if badges:
        rows.append(
            (
                "issue + sign one OB 3.0 credential, p50",
                f"{badges['issue_and_sign']['p50_ms']} ms",
                "fast",
            )
        )
        rows.append(
            (
                f"badge verification page at {badges['awards_in_table']:,} awards, p95",
                f"{badges['verification_page']['p95_ms']} ms",
                "fast",
            )
        )
    for backend, data in _load("analytics").get("backends", {}).items():
        rows.append(
            (
                f"admin analytics page at state scale, p95 ({backend})",
                f"{data['p95_ms']} ms (cold {data.get('cold_ms')} ms)",
                "≤ 300 ms",
            )
        )
    roster = _load("roster")
    for backend, data in roster.get("backends", {}).items():
        rows.append(
            (
                f"roster import of {roster['rows']:,} rows: preview / apply / again ({backend})",
                f"{data['preview']} / {data['apply']} / {data['again apply']} s",
                "seconds",
            )
        )
    for label, data in _load("pages").get("results", {}).items():
        for page, figures in data["pages"].items():
            rows.append(
                (
                    f"{page} ÷ bare Flask hello ({label})",
                    f"{figures['ratio']:.3f}× (p95 {figures['p95_ms']:g} ms)",
                    "≥ 0.4×" if page in CATALOG_PAGES else "≥ 0.15×",
                )
            )
    for page, data in _load("lighthouse").get("pages", {}).items():
        score = data.get("performance")
        if score is not None:
            rows.append((f"Lighthouse mobile performance {page}", f"{score}", "≥ 95"))
    rows += _scale_rows()
    return rows


def _scale_rows() -> list[tuple[str, str, str]]:
    """`make scale` / `make soak` (bench/scale/run.sh, minutes of the whole machine: never
    run by `make bench`, only shown from their last results)."""
    rows = []
    for name in ("scale", "soak"):
        data = _load(name)
        if not data:
            continue
        total, uploads, pushes = data["total"], data["uploads"], data["pushes"]
        rows.append(
            (
                f"make {name}: requests, errors",
                f"{total['requests']}, {total['errors']}",
                "0 errors",
            )
        )
        rows.append(
            (f"make {name}: uploads lost", f"{uploads['lost']} of {uploads['acknowledged']}", "0")
        )
        rows.append(
            (f"make {name}: pushes delivered", f"{pushes['delivered']} of {pushes['due']}", "all")
        )
        for page in data["pages"]:
            rows.append((f"make {name}: {page['page']} p95", f"{page['p95_ms']} ms", "(reported)"))
        for worker in data.get("rss", {}).get("workers", []):
            rows.append(
                (
                    "make soak: worker RSS first/last/max, slope (2nd half)",
                    f"{worker['first_mib']}/{worker['last_mib']}/{worker['max_mib']} MiB, "
                    f"{worker['late_slope_mib_per_min']} MiB/min",
                    "≤ 1 MiB/min",
                )
            )
    return rows


def main(argv: list[str]) -> int:
    failures = 0
    for name in argv or BENCHES:
        print(f"\n=== bench.{name} ===", flush=True)
        failures += subprocess.call([sys.executable, "-m", f"bench.{name}"]) != 0
    print("\n| figure | measured | goal |\n|---|---|---|")
    for label, value, goal in _rows():
        print(f"| {label} | {value} | {goal} |")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
