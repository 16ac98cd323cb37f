"""Open Badges 2.0 hosted verification: the Assertion, BadgeClass and Issuer that Canvas
Credentials, Credly and Badgr backpacks import, each at a stable URL."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from server.badges import ob3
from server.badges.urls import BadgeUrls
from server.models import Award, Credential

OB2_CONTEXT = "https://w3id.org/openbadges/v2"


def assertion(facts: ob3.AwardFacts, urls: BadgeUrls) -> dict[str, Any]:
    award, credential = facts.award, facts.credential
    identity_type, plaintext = ob3.recipient_identity(facts.teacher)
    return {
        "@context": OB2_CONTEXT,
        "type": "Assertion",
        "id": urls.assertion(award.uuid),
        "recipient": {
            "type": "email" if identity_type == "emailAddress" else "id",
            "hashed": True,
            "salt": award.salt,
            "identity": ob3.identity_hash(plaintext, award.salt),
        },
        "badge": urls.badge_class(facts.issuer.slug, credential.slug, credential.version),
        "issuedOn": ob3.timestamp(award.issued_at),
        "verification": {"type": "hosted"},
        "image": f"{urls.award(award.uuid)}/badge.png",
    }


def revoked_assertion(award: Award, urls: BadgeUrls) -> dict[str, Any]:
    return {
        "@context": OB2_CONTEXT,
        "type": "Assertion",
        "id": urls.assertion(award.uuid),
        "revoked": True,
        "revocationReason": award.revocation_reason or "",
    }


def badge_class(
    *,
    credential: Credential,
    stack_title: str,
    criteria_narrative: str,
    issuer_slug: str,
    urls: BadgeUrls,
) -> dict[str, Any]:
    achievement = urls.achievement(credential.slug, credential.version)
    return {
        "@context": OB2_CONTEXT,
        "type": "BadgeClass",
        "id": urls.badge_class(issuer_slug, credential.slug, credential.version),
        "name": credential.title,
        "description": credential.competency or credential.title,
        "image": f"{achievement}/image.png",
        "criteria": {"id": achievement, "narrative": criteria_narrative},
        "issuer": urls.issuer_ob2(issuer_slug),
        "tags": [stack_title],
    }


def issuer_profile(issuer: ob3.Issuer, urls: BadgeUrls) -> dict[str, Any]:
    return {
        "@context": OB2_CONTEXT,
        "type": "Issuer",
        "id": urls.issuer_ob2(issuer.slug),
        "name": issuer.name,
        "url": urls.base,
        "email": f"admin@{urlparse(urls.base).hostname or 'localhost'}",
    }
