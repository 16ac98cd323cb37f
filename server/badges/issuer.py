"""What an issuer publishes: its controller document (the keys that sign its credentials)
and its signed revocation list. Both are public and hold no personal data."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from server.badges import status
from server.badges.issuing import Issuing
from server.badges.jsonld import DID_V1, MULTIKEY_V1
from server.badges.service import issuer_by_slug, issuer_keys
from server.badges.urls import BadgeUrls
from server.models import Award, StackAward


def controller_document(*, session: Session, slug: str, issuing: Issuing) -> dict[str, Any]:
    """The issuer URL's document. Ids are absolute: verifiers compare the proof's
    verificationMethod with these strings as they are, without resolving relative ids.
    Every key ever used stays listed, so credentials signed before a rotation verify."""
    issuer = issuer_by_slug(session=session, slug=slug, issuing=issuing)
    urls = BadgeUrls(issuing.public_url)
    controller = urls.issuer(issuer.slug)
    keys = issuer_keys(session=session, issuer=issuer, issuing=issuing)
    methods = [
        {
            "id": urls.key(issuer.slug, key.key_id),
            "type": "Multikey",
            "controller": controller,
            "publicKeyMultibase": key.multikey,
        }
        for key in keys
    ]
    return {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": controller,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def revocation_list(
    *, session: Session, slug: str, issuing: Issuing, stacks: bool = False
) -> dict[str, Any]:
    """The awards' list, or with `stacks` the stack credentials' list."""
    issuer = issuer_by_slug(session=session, slug=slug, issuing=issuing)
    signing_key = issuer_keys(session=session, issuer=issuer, issuing=issuing)[-1]
    return status.status_list_credential(
        session=session,
        issuer=issuer,
        issuing=issuing,
        signing_key=signing_key,
        model=StackAward if stacks else Award,
    )
