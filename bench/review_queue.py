"""The review queue page at 10,000 waiting submissions, as an assessor gets it through the
Flask app: p50 / p95, bytes and rows rendered, on SQLite and (with --pg-url) PostgreSQL.

One district: 2,000 teachers × 5 credentials of a stack the assessor is appointed to, all
submitted over the last 60 days; the assessor holds 20 live claims, each with a scoring
draft. Three pages are timed: the first page of everything waiting, a deep page (rows
4,951-5,000, where page 100 of the old offset paging was: reached by following "Next
page" 99 times, as an assessor would) and "Assigned to me" (the 20 claims, each marked
"Draft saved").

Run: python -m bench.review_queue [--runs 50] [--waiting 10000] [--pg-url URL]
"""

from __future__ import annotations

import argparse
import html as html_text
import json
import re
from datetime import timedelta

from sqlalchemy import insert, select
from sqlmodel import Session

from bench.common import write_result
from bench.review_common import ROWS, analyze, database_label, review_app, signed_in, time_page

WAITING = 10_000
CREDENTIALS = 5
CLAIMS = 20
RUNS = 50
DEEP_PAGE = 100  # rows 4,951-5,000
NEXT_LINK = re.compile(r'<a href="([^"]+)" rel="next"')


def _seed(app, waiting: int) -> int:
    """The assessor's id, after inserting `waiting` submitted attempts in bulk."""
    from server.models import Credential, Review, ScoringDraft, Submission, User, utcnow
    from tests.support.factories import appoint, make_credential, make_org, make_stack, make_user

    now = utcnow()
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        org = make_org(session, name="Riverbend Unified")
        stack = make_stack(session)
        credentials = [
            make_credential(session, stack=stack, title=f"Fractions {n}").id
            for n in range(CREDENTIALS)
        ]
        assessor = make_user(session, "assessor", name="Jordan Reyes", org_id=org.id)
        appoint(session, assessor, session.get_one(Credential, credentials[0]))  # the stack
        teachers = -(-waiting // CREDENTIALS)
        session.execute(
            insert(User),
            [
                {
                    "handle": f"bench-teacher-{n}",
                    "display_name": f"Teacher {n}",
                    "org_id": org.id,
                    "school": f"School {n % 40}",
                    "roles": "teacher",
                }
                for n in range(teachers)
            ],
        )
        ids = session.execute(
            select(User.id).where(User.handle.like("bench-teacher-%")).order_by(User.id)
        ).scalars()
        rows = [
            {
                "user_id": user_id,
                "credential_id": credential,
                "status": "submitted",
                "submitted_at": now - timedelta(minutes=(n * 7919) % (60 * 24 * 60)),
            }
            for n, (user_id, credential) in enumerate((u, c) for u in ids for c in credentials)
        ][:waiting]
        session.execute(insert(Submission), rows)
        claimed = session.execute(
            select(Submission.id).order_by(Submission.id.desc()).limit(CLAIMS)
        ).scalars()
        for submission_id in list(claimed):
            review = Review(
                submission_id=submission_id,
                assessor_id=assessor.id,
                claimed_at=now,
                claimed_until=now + timedelta(hours=48),
            )
            session.add(review)
            session.flush()
            session.add(
                ScoringDraft(review_id=review.id, data=json.dumps({"scores": {}, "feedback": "x"}))
            )
            session.get_one(Submission, submission_id).status = "in_review"
        session.commit()
        return assessor.id


def measure(*, runs: int = RUNS, waiting: int = WAITING, pg_url: str | None = None) -> dict:
    app = review_app(pg_url)
    assessor_id = _seed(app, waiting)
    analyze(app)
    client = signed_in(app, assessor_id)
    deep, hops = _follow_next(client, DEEP_PAGE - 1)
    assert waiting < DEEP_PAGE * 50 or hops == DEEP_PAGE - 1, hops
    pages = {}
    for name, path, expected in (
        ("first page", "/review", 50),
        ("deep page", deep, 50 if waiting >= DEEP_PAGE * 50 else None),
        ("assigned to me", "/review?show=mine", CLAIMS),
    ):
        figures, html = time_page(client, path, runs=runs)
        rendered = len(ROWS.findall(html))
        assert expected is None or rendered == expected, (name, rendered)
        if name == "assigned to me":
            assert html.count("Draft saved") == CLAIMS
        pages[name] = {"path": path, "rows_rendered": rendered, **figures}
    return {"waiting": waiting, "database": database_label(pg_url), "pages": pages}


def _follow_next(client, times: int) -> tuple[str, int]:
    """The queue page reached from the first by following its "Next page" link up to
    `times` times (the last page, if the queue ends sooner), and how many it followed."""
    path, hops = "/review", 0
    while hops < times:
        found = NEXT_LINK.search(client.get(path).get_data(as_text=True))
        if found is None:
            break
        path, hops = html_text.unescape(found[1]), hops + 1
    return path, hops


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--waiting", type=int, default=WAITING)
    parser.add_argument("--pg-url", help="also measure on this PostgreSQL database")
    args = parser.parse_args(argv)
    backends = {"sqlite": measure(runs=args.runs, waiting=args.waiting)}
    if args.pg_url:
        backends["postgresql"] = measure(runs=args.runs, waiting=args.waiting, pg_url=args.pg_url)
    path = write_result("review_queue", {"backends": backends})
    for name, result in backends.items():
        for page, figures in result["pages"].items():
            print(
                f"review queue at {result['waiting']:,} waiting, {page} ({name}): "
                f"p50 {figures['p50_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms, "
                f"{figures['html_bytes'] / 1024:.1f} KiB, {figures['rows_rendered']} rows"
            )
    print(f"-> {path}")


if __name__ == "__main__":
    main()
