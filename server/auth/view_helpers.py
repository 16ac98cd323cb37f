"""The Flask side shared by the auth view modules (routes.py, account_views.py,
passkey_views.py): the relying party from settings, JSON bodies and errors for the
ceremony endpoints, the sign-in rate limit, and the one-time values (recovery codes,
device link) kept server-side for the next page."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, request, url_for

from server.auth.passkeys import RelyingParty
from server.auth.session import reveal_once, take_revealed
from server.auth.sessions import DEVICE_LINK, RECOVERY_CODES, platform_name
from server.jsonapi import Object, Schema, Text
from server.models import utcnow


def settings():
    return current_app.config["SETTINGS"]


def relying_party() -> RelyingParty:
    s = settings()
    return RelyingParty(
        id=s.rp_id, name=s.rp_name, origin=s.origin, challenge_ttl_seconds=s.challenge_ttl_seconds
    )


def signin_rate_limit() -> str:
    """Read per request, so a test (or an operator) can set a small limit in settings."""
    return settings().signin_rate_limit


# The ceremony bodies; the service checks each value's meaning (and py_webauthn the
# credential's inside), these bound their types and sizes.
CEREMONY = Schema(challengeId=Text(64), credential=Object(), next=Text(2000))
PROFILE = Schema(display_name=Text(1000), email=Text(1000), timezone=Text(1000))


def passkey_nickname(user_agent: str | None) -> str:
    """A friendly first name for a new passkey, e.g. "Passkey on iPhone"; people rename it."""
    platform = platform_name(user_agent)
    return f"Passkey on {platform}" if platform else "Passkey"


def nickname_for_request() -> str:
    return passkey_nickname(request.headers.get("User-Agent"))


# --- one-time values shown on the next page, kept server-side (never in the cookie) ---


def keep_recovery_codes(codes: list[str], then: str, *, replaced: bool = False) -> None:
    reveal_once(RECOVERY_CODES, {"codes": codes, "then": then, "replaced": replaced})


def take_recovery_codes() -> tuple[list[str], str, bool]:
    """The codes are shown once: reading them deletes them; a reload shows none."""
    kept = take_revealed(RECOVERY_CODES) or {}
    then = kept.get("then") or url_for("auth.account")
    return kept.get("codes") or [], then, bool(kept.get("replaced"))


def keep_device_link(token: str, expires_at: datetime) -> None:
    reveal_once(
        DEVICE_LINK,
        {"token": token, "expires": expires_at.isoformat()},
        ttl_seconds=settings().device_link_ttl_seconds,
    )


def take_device_link() -> tuple[str, datetime] | None:
    """The link is shown once, while it has not expired."""
    kept = take_revealed(DEVICE_LINK)
    if not isinstance(kept, dict):
        return None
    expires = datetime.fromisoformat(kept["expires"])
    return (kept["token"], expires) if expires > utcnow() else None


def link_url(token: str) -> str:
    return settings().public_url.rstrip("/") + url_for("auth.device_link", token=token)
