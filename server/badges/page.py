"""What the public verification page shows, gathered from the stored credential and a
live verification of it (status comes from the proof and the status list, not a flag)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select
from sqlmodel import Session

from server.badges import ob2, ob3
from server.badges.issuing import Issuing
from server.badges.service import award_facts, issuer_by_slug
from server.badges.urls import BadgeUrls
from server.badges.verify import Verdict, verify_award
from server.errors import NotFound
from server.models import Award, Credential, Stack

LINKEDIN_ADD = "https://www.linkedin.com/profile/add"


@dataclass(frozen=True)
class BadgePage:
    facts: ob3.AwardFacts
    verdict: Verdict
    page_url: str
    image_url: str
    linkedin_url: str

    @property
    def criteria(self) -> list[tuple[Any, ...]]:
        return [(c, bool(self.facts.met.get(c.id))) for c in self.facts.criteria]


def linkedin_url(facts: ob3.AwardFacts, page_url: str) -> str:
    """LinkedIn's add-to-profile link, prefilled (the certification form opens filled in)."""
    issued = facts.award.issued_at
    return (
        LINKEDIN_ADD
        + "?"
        + urlencode(
            {
                "startTask": "CERTIFICATION_NAME",
                "name": facts.credential.title,
                "organizationName": facts.issuer.name,
                "issueYear": issued.year,
                "issueMonth": issued.month,
                "certUrl": page_url,
                "certId": facts.award.uuid,
            }
        )
    )


def badge_page(*, session: Session, award: Award, issuing: Issuing) -> BadgePage:
    facts = award_facts(session=session, award=award, issuing=issuing)
    urls = BadgeUrls(issuing.public_url)
    page_url = urls.award(award.uuid)
    return BadgePage(
        facts=facts,
        verdict=verify_award(session=session, award=award, issuing=issuing),
        page_url=page_url,
        image_url=urls.achievement_image(facts.credential.slug, facts.credential.version).replace(
            ".svg", ".png"
        ),
        linkedin_url=linkedin_url(facts, page_url),
    )


def ob2_assertion(*, session: Session, award: Award, issuing: Issuing) -> dict[str, Any]:
    urls = BadgeUrls(issuing.public_url)
    if award.revoked_at is not None:
        return ob2.revoked_assertion(award, urls)
    return ob2.assertion(award_facts(session=session, award=award, issuing=issuing), urls)


def versioned_credential(*, session: Session, slug: str, version: int) -> tuple[Credential, Stack]:
    credential = session.execute(select(Credential).where(Credential.slug == slug)).scalar()
    if credential is None or not 1 <= version <= credential.version:
        raise NotFound("There is no badge by that name and version.")
    return credential, session.get_one(Stack, credential.stack_id)


def ob2_badge_class(
    *, session: Session, issuer_slug: str, slug: str, version: int, issuing: Issuing
) -> dict[str, Any]:
    """Built from a credential this issuer signed for that version, so the class stays
    what it was when it was awarded even after the catalog changes."""
    issuer = issuer_by_slug(session=session, slug=issuer_slug, issuing=issuing)
    credential, stack = versioned_credential(session=session, slug=slug, version=version)
    urls = BadgeUrls(issuing.public_url)
    wanted = urls.achievement(slug, version)
    where = Award.org_id == issuer.org_id if issuer.org_id is not None else Award.org_id.is_(None)
    for stored in session.execute(
        select(Award.ob3_json)
        .where(where, Award.credential_id == credential.id, Award.ob3_json.is_not(None))
        .order_by(Award.id.desc())
        .limit(20)
    ).scalars():
        achievement = json.loads(stored)["credentialSubject"]["achievement"]
        if achievement.get("id") == wanted:
            frozen = credential.model_copy(
                update={
                    "title": achievement["name"],
                    "competency": achievement["description"],
                    "version": version,
                }
            )
            return ob2.badge_class(
                credential=frozen,
                stack_title=stack.title,
                criteria_narrative=achievement["criteria"]["narrative"],
                issuer_slug=issuer.slug,
                urls=urls,
            )
    raise NotFound("This issuer has not awarded that badge.")


def ob2_issuer(*, session: Session, slug: str, issuing: Issuing) -> dict[str, Any]:
    issuer = issuer_by_slug(session=session, slug=slug, issuing=issuing)
    return ob2.issuer_profile(issuer, BadgeUrls(issuing.public_url))
