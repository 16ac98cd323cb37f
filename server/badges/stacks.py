"""Stack credentials: a teacher who holds every published credential of a stack gets a
stack-level OpenBadgeCredential too (achievementType "Certificate"), signed like an award
by the same district, with its own verification page, image and revocation list.

Choices:
- Its own table (StackAward) and its own status list per issuer (…/status/stack-revocation,
  index = the StackAward's id): awards keep their shape, and no index is shared.
- Issued in the transaction of the award that completes the stack (review.decide calls
  `after_award`); never twice while one stands unrevoked.
- No credit hours: the hours are on the member awards (a transcript that added both
  would count them twice), so the achievement carries no creditsAvailable/creditsEarned.
- Revoking any member award revokes the stack credential in the same transaction, with a
  reason that names the member; re-earning that credential issues a new stack credential.
- Members are the stack's credentials published at issue time; the achievement's id
  carries a digest of their slugs and versions, so a changed stack is a new achievement.
No Flask here.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlmodel import Session

from server.badges import ob3, proof
from server.badges.issuing import Issuing, current
from server.badges.jsonld import OB_V3, VC_V2
from server.badges.profile import profile_url
from server.badges.service import choose_visibility, hidden_from, issuer_keys, issuer_of
from server.badges.urls import BadgeUrls
from server.badges.verify import Verdict, verify_signed
from server.catalog.service import published_credential
from server.errors import NotFound
from server.models import (
    Award,
    Credential,
    Stack,
    StackAward,
    User,
    utcnow,
)


@dataclass(frozen=True)
class StackFacts:
    stack_award: StackAward
    teacher: User
    stack: Stack
    members: list[Credential]
    issuer: ob3.Issuer


def published_members(*, session: Session, stack_id: int) -> list[Credential]:
    return list(
        session.execute(
            select(Credential)
            .where(
                Credential.stack_id == stack_id,
                published_credential(),
            )
            .order_by(Credential.position, Credential.id)
        ).scalars()
    )


def _held(session: Session, user_id: int, stack_id: int) -> set[int]:
    """Credential ids of the stack the teacher holds an unrevoked award for."""
    return set(
        session.execute(
            select(Award.credential_id)
            .join(Credential, Credential.id == Award.credential_id)
            .where(
                Award.user_id == user_id,
                Award.revoked_at.is_(None),
                Credential.stack_id == stack_id,
            )
        ).scalars()
    )


def standing(*, session: Session, user_id: int, stack_id: int) -> StackAward | None:
    return session.execute(
        select(StackAward).where(
            StackAward.user_id == user_id,
            StackAward.stack_id == stack_id,
            StackAward.revoked_at.is_(None),
        )
    ).scalar()


def edition(members: list[Credential]) -> str:
    text = "\n".join(sorted(f"{c.slug}:v{c.version}" for c in members))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def criteria_narrative(stack: Stack, members: list[Credential]) -> str:
    lines = [f"Earned by holding every micro-credential of the stack {stack.title}:"]
    lines += [f"{n}. {c.title} (version {c.version})" for n, c in enumerate(members, start=1)]
    lines.append("Each was awarded against its public rubric, every criterion met.")
    return "\n".join(lines)


def build(facts: StackFacts, urls: BadgeUrls, *, subject_url: str | None) -> dict:
    stack_award, stack, issuer = facts.stack_award, facts.stack, facts.issuer
    return {
        "@context": [VC_V2, OB_V3],
        "id": urls.stack_award(stack_award.uuid),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": stack.title,
        "issuer": ob3.issuer_profile(issuer, urls),
        "validFrom": ob3.timestamp(stack_award.issued_at),
        "credentialSubject": {
            **ob3.subject_identity(facts.teacher, stack_award.salt, subject_url),
            "achievement": {
                "id": urls.stack_achievement(stack.slug, edition(facts.members)),
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": stack.title,
                "description": stack.summary or stack.title,
                "criteria": {"narrative": criteria_narrative(stack, facts.members)},
                "image": {
                    "id": urls.stack_image(stack.slug),
                    "type": "Image",
                    "caption": f"{stack.title} stack credential",
                },
                "tag": [stack.title],
            },
        },
        "credentialStatus": ob3.status_entry(
            urls.stack_status_list(issuer.slug), stack_award.id or 0
        ),
    }


def after_award(
    *, session: Session, award: Award, issuing: Issuing | None = None
) -> StackAward | None:
    """Issue the stack credential when this award completes the stack (adds; the caller
    commits). None when the stack is not complete or a stack credential already stands.

    Two decisions completing one teacher's stack at once queue on the teacher's row
    (FOR NO KEY UPDATE: foreign-key checks elsewhere are not blocked), so the second
    reads the first's committed award and issues exactly one stack credential."""
    session.execute(select(User.id).where(User.id == award.user_id).with_for_update(key_share=True))
    credential = session.get_one(Credential, award.credential_id)
    members = published_members(session=session, stack_id=credential.stack_id)
    if not members or standing(
        session=session, user_id=award.user_id, stack_id=credential.stack_id
    ):
        return None
    if not {c.id for c in members} <= _held(session, award.user_id, credential.stack_id):
        return None
    return issue(
        session=session,
        user_id=award.user_id,
        stack_id=credential.stack_id,
        members=members,
        issued_at=award.issued_at,
        issuing=issuing,
    )


def issue(
    *,
    session: Session,
    user_id: int,
    stack_id: int,
    members: list[Credential],
    issued_at: datetime,
    issuing: Issuing | None = None,
) -> StackAward:
    issuing = issuing or current()
    teacher = session.get_one(User, user_id)
    issuer = issuer_of(session=session, org_id=teacher.org_id, issuing=issuing)
    stack_award = StackAward(
        user_id=user_id, stack_id=stack_id, org_id=issuer.org_id, issued_at=issued_at
    )
    session.add(stack_award)
    session.flush()  # its id is its place on the stack revocation list
    facts = StackFacts(stack_award, teacher, session.get_one(Stack, stack_id), members, issuer)
    urls = BadgeUrls(issuing.public_url)
    signing_key = issuer_keys(session=session, issuer=issuer, issuing=issuing)[-1]
    signed = proof.sign(
        build(facts, urls, subject_url=profile_url(session=session, user_id=user_id, urls=urls)),
        private_key=signing_key.private_key,
        verification_method=urls.key(issuer.slug, signing_key.key_id),
        created=ob3.timestamp(issued_at),
    )
    stack_award.ob3_json = json.dumps(signed, ensure_ascii=False, separators=(",", ":"))
    session.add(stack_award)
    return stack_award


def revoke_with_member(*, session: Session, award: Award, now: datetime | None = None) -> None:
    """A member award was revoked: the stack credential standing on it goes too."""
    credential = session.get_one(Credential, award.credential_id)
    session.exec(
        update(StackAward)
        .where(
            StackAward.user_id == award.user_id,
            StackAward.stack_id == credential.stack_id,
            StackAward.revoked_at.is_(None),
        )
        .values(
            revoked_at=now or utcnow(),
            revocation_reason=f"its member credential {credential.title} was revoked."[:500],
        )
        .execution_options(synchronize_session="fetch")
    )


def readable_stack_award(*, session: Session, uuid: str, viewer: User | None) -> StackAward:
    found = stack_award_by_uuid(session=session, uuid=uuid)
    if hidden_from(found, viewer):
        raise NotFound("We couldn't find that stack credential.")
    return found


def set_visibility(*, session: Session, owner: User, uuid: str, visibility: str) -> StackAward:
    found = stack_award_by_uuid(session=session, uuid=uuid)
    choose_visibility(session=session, owner=owner, record=found, visibility=visibility)
    return found


def stack_award_by_uuid(*, session: Session, uuid: str) -> StackAward:
    if not isinstance(uuid, str) or len(uuid) != 36:
        raise NotFound("We couldn't find that stack credential.")
    found = session.execute(select(StackAward).where(StackAward.uuid == uuid)).scalar()
    if found is None or found.ob3_json is None:
        raise NotFound("We couldn't find that stack credential.")
    return found


@dataclass(frozen=True)
class StackPage:
    facts: StackFacts
    verdict: Verdict
    member_awards: list[tuple[Credential, Award]]
    page_url: str
    image_url: str


def stack_page(*, session: Session, stack_award: StackAward, issuing: Issuing) -> StackPage:
    """What the stack credential's verification page shows: the teacher's awards of the
    stack's credentials, and a live verification."""
    stack = session.get_one(Stack, stack_award.stack_id)
    member_awards = [
        (credential, award)
        for award, credential in session.execute(
            select(Award, Credential)
            .join(Credential, Credential.id == Award.credential_id)
            .where(Award.user_id == stack_award.user_id, Credential.stack_id == stack.id)
            .order_by(Credential.position, Credential.id)
        ).all()
    ]
    facts = StackFacts(
        stack_award,
        session.get_one(User, stack_award.user_id),
        stack,
        [credential for credential, _ in member_awards],
        issuer_of(session=session, org_id=stack_award.org_id, issuing=issuing),
    )
    urls = BadgeUrls(issuing.public_url)
    return StackPage(
        facts=facts,
        verdict=verify_stack(session=session, stack_award=stack_award, issuing=issuing),
        member_awards=member_awards,
        page_url=urls.stack_award(stack_award.uuid),
        image_url=urls.stack_image(stack.slug, "png"),
    )


def verify_stack(*, session: Session, stack_award: StackAward, issuing: Issuing) -> Verdict:
    return verify_signed(
        stack_award.ob3_json or "",
        session=session,
        record=stack_award,
        url=BadgeUrls(issuing.public_url).stack_award(stack_award.uuid),
        issuing=issuing,
    )


def document(stack_award: StackAward) -> dict:
    if stack_award.ob3_json is None:
        raise NotFound("This stack credential has no signed credential.")
    return json.loads(stack_award.ob3_json)
