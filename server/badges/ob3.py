"""The Open Badges 3.0 OpenBadgeCredential of an award (unsigned; proof.py signs it).

Every property used here is defined by the VC 2.0 or OB 3.0.3 contexts: JavaScript
verifiers expand in safe mode and reject a credential with an undefined term, while pyld
would silently drop it. Evidence is never referenced: it shows children.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from server.badges.jsonld import OB_V3, VC_V2
from server.badges.urls import BadgeUrls
from server.models import Award, Credential, RubricCriterion, Stack, User
from server.timezones import iso_utc


@dataclass(frozen=True)
class Issuer:
    slug: str
    name: str
    org_id: int | None


@dataclass(frozen=True)
class AwardFacts:
    award: Award
    teacher: User
    credential: Credential
    stack: Stack
    criteria: list[RubricCriterion]
    met: dict[int, bool]  # criterion id → met, from the awarding review
    issuer: Issuer
    scoring: str = ""  # how the attempt was scored (review/modes.scoring_statement)


def number(value: float) -> int | float:
    """Whole numbers as JSON integers: JavaScript reads 2.0 as 2, and both sides must
    canonicalise the same literal."""
    return int(value) if float(value).is_integer() else float(value)


def timestamp(at: datetime) -> str:
    return iso_utc(at)


def identity_hash(value: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((value + salt).encode("utf-8")).hexdigest()


def recipient_identity(teacher: User) -> tuple[str, str]:
    """(identityType, plaintext): the email when we have one, else our account id."""
    if teacher.email:
        return "emailAddress", teacher.email.strip().lower()
    return "systemId", f"chalkmark:user:{teacher.id}"


def criteria_narrative(credential: Credential, criteria: list[RubricCriterion]) -> str:
    lines = [
        f"Competency: {credential.competency}".strip(),
        f"Key method: {credential.key_method}".strip(),
        "",
        "Scored against this public rubric; every criterion must be met:",
    ]
    for position, criterion in enumerate(criteria, start=1):
        lines.append(f"{position}. {criterion.title}: {criterion.met_descriptor}")
    return "\n".join(lines)


def _result_descriptions(
    achievement_id: str, criteria: list[RubricCriterion]
) -> list[dict[str, Any]]:
    return [
        {
            "id": f"{achievement_id}#criterion-{n}",
            "type": ["ResultDescription"],
            "name": criterion.title,
            "resultType": "RubricCriterionLevel",
            "requiredLevel": f"{achievement_id}#criterion-{n}-met",
            "rubricCriterionLevel": [
                {
                    "id": f"{achievement_id}#criterion-{n}-met",
                    "type": ["RubricCriterionLevel"],
                    "name": "Met",
                    "description": criterion.met_descriptor,
                },
                {
                    "id": f"{achievement_id}#criterion-{n}-not-yet",
                    "type": ["RubricCriterionLevel"],
                    "name": "Not yet",
                    "description": criterion.not_yet_descriptor,
                },
            ],
        }
        for n, criterion in enumerate(criteria, start=1)
    ]


def _results(achievement_id: str, facts: AwardFacts) -> list[dict[str, Any]]:
    results = []
    for n, criterion in enumerate(facts.criteria, start=1):
        level = "met" if facts.met.get(criterion.id) else "not-yet"
        results.append(
            {
                "type": ["Result"],
                "resultDescription": f"{achievement_id}#criterion-{n}",
                "achievedLevel": f"{achievement_id}#criterion-{n}-{level}",
            }
        )
    return results


def achievement(facts: AwardFacts, urls: BadgeUrls) -> dict[str, Any]:
    credential = facts.credential
    achievement_id = urls.achievement(credential.slug, credential.version)
    return {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": credential.title,
        "description": credential.competency or credential.title,
        "criteria": {"narrative": criteria_narrative(credential, facts.criteria)},
        "image": {
            "id": urls.achievement_image(credential.slug, credential.version),
            "type": "Image",
            "caption": f"{credential.title} badge",
        },
        "creditsAvailable": number(credential.credit_hours),
        "resultDescription": _result_descriptions(achievement_id, facts.criteria),
        "tag": [facts.stack.title],
        "version": str(credential.version),
    }


def issuer_profile(issuer: Issuer, urls: BadgeUrls) -> dict[str, Any]:
    return {
        "id": urls.issuer(issuer.slug),
        "type": ["Profile"],
        "name": issuer.name,
        "url": urls.base,
    }


def subject_identity(teacher: User, salt: str, profile_url: str | None) -> dict[str, Any]:
    """The credentialSubject's id (the public profile, when there is one at issue time)
    and its salted, hashed identifier."""
    identity_type, plaintext = recipient_identity(teacher)
    subject_id = {"id": profile_url} if profile_url else {}
    return {
        **subject_id,
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": identity_hash(plaintext, salt),
                "identityType": identity_type,
                "hashed": True,
                "salt": salt,
            }
        ],
    }


def status_entry(status_list: str, index: int) -> dict[str, Any]:
    return {
        "id": f"{status_list}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": status_list,
    }


def build(facts: AwardFacts, urls: BadgeUrls, *, profile_url: str | None = None) -> dict[str, Any]:
    """`profile_url`: the teacher's public badge profile, when they have one at issue
    time; it becomes the subject's `id` (a signed credential never changes afterwards)."""
    award, issuer = facts.award, facts.issuer
    return {
        "@context": [VC_V2, OB_V3],
        "id": urls.award(award.uuid),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": facts.credential.title,
        # VC 2.0's description: single assessor, or double blind (agreed / reconciled).
        **({"description": facts.scoring} if facts.scoring else {}),
        "issuer": issuer_profile(issuer, urls),
        "validFrom": timestamp(award.issued_at),
        "credentialSubject": {
            **subject_identity(facts.teacher, award.salt, profile_url),
            "achievement": achievement(facts, urls),
            "result": _results(
                urls.achievement(facts.credential.slug, facts.credential.version), facts
            ),
            "creditsEarned": number(facts.credential.credit_hours),
        },
        "credentialStatus": status_entry(urls.status_list(issuer.slug), award.id or 0),
    }
