"""The WebAuthn ceremonies: create a passkey (sign-up or another device) and, in
passkey_sign_in.py, sign in.

Each ceremony is two steps. `begin_*` stores the challenge server-side with an expiry and
returns the options for the browser; `finish_*` deletes that challenge (committed) BEFORE it
verifies anything, so a replayed response finds nothing. py_webauthn's messages are for us,
not for the person: they are logged and replaced by a clear message.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from webauthn import (
    generate_registration_options,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url, options_to_json_dict
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialCreationOptions,
    PublicKeyCredentialDescriptor,
    PublicKeyCredentialRequestOptions,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)
from webauthn.registration.verify_registration_response import VerifiedRegistration

from server import timezones
from server.auth import challenges, devicelinks, service
from server.auth.challenges import EXPIRED
from server.errors import ChalkmarkError, Conflict, Expired
from server.models import Passkey, User

log = logging.getLogger(__name__)

REGISTER, LOGIN, ADD_DEVICE = "register", "login", "add-device"
NOT_VERIFIED = (
    "We couldn't verify your passkey. Please try again, and let your device "
    "check it's you (fingerprint, face or PIN) when it asks."
)
ALREADY_ADDED = "This passkey is already registered. Sign in with it instead."


class PasskeyRejected(ChalkmarkError):
    status_code = 400
    title = "Passkey not accepted"


@dataclass(frozen=True)
class PasskeyUse:
    """Who a ceremony signed in, and with which passkey (the session records it, so
    removing that passkey ends the session)."""

    user: User
    passkey: Passkey


@dataclass(frozen=True)
class RelyingParty:
    id: str
    name: str
    origin: str
    challenge_ttl_seconds: int = 300

    @property
    def timeout_ms(self) -> int:
        return self.challenge_ttl_seconds * 1000


def remember_challenge(
    session: Session,
    rp: RelyingParty,
    purpose: str,
    options: PublicKeyCredentialCreationOptions | PublicKeyCredentialRequestOptions,
    user_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Store the ceremony's challenge; the browser gets its id and the options."""
    row = challenges.store_challenge(
        session=session,
        ttl_seconds=rp.challenge_ttl_seconds,
        purpose=purpose,
        challenge=options.challenge,
        user_id=user_id,
        payload=payload,
    )
    return {"challengeId": row.id, "publicKey": options_to_json_dict(options)}


# --- creating a passkey -------------------------------------------------------------


def _creation_options(
    rp: RelyingParty,
    *,
    user_handle: str,
    name: str,
    display_name: str,
    exclude: Sequence[Passkey] = (),
) -> PublicKeyCredentialCreationOptions:
    return generate_registration_options(
        rp_id=rp.id,
        rp_name=rp.name,
        user_id=base64url_to_bytes(user_handle),
        user_name=name,
        user_display_name=display_name,
        timeout=rp.timeout_ms,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(p.credential_id)) for p in exclude
        ],
    )


def begin_sign_up(
    *,
    session: Session,
    rp: RelyingParty,
    display_name: str | None,
    email: str | None,
    timezone: str | None = None,
) -> dict[str, Any]:
    """Validates the sign-up form (the time zone is the browser's, UTC when it gave none);
    the account itself is made only once a passkey exists."""
    profile = service.check_new_profile(session=session, display_name=display_name, email=email)
    zone = timezones.clean_name(timezone)
    user_handle = service.new_webauthn_user_id()
    options = _creation_options(
        rp,
        user_handle=user_handle,
        name=profile.email or profile.display_name,
        display_name=profile.display_name,
    )
    return remember_challenge(
        session,
        rp,
        REGISTER,
        options,
        payload={
            "display_name": profile.display_name,
            "email": profile.email,
            "user_handle": user_handle,
            "timezone": zone,
        },
    )


def begin_add_passkey(
    *, session: Session, rp: RelyingParty, user: User, device_link_id: int | None = None
) -> dict[str, Any]:
    """Another passkey for an existing person (signed in here, or through a device link)."""
    user_handle = service.ensure_webauthn_user_id(session=session, user=user)
    options = _creation_options(
        rp,
        user_handle=user_handle,
        name=user.email or user.handle,
        display_name=user.display_name,
        exclude=service.list_passkeys(session=session, user=user),
    )
    return remember_challenge(
        session,
        rp,
        ADD_DEVICE,
        options,
        user_id=user.id,
        payload={"device_link_id": device_link_id},
    )


def _verified_registration(
    rp: RelyingParty, pending: challenges.PendingCeremony, credential: Any
) -> VerifiedRegistration:
    try:
        return verify_registration_response(
            credential=credential,
            expected_challenge=pending.challenge,
            expected_rp_id=rp.id,
            expected_origin=rp.origin,
            require_user_verification=True,
        )
    except Exception as err:  # any malformed or untrusted input: never echoed back
        log.info("passkey registration refused: %r", err)
        raise PasskeyRejected(NOT_VERIFIED) from err


def _transports(credential: Any) -> str:
    response = credential.get("response") if isinstance(credential, dict) else None
    values = response.get("transports") if isinstance(response, dict) else None
    if not isinstance(values, list):
        return ""
    return ",".join(v for v in values if isinstance(v, str) and v.isalnum())[:200]


def _save_passkey(
    *, session: Session, user: User, verified: VerifiedRegistration, credential: Any, nickname: str
) -> Passkey:
    credential_id = bytes_to_base64url(verified.credential_id)
    if session.exec(select(Passkey.id).where(Passkey.credential_id == credential_id)).first():
        raise Conflict(ALREADY_ADDED)
    passkey = Passkey(
        credential_id=credential_id,
        user_id=user.id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=_transports(credential),
        nickname=nickname[: service.MAX_NICKNAME],
    )
    session.add(passkey)
    return passkey


def _commit_new_passkey(session: Session) -> None:
    try:
        session.commit()
    except IntegrityError as err:
        # A race on the same email or credential: the unique index had the last word.
        session.rollback()
        raise Conflict(
            "That account or passkey was just created elsewhere. Please sign in instead."
        ) from err


def finish_sign_up(
    *,
    session: Session,
    rp: RelyingParty,
    challenge_id: Any,
    credential: Any,
    nickname: str = "Passkey",
) -> PasskeyUse:
    pending = challenges.take_challenge(
        session=session, challenge_id=challenge_id, purpose=REGISTER
    )
    verified = _verified_registration(rp, pending, credential)
    # The email may have been taken while the person was busy with their passkey.
    profile = service.check_new_profile(
        session=session,
        display_name=pending.payload.get("display_name"),
        email=pending.payload.get("email"),
    )
    user = service.create_user(
        session=session,
        profile=profile,
        webauthn_user_id=pending.payload.get("user_handle"),
        timezone=timezones.clean_name(pending.payload.get("timezone")),
    )
    passkey = _save_passkey(
        session=session, user=user, verified=verified, credential=credential, nickname=nickname
    )
    _commit_new_passkey(session)
    return PasskeyUse(user, passkey)


def finish_add_passkey(
    *,
    session: Session,
    rp: RelyingParty,
    challenge_id: Any,
    credential: Any,
    nickname: str = "Passkey",
    expected_user_id: int | None = None,
) -> PasskeyUse:
    """Saves the passkey for the ceremony's user; a device link is used up only now."""
    pending = challenges.take_challenge(
        session=session, challenge_id=challenge_id, purpose=ADD_DEVICE
    )
    if expected_user_id is not None and pending.user_id != expected_user_id:
        raise Expired(EXPIRED)
    verified = _verified_registration(rp, pending, credential)
    user = session.get(User, pending.user_id)
    if user is None:
        raise Expired(EXPIRED)
    link_id = pending.payload.get("device_link_id")
    if link_id is not None:
        devicelinks.consume_link(session=session, link_id=link_id)
    passkey = _save_passkey(
        session=session, user=user, verified=verified, credential=credential, nickname=nickname
    )
    _commit_new_passkey(session)
    return PasskeyUse(user, passkey)
