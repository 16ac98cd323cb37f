"""A teacher's public badge profile: the awards they chose to make public, at
/badges/people/<slug>. No Flask here.

The slug is random (made when the teacher first makes an award public), not their handle:
it does not change when the handle does (it is signed into later credentials as the
subject's id), and nobody can walk the accounts by trying handles. An unknown slug and a
profile with nothing public answer the very same empty page. Revoked awards are left
out (their own verification page still says "Revoked"); private evidence never appears.
Public stack credentials are listed too.

Credentials: an award issued while the teacher has a profile carries its URL as the
credentialSubject `id`. Making an award public later does NOT re-sign it: a signed
credential is what the teacher may already have downloaded, baked or put in a wallet, and
two differing signed copies of one credential id would confuse verifiers. The profile
links every public award's verification page, which is what a reader follows anyway.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlmodel import Session

from server.badges.issuing import current
from server.badges.status import Listed
from server.badges.urls import BadgeUrls
from server.models import Award, BadgeProfile, Credential, Stack, StackAward, User

SLUG_BYTES = 12  # 16 characters of base64url: 96 random bits


@dataclass(frozen=True)
class ProfileCard:
    title: str
    issuer: str
    hours: Decimal  # 0 for a stack credential (its hours are its members')
    issued_at: datetime
    page_path: str  # the verification page, e.g. /badges/<uuid>
    image_path: str  # the badge image (SVG), e.g. /badges/achievements/<slug>/v1/image.svg
    stack: bool = False


@dataclass(frozen=True)
class PublicProfile:
    slug: str
    name: str | None  # None: nothing is shared here (unknown slug, or nothing public)
    cards: list[ProfileCard] = field(default_factory=list)

    @property
    def shared(self) -> bool:
        return bool(self.cards)

    @property
    def total_hours(self) -> Decimal:
        return sum((card.hours for card in self.cards), Decimal(0))


def profile_of(*, session: Session, user_id: int) -> BadgeProfile | None:
    return session.get(BadgeProfile, user_id)


def ensure_profile(*, session: Session, user: User) -> BadgeProfile:
    """The teacher's profile, made on first use (adds; the caller commits)."""
    profile = profile_of(session=session, user_id=user.id or 0)
    if profile is None:
        profile = BadgeProfile(user_id=user.id or 0, slug=secrets.token_urlsafe(SLUG_BYTES))
        session.add(profile)
        session.flush()
    return profile


def profile_url(*, session: Session, user_id: int, urls: BadgeUrls) -> str | None:
    profile = profile_of(session=session, user_id=user_id)
    return urls.profile(profile.slug) if profile else None


def _listed(model: Listed, user_id: int):
    return (
        model.user_id == user_id,
        model.visibility == "public",
        model.revoked_at.is_(None),
        model.ob3_json.is_not(None),
    )


def _signed(text: str | None) -> tuple[dict, dict]:
    document = json.loads(text or "{}")
    return document, document.get("credentialSubject", {})


def _cards(session: Session, user_id: int) -> list[ProfileCard]:
    paths = BadgeUrls("")  # site-relative paths
    cards = []
    for award, credential in session.execute(
        select(Award, Credential)
        .join(Credential, Credential.id == Award.credential_id)
        .where(*_listed(Award, user_id))
    ).all():
        document, subject = _signed(award.ob3_json)
        version = int(subject.get("achievement", {}).get("version", credential.version))
        cards.append(
            ProfileCard(
                title=document.get("name", credential.title),
                issuer=document.get("issuer", {}).get("name", ""),
                hours=Decimal(str(subject.get("creditsEarned", credential.credit_hours))),
                issued_at=award.issued_at,
                page_path=paths.award(award.uuid),
                image_path=paths.achievement_image(credential.slug, version),
            )
        )
    for stack_award, stack in session.execute(
        select(StackAward, Stack)
        .join(Stack, Stack.id == StackAward.stack_id)
        .where(*_listed(StackAward, user_id))
    ).all():
        document, _ = _signed(stack_award.ob3_json)
        cards.append(
            ProfileCard(
                title=document.get("name", stack.title),
                issuer=document.get("issuer", {}).get("name", ""),
                hours=Decimal(0),
                issued_at=stack_award.issued_at,
                page_path=paths.stack_award(stack_award.uuid),
                image_path=paths.stack_image(stack.slug),
                stack=True,
            )
        )
    # Newest first; a stack credential before the award that completed it.
    return sorted(cards, key=lambda card: (card.issued_at, card.stack), reverse=True)


def public_profile(*, session: Session, slug: str) -> PublicProfile:
    """What /badges/people/<slug> shows; the same empty answer for an unknown slug."""
    nothing = PublicProfile(slug=slug, name=None)
    if not isinstance(slug, str) or not 1 <= len(slug) <= 32:
        return nothing
    profile = session.execute(select(BadgeProfile).where(BadgeProfile.slug == slug)).scalar()
    if profile is None:
        return nothing
    teacher = session.get(User, profile.user_id)
    cards = _cards(session, profile.user_id) if teacher and not teacher.deactivated_at else []
    if not cards or teacher is None:
        return nothing
    return PublicProfile(slug=slug, name=teacher.display_name, cards=cards)


def shared_profile_url(*, session: Session, user: User, urls: BadgeUrls) -> str | None:
    """The teacher's profile link, once something is on it (for their own pages)."""
    profile = profile_of(session=session, user_id=user.id or 0)
    if profile is None:
        return None
    if not any(
        session.execute(select(model.id).where(*_listed(model, profile.user_id)).limit(1)).first()
        for model in (Award, StackAward)
    ):
        return None
    return urls.profile(profile.slug)


def my_profile_link(*, session: Session, user: User) -> str | None:
    """shared_profile_url under this app's public URL (for the teacher's own pages)."""
    return shared_profile_url(session=session, user=user, urls=BadgeUrls(current().public_url))
