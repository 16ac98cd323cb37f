"""Badge test helpers: an awarded credential, the documents a verifier fetches, and the
independent verifier (Digital Bazaar's JavaScript VC stack, run with node)."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, select

from server.badges.jsonld import CONTEXT_DIR
from server.models import Award, Credential, Org, User
from server.review.service import decide
from tests.support.factories import appoint, make_credential, make_org, make_submission, make_user
from tests.support.review_data import all_met

VERIFIER_DIR = Path(__file__).resolve().parent.parent / "verifier"


@dataclass
class Awarded:
    org: Org
    teacher: User
    assessor: User
    admin: User
    credential: Credential
    award: Award


def award_one(
    session: Session,
    *,
    org: Org | None = None,
    credit_hours: float = 2.5,
    teacher: User | None = None,
    credential: Credential | None = None,
) -> Awarded:
    """A teacher in a district earns a credential through the real decision."""
    org = org or make_org(session, name="Riverbend Unified")
    credential = credential or make_credential(
        session, title="Working Memory", credit_hours=credit_hours
    )
    assessor = make_user(session, "assessor", org_id=org.id)
    admin = make_user(session, "admin", org_id=org.id)
    teacher = teacher or make_user(
        session, name="Maya Patel", org_id=org.id, email=f"maya{credential.id}@example.org"
    )
    appoint(session, assessor, credential)
    submission = make_submission(session, teacher, credential)
    decide(
        session=session,
        assessor=assessor,
        submission_id=submission.id,
        decision="award",
        scores=all_met(session, credential),
        feedback="Great work.",
    )
    session.commit()
    award = session.execute(select(Award).where(Award.submission_id == submission.id)).scalar_one()
    return Awarded(org, teacher, assessor, admin, credential, award)


def public_documents(client, award: Award | None, *, download: str = "") -> tuple[dict, dict]:
    """The credential as downloaded (from `download`, else the award's), and every URL a
    verifier would dereference for it, fetched through the app."""
    download = download or f"/badges/{award.uuid}/ob3.json" if award else download
    credential = client.get(download).get_json(force=True)
    documents = {}
    for url in (credential["issuer"]["id"], credential["credentialStatus"]["statusListCredential"]):
        path = url.split("://", 1)[1].split("/", 1)[1]
        response = client.get("/" + path)
        assert response.status_code == 200, url
        documents[url] = response.get_json(force=True)
    return credential, documents


def ensure_verifier() -> None:
    if not (VERIFIER_DIR / "node_modules").is_dir():
        subprocess.run(
            ["npm", "ci", "--prefix", str(VERIFIER_DIR), "--no-audit", "--no-fund"],
            check=True,
            capture_output=True,
        )


def verify_independently(credential: dict, documents: dict, tmp_path: Path) -> dict:
    """Digital Bazaar's verdict: {verified, proofVerified, revoked, statusVerified, errors}."""
    assert shutil.which("node"), "node is needed for the independent OB 3.0 verifier"
    ensure_verifier()
    credential_file = tmp_path / "credential.json"
    documents_file = tmp_path / "documents.json"
    credential_file.write_text(json.dumps(credential))
    documents_file.write_text(json.dumps(documents))
    done = subprocess.run(
        [
            "node",
            str(VERIFIER_DIR / "verify.mjs"),
            str(credential_file),
            str(documents_file),
            str(CONTEXT_DIR),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])
