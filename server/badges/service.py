"""Badges: issue the signed OB 3.0 credential of an award, and find awards for readers.

`issue()` runs inside the deciding transaction (review.decide calls it after the award
row, the scores and the review are flushed); the caller commits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from server.badges import keys as keystore
from server.badges import ob3, proof
from server.badges.issuing import Issuing, current
from server.badges.profile import ensure_profile, profile_url
from server.badges.urls import BadgeUrls
from server.catalog.service import criteria_for
from server.errors import Forbidden, InvalidInput, NotFound
from server.models import (
    Award,
    Credential,
    CriterionScore,
    Decision,
    Org,
    Review,
    Stack,
    StackAward,
    Submission,
    User,
)
from server.review.modes import scoring_statement

INSTANCE_ISSUER = "chalkmark-instance"  # teachers in no district: the instance issues
VISIBILITIES = {
    "public": "Public: listed on my badge profile",
    "link": "Anyone with the link",
    "private": "Only me",
}


def issuer_of(*, session: Session, org_id: int | None, issuing: Issuing) -> ob3.Issuer:
    org = session.get(Org, org_id) if org_id else None
    if org is None:
        return ob3.Issuer(slug=INSTANCE_ISSUER, name=issuing.instance_name, org_id=None)
    return ob3.Issuer(slug=org.slug, name=org.name, org_id=org.id)


def issuer_by_slug(*, session: Session, slug: str, issuing: Issuing) -> ob3.Issuer:
    if slug == INSTANCE_ISSUER:
        return issuer_of(session=session, org_id=None, issuing=issuing)
    org = session.execute(select(Org).where(Org.slug == slug)).scalars().first()
    if org is None:
        raise NotFound("There is no issuer here by that name.")
    return ob3.Issuer(slug=org.slug, name=org.name, org_id=org.id)


def has_issued(*, session: Session, issuer: ob3.Issuer) -> bool:
    found = (
        select(Award.id).where(Award.ob3_json.is_not(None), Award.org_id == issuer.org_id)
        if issuer.org_id is not None
        else select(Award.id).where(Award.ob3_json.is_not(None), Award.org_id.is_(None))
    )
    return session.execute(found.limit(1)).first() is not None


def issuer_keys(
    *, session: Session, issuer: ob3.Issuer, issuing: Issuing
) -> list[keystore.IssuerKey]:
    """The issuer's keys; made on first use only when it never issued (see keys.py)."""
    try:
        return keystore.keyring(issuing.instance_dir, issuer.slug, may_create=False)
    except keystore.IssuerKeyMissing:
        if has_issued(session=session, issuer=issuer):
            raise
        return keystore.keyring(issuing.instance_dir, issuer.slug, may_create=True)


def award_facts(*, session: Session, award: Award, issuing: Issuing) -> ob3.AwardFacts:
    teacher = session.get_one(User, award.user_id)
    credential = session.get_one(Credential, award.credential_id)
    # The rubric of the version the attempt was reviewed against (see admin authoring).
    version = session.get_one(Submission, award.submission_id).credential_version
    criteria = criteria_for(session=session, credential_id=credential.id, version=version)
    met = dict(
        session.execute(
            select(CriterionScore.criterion_id, CriterionScore.met)
            .join(Review, Review.id == CriterionScore.review_id)
            .where(
                Review.submission_id == award.submission_id, Review.decision == Decision.AWARD.value
            )
        ).all()
    )
    org_id = award.org_id if award.ob3_json else teacher.org_id
    return ob3.AwardFacts(
        award=award,
        teacher=teacher,
        credential=credential,
        stack=session.get_one(Stack, credential.stack_id),
        criteria=criteria,
        met=met,
        issuer=issuer_of(session=session, org_id=org_id, issuing=issuing),
        scoring=scoring_statement(session=session, submission_id=award.submission_id),
    )


def issue(*, session: Session, award: Award, issuing: Issuing | None = None) -> Award:
    """Sign and store the award's OpenBadgeCredential (adds; the caller commits)."""
    issuing = issuing or current()
    session.add(award)
    session.flush()  # the award's id is its place on the revocation list
    facts = award_facts(session=session, award=award, issuing=issuing)
    urls = BadgeUrls(issuing.public_url)
    signing_key = issuer_keys(session=session, issuer=facts.issuer, issuing=issuing)[-1]
    # The subject's id is the teacher's public profile when they have one now; an award
    # made public later keeps the credential it was signed with (see profile.py).
    subject_url = profile_url(session=session, user_id=award.user_id, urls=urls)
    signed = proof.sign(
        ob3.build(facts, urls, profile_url=subject_url),
        private_key=signing_key.private_key,
        verification_method=urls.key(facts.issuer.slug, signing_key.key_id),
        created=ob3.timestamp(award.issued_at),
    )
    award.org_id = facts.issuer.org_id
    award.ob3_json = json.dumps(signed, ensure_ascii=False, separators=(",", ":"))
    session.add(award)
    return award


def award_by_uuid(*, session: Session, uuid: str) -> Award:
    if not isinstance(uuid, str) or len(uuid) != 36:
        raise NotFound("We couldn't find that badge.")
    award: Award | None = session.execute(select(Award).where(Award.uuid == uuid)).scalars().first()
    if award is None or award.ob3_json is None:
        raise NotFound("We couldn't find that badge.")
    return award


def hidden_from(record: Award | StackAward, viewer: User | None) -> bool:
    """A private award or stack credential opens for its owner only."""
    return record.visibility == "private" and (viewer is None or viewer.id != record.user_id)


def readable_award(*, session: Session, uuid: str, viewer: User | None) -> Award:
    """The award as the public page shows it: a private one only to its owner."""
    award = award_by_uuid(session=session, uuid=uuid)
    if hidden_from(award, viewer):
        raise NotFound("We couldn't find that badge.")
    return award


def choose_visibility(
    *, session: Session, owner: User, record: Award | StackAward, visibility: str
) -> None:
    """The owner's choice for an award or a stack credential; public makes their profile."""
    if record.user_id != owner.id:
        raise Forbidden("Only the person who earned a badge chooses who sees it.")
    if visibility not in VISIBILITIES:
        raise InvalidInput("Choose public, link-only or private.", field="visibility")
    record.visibility = visibility
    session.add(record)
    if visibility == "public":
        ensure_profile(session=session, user=owner)


def set_visibility(*, session: Session, owner: User, uuid: str, visibility: str) -> Award:
    award = award_by_uuid(session=session, uuid=uuid)
    choose_visibility(session=session, owner=owner, record=award, visibility=visibility)
    return award


@dataclass(frozen=True)
class StoredCredential:
    award: Award
    document: dict[str, Any]


def stored(award: Award) -> StoredCredential:
    if award.ob3_json is None:
        raise NotFound("This badge has no signed credential.")
    return StoredCredential(award=award, document=json.loads(award.ob3_json))


def award_of_submission(*, session: Session, submission_id: int) -> Award | None:
    return session.execute(
        select(Award).where(Award.submission_id == submission_id, Award.ob3_json.is_not(None))
    ).scalar()
