"""Lighthouse on the demo app (mobile): performance score and first-load transfer size for
the home page and a credential page, plus whether Chromium considers the app installable.

Lighthouse 12 dropped its PWA category, so installability is asked of Chromium itself
(CDP Page.getInstallabilityErrors, with the worker controlling the page) and the manifest
fields are checked here. Lighthouse is installed into bench/node_modules when missing.

Run: python -m bench.lighthouse   (writes bench/results/lighthouse.json)
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from bench.common import demo_app, write_result

BENCH = Path(__file__).resolve().parent
LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
PAGES = {"home": "/", "credential": "/credentials/fractions-as-numbers"}
RUNS = 3  # the median of three runs evens out a noisy machine


def _chromium():
    from tests.support.browser import CHROMIUM, CHROMIUM_ARGS

    return CHROMIUM, CHROMIUM_ARGS


def ensure_lighthouse() -> Path:
    if not LIGHTHOUSE.exists():
        subprocess.run(
            [
                "npm",
                "install",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(BENCH),
                "lighthouse",
            ],
            check=True,
        )
    return LIGHTHOUSE


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served_demo():
    """The demo app behind waitress on 127.0.0.1 (a secure context, so the worker runs)."""
    from waitress.server import create_server

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    app = demo_app(demo=True, port=port)
    app.config["SETTINGS"].public_url = base
    server = create_server(app, host="127.0.0.1", port=port, threads=8)
    stopping = threading.Event()

    def serve():
        try:
            server.run()
        except OSError:
            if not stopping.is_set():  # closing the socket under select() is expected
                raise

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield base, app
    finally:
        stopping.set()
        server.close()
        thread.join(timeout=5)
        app.extensions["db_engine"].dispose()


def run_lighthouse(url: str, attempts: int = 2) -> dict:
    chromium, args = _chromium()
    flags = " ".join(["--headless=new", *args])
    command = [
        str(ensure_lighthouse()),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        "--only-categories=performance",
        f"--chrome-flags={flags}",
    ]
    for attempt in range(1, attempts + 1):
        completed = subprocess.run(
            command,
            env={**os.environ, "CHROME_PATH": chromium},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if completed.returncode == 0:
            report = json.loads(completed.stdout)
            if not report.get("runtimeError"):
                return report
            problem = report["runtimeError"]
        else:
            problem = completed.stderr[-2000:]
        if attempt == attempts:
            raise RuntimeError(f"lighthouse failed on {url}: {problem}")
    raise AssertionError("unreachable")


def summarize_report(report: dict) -> dict:
    audits = report["audits"]
    requests = audits["network-requests"]["details"]["items"]
    return {
        "performance": round(report["categories"]["performance"]["score"] * 100),
        "first_contentful_paint_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "largest_contentful_paint_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "total_blocking_time_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cumulative_layout_shift": round(audits["cumulative-layout-shift"]["numericValue"], 4),
        "speed_index_ms": round(audits["speed-index"]["numericValue"]),
        "transfer_bytes": int(audits["total-byte-weight"]["numericValue"]),
        "requests": [
            {"url": r["url"], "bytes": r.get("transferSize", 0), "type": r.get("resourceType")}
            for r in requests
        ],
    }


def measure_page(url: str) -> dict:
    runs = [summarize_report(run_lighthouse(url)) for _ in range(RUNS)]
    median = sorted(runs, key=lambda r: r["performance"])[len(runs) // 2]
    return {
        **median,
        "performance_runs": [r["performance"] for r in runs],
        "performance_median": statistics.median(r["performance"] for r in runs),
    }


INSTALL_CHECK = """async () => {
  const registration = await navigator.serviceWorker.ready;
  return {controlled: navigator.serviceWorker.controller !== null,
          scope: registration.scope, active: registration.active.scriptURL};
}"""


def installability(base: str) -> dict:
    """Chromium's own verdict, with the worker in control as on a second visit."""
    from playwright.sync_api import sync_playwright

    chromium, args = _chromium()
    # A profile on disk: Chromium never offers to install from an incognito window.
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        browser = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=chromium,
            headless=True,
            args=args,
            viewport={"width": 390, "height": 844},
        )
        page = browser.new_page()
        page.goto(base + "/")
        page.evaluate("async () => { await navigator.serviceWorker.ready; }")
        page.reload()
        worker = page.evaluate(INSTALL_CHECK)
        cdp = page.context.new_cdp_session(page)
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        manifest = cdp.send("Page.getAppManifest")
        browser.close()
    parsed = json.loads(manifest.get("data") or "{}")
    icons = {(i.get("sizes"), i.get("purpose", "any")) for i in parsed.get("icons", [])}
    fields = {
        "name": bool(parsed.get("name")),
        "short_name": bool(parsed.get("short_name")),
        "start_url": bool(parsed.get("start_url")),
        "display_standalone": parsed.get("display") == "standalone",
        "theme_color": bool(parsed.get("theme_color")),
        "icon_192": ("192x192", "any") in icons,
        "icon_512": ("512x512", "any") in icons,
        "icon_maskable": any(purpose == "maskable" for _, purpose in icons),
    }
    return {
        "installable": not errors
        and worker["controlled"]
        and all(fields.values())
        and not manifest.get("errors"),
        "installability_errors": errors,
        "manifest_errors": manifest.get("errors", []),
        "manifest_fields": fields,
        "service_worker": worker,
    }


def precache_bytes(base: str) -> dict:
    """What the worker downloads in the background after the first visit (compressed)."""
    import re
    import urllib.request

    def get(url: str, encoding: str = "gzip, br") -> bytes:
        request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
        with urllib.request.urlopen(request) as response:
            return response.read()

    source = get(base + "/sw.js", "identity").decode()
    listed = re.search(r"const PRECACHE = \[(.*?)\];", source, re.S).group(1)
    urls = json.loads(f"[{listed.strip().rstrip(',')}]")
    sizes = {url: len(get(base + url)) for url in urls}
    return {"urls": len(urls), "bytes": sum(sizes.values()), "by_url": sizes}


def main() -> None:
    ensure_lighthouse()
    with served_demo() as (base, _app):
        pages = {name: measure_page(base + path) for name, path in PAGES.items()}
        install = installability(base)
        precache = precache_bytes(base)
    result = {"pages": pages, "installability": install, "precache": precache}
    path = write_result("lighthouse", result)
    print(f"{'page':<12}{'perf (runs)':<22}{'LCP ms':>8}{'TBT ms':>8}{'CLS':>8}{'first load':>14}")
    for name, data in pages.items():
        runs = "/".join(str(p) for p in data["performance_runs"])
        print(
            f"{name:<12}{data['performance']:<4}({runs}){'':<{18 - len(runs) - 2}}"
            f"{data['largest_contentful_paint_ms']:>8}{data['total_blocking_time_ms']:>8}"
            f"{data['cumulative_layout_shift']:>8}"
            f"{data['transfer_bytes'] / 1024:>11.1f} KiB"
        )
    print(
        f"installable: {install['installable']} "
        f"(errors: {install['installability_errors'] or 'none'}; "
        f"worker controls the page: {install['service_worker']['controlled']})"
    )
    print(
        f"service worker precache after the first visit: {precache['urls']} files, "
        f"{precache['bytes'] / 1024:.1f} KiB (downloaded in the background)"
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
