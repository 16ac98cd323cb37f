"""Where one page's time goes, in-process: N GETs through the Flask test client on the demo
data, as the person who works from it, under cProfile; prints ms per request, SQL
statements per request and the heaviest functions. Call counts are stable on a busy
machine, seconds less so; bench/pages.py measures throughput as a user gets it.

Run: python -m bench.profile_page [/me /review ...] [--requests 200] [--as maya] [--top 30]
(without paths: every key page bench/pages.py measures, each as its usual viewer).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import time

from sqlalchemy import event
from sqlmodel import Session, select

from bench.common import demo_app

# Path → the demo person who looks at it (None: anonymous), as in bench/pages.py.
KEY_PAGES = {
    "/stacks/learning-differences": None,
    "/credentials/motivation": None,
    "/review": "jordan",
    "/leaderboards": "maya",
    "/me": "maya",
    "/home": "maya",
    "/coach/cohorts/1": "sam",
    "/review/{waiting}": "jordan",  # the review page of the oldest waiting attempt
}


def _resolve(app, path: str) -> str:
    """Fill {waiting} with the oldest attempt waiting for review in the demo."""
    if "{waiting}" not in path:
        return path
    from server.models import Submission, SubmissionStatus

    with Session(app.extensions["db_engine"]) as db:
        waiting = db.exec(
            select(Submission.id)
            .where(Submission.status == SubmissionStatus.SUBMITTED)
            .order_by(Submission.id)
        ).first()
    return path.format(waiting=waiting)


def _cookie(app, handle: str | None) -> str | None:
    from server.auth.session import session_cookie_for
    from server.models import User

    if handle is None:
        return None
    with Session(app.extensions["db_engine"]) as db:
        user_id = db.exec(select(User.id).where(User.handle == handle)).one()
    return session_cookie_for(app, user_id)


def profile(app, path: str, handle: str | None, requests: int, top: int) -> None:
    client = app.test_client()
    cookie = _cookie(app, handle)
    if cookie:
        client.set_cookie("chalkmark_session", cookie, domain="localhost")
    first = client.get(path)
    assert first.status_code == 200, (path, first.status_code)
    statements = [0]
    engine = app.extensions["db_engine"]

    def count(*_args) -> None:
        statements[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(requests):
        client.get(path)
    plain_ms = (time.perf_counter() - started) * 1000 / requests
    # CPU time of this process: far steadier than wall time on a machine others share.
    cpu_ms = (time.process_time() - cpu) * 1000 / requests
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(path)
    profiler.disable()
    event.remove(engine, "before_cursor_execute", count)
    print(
        f"\n== {path} as {handle or 'visitor'}: {cpu_ms:.2f} ms CPU/request "
        f"({plain_ms:.2f} ms wall), "
        f"{statements[0] / (2 * requests):.1f} SQL statements/request, "
        f"{len(first.data)} bytes"
    )
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    if top:
        print(out.getvalue())
    else:
        print(f"   {stats.total_calls // requests} function calls/request")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--as", dest="handle", help="the demo person's handle")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)
    app = demo_app()
    pages = {p: args.handle or KEY_PAGES.get(p, "maya") for p in args.paths} or KEY_PAGES
    for path, handle in pages.items():
        profile(app, _resolve(app, path), handle, args.requests, args.top)


if __name__ == "__main__":
    main()
