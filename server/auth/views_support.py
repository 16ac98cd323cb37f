"""Small Flask-side helpers shared by the auth views: the relying party from settings,
JSON bodies and errors for the ceremony endpoints, the sign-in rate limit, and the
one-time values (recovery codes, device link) carried in the session between pages."""

from __future__ import annotations

import re
from datetime import datetime

import qrcode
from flask import current_app, request, session, url_for
from markupsafe import Markup
from qrcode.image.svg import SvgPathImage

from server.auth.passkeys import RelyingParty
from server.jsonapi import Object, Schema, Text
from server.models import utcnow

JSON_TYPE = "application/json"
DEVICE_NAMES = (
    ("iphone", "iPhone"), ("ipad", "iPad"), ("android", "Android"), ("cros", "Chromebook"),
    ("windows", "Windows"), ("macintosh", "Mac"), ("mac os", "Mac"), ("linux", "Linux"),
)


def settings():
    return current_app.config["SETTINGS"]


def relying_party() -> RelyingParty:
    s = settings()
    return RelyingParty(id=s.rp_id, name=s.rp_name, origin=s.origin,
                        challenge_ttl_seconds=s.challenge_ttl_seconds)


def signin_rate_limit() -> str:
    """Read per request, so a test (or an operator) can set a small limit in settings."""
    return settings().signin_rate_limit


def wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == JSON_TYPE


# The ceremony bodies; the service checks each value's meaning (and py_webauthn the
# credential's inside), these bound their types and sizes.
CEREMONY = Schema(challengeId=Text(64), credential=Object(), next=Text(2000))
PROFILE = Schema(display_name=Text(1000), email=Text(1000))


def passkey_nickname(user_agent: str | None) -> str:
    """A friendly first name for a new passkey, e.g. "Passkey on iPhone"; people rename it."""
    agent = (user_agent or "").lower()
    for needle, name in DEVICE_NAMES:
        if needle in agent:
            return f"Passkey on {name}"
    return "Passkey"


def nickname_for_request() -> str:
    return passkey_nickname(request.headers.get("User-Agent"))


# --- one-time values shown on the next page -----------------------------------------


def keep_recovery_codes(codes: list[str], then: str, *, replaced: bool = False) -> None:
    session["recovery_codes"] = codes
    session["after_codes"] = then
    session["codes_replaced"] = replaced


def take_recovery_codes() -> tuple[list[str], str, bool]:
    """The codes are shown once: reading them removes them from the session."""
    codes = session.pop("recovery_codes", None) or []
    then = session.get("after_codes") or url_for("auth.account")
    return codes, then, bool(session.get("codes_replaced"))


def keep_device_link(token: str, expires_at: datetime) -> None:
    session["device_link"] = {"token": token, "expires": expires_at.isoformat()}


def current_device_link() -> tuple[str, datetime] | None:
    value = session.get("device_link")
    if not isinstance(value, dict):
        return None
    expires = datetime.fromisoformat(value["expires"])
    if expires <= utcnow():
        forget_device_link()
        return None
    return value["token"], expires


def forget_device_link() -> None:
    session.pop("device_link", None)


def link_url(token: str) -> str:
    return settings().public_url.rstrip("/") + url_for("auth.device_link", token=token)


def qr_svg(text: str) -> Markup:
    """A QR code as inline SVG drawn by the server: no script, and no style attribute
    (CSP forbids those); CSS gives it its size."""
    image = qrcode.make(text, image_factory=SvgPathImage, border=4)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r'^<svg width="[^"]*" height="[^"]*"',
                 '<svg role="img" aria-label="QR code of the link" focusable="false"', svg)
    return Markup(svg)
