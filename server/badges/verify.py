"""Verifying a stored credential the way an outside verifier would: the signature against
the issuer's published keys, the issuer and the subject, then its revocation bit on the
issuer's status list. The page shows the result of this, not a flag."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlmodel import Session

from server.badges import ob3, proof, status
from server.badges.issuing import Issuing
from server.badges.multibase import ed25519_from_multikey
from server.badges.service import issuer_keys, issuer_of
from server.badges.urls import BadgeUrls
from server.models import Award, StackAward


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


def published_keys_of(
    *, session: Session, issuer: ob3.Issuer, issuing: Issuing
) -> tuple[tuple[str, bytes], ...]:
    """verification method id → raw public key, as the issuer's controller document lists
    them; sorted pairs, hashable for the cache."""
    urls = BadgeUrls(issuing.public_url)
    return tuple(
        sorted(
            (urls.key(issuer.slug, key.key_id), ed25519_from_multikey(key.multikey))
            for key in issuer_keys(session=session, issuer=issuer, issuing=issuing)
        )
    )


@lru_cache(maxsize=4096)
def _proof_problem(text: str, keys: tuple[Any, ...], issuer_id: str, award_id: str) -> str:
    """ "" when the signed text verifies, else why not. Cached by the exact text and key
    set: the same bytes under the same keys always give the same answer, so a popular
    badge's page does not canonicalise it on every view."""
    try:
        document = json.loads(text)
        if not isinstance(document, dict):
            raise proof.ProofInvalid("The credential is not a JSON object.")
        issuer = document.get("issuer")
        named = issuer.get("id") if isinstance(issuer, dict) else issuer
        if named != issuer_id or document.get("id") != award_id:
            raise proof.ProofInvalid("The credential names a different issuer or badge.")
        proof.verify(document, public_key_for=dict(keys).get)
    except proof.ProofInvalid as err:
        return str(err)
    except ValueError:
        return "The credential is not valid JSON."
    return ""


def verify_text(text: str, *, session: Session, award: Award, issuing: Issuing) -> Verdict:
    url = BadgeUrls(issuing.public_url).award(award.uuid)
    return verify_signed(text, session=session, record=award, url=url, issuing=issuing)


def verify_signed(
    text: str, *, session: Session, record: Award | StackAward, url: str, issuing: Issuing
) -> Verdict:
    """`text` as the credential `url` of this award or stack credential: the signature
    against the issuer's published keys, then the bit it points at on the issuer's list
    (the awards' or the stack credentials')."""
    issuer = issuer_of(session=session, org_id=record.org_id, issuing=issuing)
    keys = published_keys_of(session=session, issuer=issuer, issuing=issuing)
    problem = _proof_problem(text, keys, BadgeUrls(issuing.public_url).issuer(issuer.slug), url)
    if problem:
        return Verdict(
            signature_valid=False, issuer_name=issuer.name, revoked=False, problem=problem
        )
    entry = json.loads(text).get("credentialStatus") or {}
    encoded = status.encoded_list(session=session, issuer=issuer, model=type(record))
    revoked = status.bit_is_set(encoded, int(entry.get("statusListIndex", record.id)))
    return Verdict(
        signature_valid=True,
        issuer_name=issuer.name,
        revoked=revoked,
        revoked_at=record.revoked_at if revoked else None,
        revocation_reason=record.revocation_reason if revoked else None,
    )


def verify_award(*, session: Session, award: Award, issuing: Issuing) -> Verdict:
    return verify_text(award.ob3_json or "", session=session, award=award, issuing=issuing)
