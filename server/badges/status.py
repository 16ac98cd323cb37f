"""Revocation: W3C Bitstring Status List (VC 2.0). Each issuer publishes one signed
BitstringStatusListCredential for awards (an award's bit is at index = its id; 1 = revoked)
and one for stack credentials (index = the StackAward's id)."""

from __future__ import annotations

import base64
import gzip
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlmodel import Session

from server.badges import ob3, proof
from server.badges.issuing import Issuing
from server.badges.jsonld import VC_V2
from server.badges.urls import BadgeUrls
from server.models import Award, StackAward, utcnow

if TYPE_CHECKING:
    from server.badges.keys import IssuerKey

MIN_BITS = 131_072  # 16 KB: the spec's minimum, so a list says little about its issuer


class StatusUnreadable(ValueError):
    """The status list could not be decoded."""


Listed = type[Award] | type[StackAward]


def revoked_ids(*, session: Session, issuer: ob3.Issuer, model: Listed = Award) -> list[int]:
    where = model.org_id == issuer.org_id if issuer.org_id is not None else model.org_id.is_(None)
    return list(
        session.execute(select(model.id).where(where, model.revoked_at.is_not(None))).scalars()
    )


def encode(revoked: list[int], *, highest_index: int) -> str:
    bits = max(MIN_BITS, -(-(highest_index + 1) // MIN_BITS) * MIN_BITS)
    data = bytearray(bits // 8)
    for index in revoked:
        data[index // 8] |= 0x80 >> (index % 8)  # the first index is the leftmost bit
    packed = gzip.compress(bytes(data), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def bit_is_set(encoded: str, index: int) -> bool:
    try:
        body = encoded[1:]
        raw = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except Exception as err:
        raise StatusUnreadable("The status list could not be decoded.") from err
    if not encoded.startswith("u") or index // 8 >= len(raw):
        raise StatusUnreadable("The credential's place is not on the status list.")
    return bool(raw[index // 8] & (0x80 >> (index % 8)))


def highest_award_id(session: Session, model: Listed = Award) -> int:
    return session.execute(select(model.id).order_by(model.id.desc()).limit(1)).scalar() or 0


def encoded_list(*, session: Session, issuer: ob3.Issuer, model: Listed = Award) -> str:
    return encode(
        revoked_ids(session=session, issuer=issuer, model=model),
        highest_index=highest_award_id(session, model),
    )


def status_list_credential(
    *,
    session: Session,
    issuer: ob3.Issuer,
    issuing: Issuing,
    signing_key: IssuerKey,
    now: datetime | None = None,
    model: Listed = Award,
) -> dict[str, Any]:
    urls = BadgeUrls(issuing.public_url)
    url = (urls.stack_status_list if model is StackAward else urls.status_list)(issuer.slug)
    document: dict[str, Any] = {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": urls.issuer(issuer.slug),
        "validFrom": ob3.timestamp(now or utcnow()),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list(session=session, issuer=issuer, model=model),
        },
    }
    return proof.sign(
        document,
        private_key=signing_key.private_key,
        verification_method=urls.key(issuer.slug, signing_key.key_id),
        created=document["validFrom"],
    )
