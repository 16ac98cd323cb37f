"""The assessor's review page with 50 evidence items: how long one render takes.

Builds a throwaway SQLite database (one credential, one submitted attempt with 50 mixed
text/link/photo items, a qualified assessor), signs in through the Flask test client and
GETs the page 50 times after a short warm-up.

Run: python -m bench.review_page
"""

from __future__ import annotations

import time

from sqlmodel import Session

from bench.common import empty_app, summary_ms, write_result

ITEMS = 50
RUNS = 50
WARMUP = 5


def _seed(app) -> tuple[int, int]:
    from tests.support.factories import (
        appoint,
        make_credential,
        make_evidence_items,
        make_submission,
        make_user,
    )

    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        credential = make_credential(
            session, criteria=4, kinds=("photo", "text", "link"), title="Working Memory"
        )
        assessor = make_user(session, "assessor", name="Jordan Lee")
        appoint(session, assessor, credential)
        teacher = make_user(session, name="Maya Patel", school="Lincoln Elementary")
        submission = make_submission(session, teacher, credential, with_evidence=False)
        make_evidence_items(session, submission, count=ITEMS)
        return assessor.id, submission.id


def time_page(app, user_id: int, path: str) -> tuple[dict, str]:
    """Sign in as `user_id`, GET `path` WARMUP then RUNS times: the timings' summary and
    the last body."""
    from server.models import User
    from tests.support.web import sign_in_as

    client = app.test_client()
    sign_in_as(client, User(id=user_id))  # a real server-side session
    for _ in range(WARMUP):
        assert client.get(path).status_code == 200
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return summary_ms(samples), response.get_data(as_text=True)


def measure() -> dict:
    app = empty_app()
    assessor_id, submission_id = _seed(app)
    timings, html = time_page(app, assessor_id, f"/review/{submission_id}")
    assert html.count('<li class="review-evidence-item ') == ITEMS
    return {
        "page": "review.show",
        "evidence_items": ITEMS,
        "database": "sqlite",
        "html_bytes": len(html.encode()),
        **timings,
    }


def main() -> None:
    result = measure()
    path = write_result("review_page", result)
    print(
        f"review page ({ITEMS} evidence items, {result['n']} runs): "
        f"p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms -> {path}"
    )


if __name__ == "__main__":
    main()
