"""The lead assessor's review page of a double-blind attempt with 50 evidence items and
both assessors' score sets side by side: how long one render takes.

Builds a throwaway SQLite database (a district scoring double blind, one attempt with 50
mixed text/link/photo items, two assessors who differ on one of four criteria, a lead),
signs in as the lead through the Flask test client and GETs the page 50 times after a
short warm-up.

Run: python -m bench.review_pair
"""

from __future__ import annotations

from sqlmodel import Session

from bench.common import write_result
from bench.review_common import analyze, database_label, review_app, signed_in, time_page
from bench.review_page import ITEMS, RUNS

CRITERIA = 4


def _seed(app) -> tuple[int, int]:
    from server.models import AssessorAppointment
    from server.review.service import decide
    from tests.support.double_data import district_mode
    from tests.support.factories import (
        appoint,
        make_credential,
        make_evidence_items,
        make_org,
        make_submission,
        make_user,
    )
    from tests.support.review_data import all_met

    with app.app_context(), Session(app.extensions["db_engine"], expire_on_commit=False) as db:
        org = make_org(db, name="Riverbend Unified")
        district_mode(db, org, "double_blind")
        credential = make_credential(
            db, criteria=CRITERIA, kinds=("photo", "text", "link"), title="Working Memory"
        )
        pair = [make_user(db, "assessor", name=n, org_id=org.id) for n in ("Ada", "Bo")]
        for person in pair:
            appoint(db, person, credential)
        lead = make_user(db, "assessor", name="Cy Lead", org_id=org.id)
        db.add(AssessorAppointment(user_id=lead.id, stack_id=credential.stack_id, is_lead=True))
        teacher = make_user(db, name="Maya Patel", school="Lincoln Elementary", org_id=org.id)
        submission = make_submission(db, teacher, credential, with_evidence=False)
        make_evidence_items(db, submission, count=ITEMS)
        for person, differ in zip(pair, (False, True), strict=True):
            scores = all_met(db, credential, comment="A comment of a sentence or two. " * 4)
            first = next(iter(scores))
            if differ:
                scores[first] = (False, "Not shown in the evidence yet.")
            decide(
                session=db,
                assessor=person,
                submission_id=submission.id,
                decision="not_yet" if differ else "award",
                scores=scores,
                feedback="Overall feedback of a few sentences. " * 5,
            )
            db.commit()
        return lead.id, submission.id


def measure(pg_url: str | None = None) -> dict:
    app = review_app(pg_url)
    lead_id, submission_id = _seed(app)
    analyze(app)
    timings, html = time_page(signed_in(app, lead_id), f"/review/{submission_id}", runs=RUNS)
    assert html.count('<li class="review-evidence-item ') == ITEMS
    assert "Assessor 1" in html and "Assessor 2" in html and "Differ" in html
    return {
        "page": "review.show (lead, both score sets)",
        "evidence_items": ITEMS,
        "criteria": CRITERIA,
        "database": database_label(pg_url),
        "html_bytes": len(html.encode()),
        **timings,
    }


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", help="measure on this PostgreSQL database instead")
    result = measure(parser.parse_args(argv).pg_url)
    path = write_result("review_pair", result)
    print(
        f"lead's review page ({ITEMS} evidence items, both score sets, {result['n']} runs): "
        f"p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms -> {path}"
    )


if __name__ == "__main__":
    main()
