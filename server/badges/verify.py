"""Verifying a stored credential the way an outside verifier would: the signature against
the issuer's published keys, the issuer and the subject, then its revocation bit on the
issuer's status list. The page shows the result of this, not a flag."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from server.badges import proof, status
from server.badges.issuing import Issuing
from server.badges.multibase import ed25519_from_multikey
from server.badges.service import issuer_keys, issuer_of
from server.badges.urls import BadgeUrls
from server.models import Award


@dataclass(frozen=True)
class Verdict:
    signature_valid: bool
    issuer_name: str
    revoked: bool
    problem: str = ""
    revoked_at: datetime | None = None
    revocation_reason: str | None = None

    @property
    def verified(self) -> bool:
        return self.signature_valid and not self.revoked


def published_keys(*, session: Session, award: Award, issuing: Issuing) -> dict[str, bytes]:
    """verification method id → raw public key, as the issuer's controller document lists."""
    issuer = issuer_of(session=session, org_id=award.org_id, issuing=issuing)
    urls = BadgeUrls(issuing.public_url)
    return {urls.key(issuer.slug, key.key_id): ed25519_from_multikey(key.multikey)
            for key in issuer_keys(session=session, issuer=issuer, issuing=issuing)}


def verify_document(document, *, session: Session, award: Award, issuing: Issuing) -> Verdict:
    issuer = issuer_of(session=session, org_id=award.org_id, issuing=issuing)
    urls = BadgeUrls(issuing.public_url)
    keys = published_keys(session=session, award=award, issuing=issuing)
    try:
        if not isinstance(document, dict):
            raise proof.ProofInvalid("The credential is not a JSON object.")
        issuer_id = (document.get("issuer") or {}).get("id") \
            if isinstance(document.get("issuer"), dict) else document.get("issuer")
        if issuer_id != urls.issuer(issuer.slug) or document.get("id") != urls.award(award.uuid):
            raise proof.ProofInvalid("The credential names a different issuer or badge.")
        proof.verify(document, public_key_for=keys.get)
    except proof.ProofInvalid as err:
        return Verdict(signature_valid=False, issuer_name=issuer.name, revoked=False,
                       problem=str(err))
    revoked = _revoked(document, session=session, award=award, issuer=issuer)
    return Verdict(signature_valid=True, issuer_name=issuer.name, revoked=revoked,
                   revoked_at=award.revoked_at if revoked else None,
                   revocation_reason=award.revocation_reason if revoked else None)


def _revoked(document: dict, *, session: Session, award: Award, issuer) -> bool:
    """Read the bit the credential points at, on the list the issuer publishes."""
    entry = document.get("credentialStatus") or {}
    encoded = status.encode(status.revoked_ids(session=session, issuer=issuer),
                            highest_index=status.highest_award_id(session))
    return status.bit_is_set(encoded, int(entry.get("statusListIndex", award.id)))


def verify_award(*, session: Session, award: Award, issuing: Issuing) -> Verdict:
    return verify_document(json.loads(award.ob3_json), session=session, award=award,
                           issuing=issuing)
