"""The WebAuthn sign-in ceremony: `begin_sign_in` stores the challenge (passkeys.py),
`finish_sign_in` takes it (deleted, committed) before verifying the assertion, then checks
the signature counter: a counter that steps back, or two sign-ins racing with the same
value, means a copied key and signs nobody in.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlmodel import Session, select, update
from webauthn import generate_authentication_options, verify_authentication_response
from webauthn.helpers.structs import UserVerificationRequirement

from server.auth import challenges
from server.auth.passkeys import (
    LOGIN,
    NOT_VERIFIED,
    PasskeyRejected,
    PasskeyUse,
    RelyingParty,
    remember_challenge,
)
from server.models import Passkey, User, utcnow

log = logging.getLogger(__name__)

UNKNOWN = (
    "We don't recognise this passkey. It may have been removed from your account. "
    "Try another passkey, use a recovery code, or sign up."
)
CLONED = (
    "This passkey may be cloned, so we didn't sign you in. Sign in with another "
    "passkey or a recovery code, then remove this one from your account."
)


def begin_sign_in(*, session: Session, rp: RelyingParty) -> dict[str, Any]:
    """No username and no allowCredentials: the authenticator offers its own passkeys."""
    options = generate_authentication_options(
        rp_id=rp.id,
        timeout=rp.timeout_ms,
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    return remember_challenge(session, rp, LOGIN, options)


def _credential_id(credential: Any) -> str | None:
    value = credential.get("id") if isinstance(credential, dict) else None
    return value if isinstance(value, str) and 0 < len(value) <= 1400 else None


def _user_handle(credential: Any) -> str | None:
    response = credential.get("response") if isinstance(credential, dict) else None
    value = response.get("userHandle") if isinstance(response, dict) else None
    return value if isinstance(value, str) and value else None


def finish_sign_in(
    *, session: Session, rp: RelyingParty, challenge_id: Any, credential: Any
) -> PasskeyUse:
    pending = challenges.take_challenge(session=session, challenge_id=challenge_id, purpose=LOGIN)
    credential_id = _credential_id(credential)
    passkey = (
        credential_id
        and session.exec(select(Passkey).where(Passkey.credential_id == credential_id)).first()
    )
    if not passkey:
        raise PasskeyRejected(UNKNOWN)
    user = session.get_one(User, passkey.user_id)
    handle = _user_handle(credential)
    if handle and user.webauthn_user_id and handle != user.webauthn_user_id:
        log.info("passkey %s answered with another user handle", passkey.id)
        raise PasskeyRejected(UNKNOWN)
    try:
        # Counter 0 here: the library then only checks the signature, and the clone check
        # below runs on a response we know is genuine, with a message of our own.
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=pending.challenge,
            expected_rp_id=rp.id,
            expected_origin=rp.origin,
            credential_public_key=passkey.public_key,
            credential_current_sign_count=0,
            require_user_verification=True,
        )
    except Exception as err:  # any malformed or untrusted input: never echoed back
        log.info("passkey sign-in refused: %r", err)
        raise PasskeyRejected(NOT_VERIFIED) from err
    check_sign_count(stored=passkey.sign_count, new=verified.new_sign_count)
    record_use(session=session, passkey=passkey, new_count=verified.new_sign_count)
    return PasskeyUse(user, passkey)


def record_use(*, session: Session, passkey: Passkey, new_count: int) -> None:
    """Save the new counter only if nobody moved it meanwhile: of two sign-ins racing with
    the same counter value (a copied key), one loses."""
    stored = passkey.sign_count
    moved = session.exec(
        update(Passkey)
        .where(Passkey.id == passkey.id, Passkey.sign_count == stored)
        .values(sign_count=new_count, last_used_at=utcnow())
    ).rowcount
    session.commit()
    if moved != 1:
        raise PasskeyRejected(CLONED)
    session.refresh(passkey)


def check_sign_count(*, stored: int, new: int) -> None:
    """Authenticators that count must count up; a step back means a copied key."""
    if (stored > 0 or new > 0) and new <= stored:
        log.warning("passkey sign count went from %s to %s", stored, new)
        raise PasskeyRejected(CLONED)
