"""Open Badges: time to issue + sign one OB 3.0 credential, and the public verification
page's p95 with 100,000 awards in the table (the page verifies the stored credential and
reads the issuer's revocation list on every view).

Run: python -m bench.badges   (BADGES_BENCH_AWARDS=... to change the table size)
"""

from __future__ import annotations

import os
import time

from sqlalchemy import insert
from sqlmodel import Session

from bench.common import empty_app, summary_ms, write_result

ISSUED = 40
TABLE_AWARDS = int(os.environ.get("BADGES_BENCH_AWARDS", "100000"))
RUNS = 60
WARMUP = 5


def _issue_some(app) -> tuple[list[float], list[str]]:
    from server.badges import service as badges
    from server.models import Award
    from tests.support.factories import make_credential, make_org, make_submission, make_user

    samples, uuids = [], []
    with app.app_context(), Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        org = make_org(session, name="Riverbend Unified")
        credential = make_credential(session, criteria=5, title="Working Memory", credit_hours=2.5)
        for n in range(ISSUED):
            teacher = make_user(session, org_id=org.id, email=f"t{n}@example.org")
            award = Award(
                user_id=teacher.id,
                credential_id=credential.id,
                submission_id=make_submission(session, teacher, credential).id,
            )
            start = time.perf_counter()
            badges.issue(session=session, award=award)
            samples.append(time.perf_counter() - start)
            session.commit()
            uuids.append(award.uuid)
        _fill(session, org_id=org.id, credential_id=credential.id, user_id=teacher.id)
    return samples, uuids


def _fill(session: Session, *, org_id: int, credential_id: int, user_id: int) -> None:
    """Bulk rows so the table holds TABLE_AWARDS awards (1 % revoked), as a big district."""
    from server.models import Award, Submission, new_uuid, utcnow

    now = utcnow()
    batch = 10_000
    for start in range(0, TABLE_AWARDS - ISSUED, batch):
        rows = range(start, min(start + batch, TABLE_AWARDS - ISSUED))
        first = (
            session.execute(
                insert(Submission).returning(Submission.id),
                [
                    {
                        "user_id": user_id,
                        "credential_id": credential_id,
                        "attempt": 1000 + n,
                        "status": "awarded",
                        "created_at": now,
                        "updated_at": now,
                    }
                    for n in rows
                ],
            )
            .scalars()
            .all()
        )
        session.execute(
            insert(Award),
            [
                {
                    "uuid": new_uuid(),
                    "user_id": user_id,
                    "credential_id": credential_id,
                    "submission_id": sid,
                    "issued_at": now,
                    "salt": "0" * 32,
                    "org_id": org_id,
                    "ob3_json": "{}",
                    "visibility": "link",
                    "revoked_at": now if n % 100 == 0 else None,
                }
                for n, sid in zip(rows, first, strict=True)
            ],
        )
        session.commit()


def measure() -> dict:
    app = empty_app()
    issue_samples, uuids = _issue_some(app)
    client = app.test_client()
    for uuid in uuids[:WARMUP]:
        assert client.get(f"/badges/{uuid}").status_code == 200
    samples = []
    for n in range(RUNS):
        start = time.perf_counter()
        response = client.get(f"/badges/{uuids[n % len(uuids)]}")
        samples.append(time.perf_counter() - start)
        assert b"Verified: signature valid" in response.data
    return {
        "database": "sqlite",
        "awards_in_table": TABLE_AWARDS,
        "issue_and_sign": summary_ms(issue_samples),
        "verification_page": summary_ms(samples),
    }


def main() -> None:
    result = measure()
    path = write_result("badges", result)
    print(
        f"issue + sign one OB 3.0 credential: p50 {result['issue_and_sign']['p50_ms']:.1f} ms; "
        f"verification page at {TABLE_AWARDS:,} awards: p50 "
        f"{result['verification_page']['p50_ms']:.1f} ms, p95 "
        f"{result['verification_page']['p95_ms']:.1f} ms -> {path}"
    )


if __name__ == "__main__":
    main()
