"""The review page of one attempt with 50 evidence items and both score sets of a double-
blind pair, as its claiming assessor gets it through the Flask app: p50 / p95 and bytes.

The attempt (one credential, 4 criteria, 50 mixed text / link / photo items) has two
decided Review rows of kind "blind" that disagree on one criterion, each with a
CriterionScore for every criterion, and a live claim by a lead assessor holding a scoring
draft. The page is GET as that lead, `--runs` times after a warm-up.

The lead's page shows both score sets side by side (server/review/pair_page.py);
bench/review_pair.py builds the same through the real claim/decide flow. --path points it
at another page of the same attempt; --pg-url runs it on
PostgreSQL (that database's tables are dropped and made anew).

Run: python -m bench.review_page [--runs 50] [--path /review/{submission}] [--pg-url URL]
"""

from __future__ import annotations

import argparse
import json
from datetime import timedelta

from sqlmodel import Session

from bench.common import write_result
from bench.review_common import analyze, database_label, review_app, signed_in, time_page

ITEMS = 50
CRITERIA = 4
RUNS = 50
PATH = "/review/{submission}"


def _seed(app) -> tuple[int, int]:
    """(lead assessor id, submission id)."""
    from server.catalog.service import criteria_for
    from server.models import (
        AssessorAppointment,
        CriterionScore,
        Review,
        ReviewKind,
        ScoringDraft,
        utcnow,
    )
    from tests.support.factories import (
        appoint,
        make_credential,
        make_evidence_items,
        make_review,
        make_submission,
        make_user,
    )

    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        credential = make_credential(
            session, criteria=CRITERIA, kinds=("photo", "text", "link"), title="Working Memory"
        )
        lead = make_user(session, "assessor", name="Lee Lead")
        blind = [make_user(session, "assessor", name=f"Blind {n}") for n in (1, 2)]
        for assessor in (lead, *blind):
            appoint(session, assessor, credential)
        # The stack's lead assessor: the one who reads both sets and reconciles.
        session.get(AssessorAppointment, (lead.id, credential.stack_id)).is_lead = True
        teacher = make_user(session, name="Maya Patel", school="Lincoln Elementary")
        submission = make_submission(session, teacher, credential)
        make_evidence_items(session, submission, count=ITEMS - 3)  # the factory made 3
        criteria = criteria_for(session=session, credential_id=credential.id)
        now = utcnow()
        for n, assessor in enumerate(blind):
            review = Review(
                submission_id=submission.id,
                assessor_id=assessor.id,
                claimed_at=now - timedelta(days=2),
                claimed_until=now - timedelta(days=1),
                decision="awarded" if n == 0 else "not_yet",
                feedback=f"Blind feedback {n}: the routine is clear; show the follow-up.",
                decided_at=now - timedelta(days=1),
                kind=ReviewKind.BLIND.value,
            )
            session.add(review)
            session.flush()
            for position, criterion in enumerate(criteria):
                met = n == 0 or position > 0  # they disagree on the first criterion
                comment = f"Seen at [0:{10 + position:02d}] in the clip ({n})."
                session.add(
                    CriterionScore(
                        review_id=review.id, criterion_id=criterion.id, met=met, comment=comment
                    )
                )
        session.commit()
        claim = make_review(session, submission, lead)
        claim.kind = ReviewKind.LEAD.value
        draft = {
            "scores": {str(c.id): {"met": "met", "comment": "So far"} for c in criteria},
            "feedback": "Half way through reconciling",
        }
        session.add(claim)
        session.add(ScoringDraft(review_id=claim.id, data=json.dumps(draft)))
        session.commit()
        return lead.id, submission.id


def measure(*, runs: int = RUNS, path: str = PATH, pg_url: str | None = None) -> dict:
    app = review_app(pg_url)
    lead_id, submission_id = _seed(app)
    analyze(app)
    url = path.format(submission=submission_id)
    figures, html = time_page(signed_in(app, lead_id), url, runs=runs)
    rendered = html.count('class="review-evidence-item')
    assert rendered == ITEMS, rendered
    assert "Draft restored" in html
    return {
        "page": url.replace(str(submission_id), "<id>"),
        "evidence_items": rendered,
        "score_sets": 2,
        "database": database_label(pg_url),
        **figures,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--path", default=PATH, help="the page, {submission} for its id")
    parser.add_argument("--pg-url", help="also measure on this PostgreSQL database")
    args = parser.parse_args(argv)
    results = {"sqlite": measure(runs=args.runs, path=args.path)}
    if args.pg_url:
        results["postgresql"] = measure(runs=args.runs, path=args.path, pg_url=args.pg_url)
    # The headline (bench/__main__.py's table) is SQLite's; each database is kept.
    path = write_result("review_page", {**results["sqlite"], "backends": results})
    for name, result in results.items():
        print(
            f"review page ({ITEMS} evidence items, 2 score sets, {name}, {result['n']} runs): "
            f"p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms, "
            f"{result['html_bytes'] / 1024:.1f} KiB -> {path}"
        )


if __name__ == "__main__":
    main()
