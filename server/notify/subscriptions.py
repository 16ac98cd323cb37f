"""Push subscriptions: the devices a person asked to be notified on.

A subscription arrives as the browser's PushSubscription JSON. It is validated before it
is stored (an endpoint we would POST to, and keys that really are a P-256 point and a
16-byte secret), and upserted by endpoint: one browser profile is one row, owned by
whoever subscribed it last.
"""

from __future__ import annotations

import binascii
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import ec
from sqlmodel import Session, select

from server import access
from server.errors import InvalidInput, NotFound
from server.models import PushSubscription, User, utcnow
from server.notify.endpoints import EndpointPolicy, check_endpoint
from server.notify.vapid import b64url_decode

MAX_DEVICES = 20


@dataclass(frozen=True)
class SubscriptionData:
    endpoint: str
    p256dh: str
    auth: str


def parse(payload: object, *, policy: EndpointPolicy | None = None) -> SubscriptionData:
    """Validate the browser's subscription JSON; raise InvalidInput with a clear reason.

    The server will POST to the endpoint, so it must be a known push service
    (server/notify/endpoints.py): no pushing into the intranet."""
    if not isinstance(payload, dict):
        raise InvalidInput("Send the subscription as a JSON object.")
    endpoint = check_endpoint(payload.get("endpoint"), policy or EndpointPolicy())
    keys = payload.get("keys")
    if not isinstance(keys, dict):
        keys = {}
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    if not isinstance(p256dh, str) or not _is_p256_point(p256dh):
        raise InvalidInput(
            "keys.p256dh must be a base64url P-256 public key (65 bytes).", field="p256dh"
        )
    if not isinstance(auth, str) or len(_decode(auth) or b"") != 16:
        raise InvalidInput("keys.auth must be a base64url 16-byte secret.", field="auth")
    return SubscriptionData(endpoint=endpoint, p256dh=p256dh, auth=auth)


def _decode(text: str) -> bytes | None:
    if len(text) > 200:
        return None
    try:
        return b64url_decode(text)
    except (binascii.Error, ValueError):
        return None


def _is_p256_point(text: str) -> bool:
    raw = _decode(text)
    if raw is None or len(raw) != 65 or raw[0] != 4:
        return False
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        return False
    return True


def save(
    *, session: Session, user: User, data: SubscriptionData, user_agent: str = ""
) -> PushSubscription:
    """Store this device for `user` (caller commits)."""
    subscription = session.exec(
        select(PushSubscription).where(PushSubscription.endpoint == data.endpoint)
    ).first()
    if subscription is None:
        if len(devices(session=session, user=user)) >= MAX_DEVICES:
            raise InvalidInput(
                f"You can get notices on up to {MAX_DEVICES} devices. "
                "Remove one you no longer use first."
            )
        subscription = PushSubscription(
            endpoint=data.endpoint, user_id=user.id, p256dh=data.p256dh, auth=data.auth
        )
    subscription.user_id = user.id
    subscription.p256dh, subscription.auth = data.p256dh, data.auth
    subscription.user_agent = user_agent[:300]
    subscription.failures = 0
    session.add(subscription)
    session.flush()
    return subscription


def resubscribe(*, session: Session, old_endpoint: str, data: SubscriptionData) -> PushSubscription:
    """The browser replaced a subscription: move the row to the new endpoint and keys.

    Knowing the old endpoint proves the caller is that browser (or its push service):
    endpoints are unguessable capability URLs that only they and this server hold."""
    if not isinstance(old_endpoint, str) or not old_endpoint:
        raise NotFound("That device is not subscribed.")
    subscription = session.exec(
        select(PushSubscription).where(PushSubscription.endpoint == old_endpoint)
    ).first()
    if subscription is None:
        raise NotFound("That device is not subscribed.")
    clash = session.exec(
        select(PushSubscription).where(
            PushSubscription.endpoint == data.endpoint, PushSubscription.id != subscription.id
        )
    ).first()
    if clash is not None:
        session.delete(clash)
        session.flush()
    subscription.endpoint = data.endpoint
    subscription.p256dh, subscription.auth = data.p256dh, data.auth
    subscription.failures = 0
    subscription.created_at = utcnow()
    session.add(subscription)
    session.flush()
    return subscription


def devices(*, session: Session, user: User) -> list[PushSubscription]:
    return list(
        session.exec(
            select(PushSubscription)
            .where(PushSubscription.user_id == user.id)
            .order_by(PushSubscription.created_at, PushSubscription.id)
        ).all()
    )


def remove(*, session: Session, user: User, subscription_id: int) -> None:
    """Only your own devices: someone else's is reported as not found (caller commits)."""
    subscription = access.owned(
        session, PushSubscription, subscription_id, user.id, "That device isn't in your list."
    )
    session.delete(subscription)


def device_label(user_agent: str) -> str:
    """A short, human name for a device from its browser's User-Agent."""
    ua = user_agent or ""
    browser = next(
        (
            name
            for key, name in (
                ("Edg/", "Edge"),
                ("Firefox/", "Firefox"),
                ("Chrome/", "Chrome"),
                ("Safari/", "Safari"),
            )
            if key in ua
        ),
        "Browser",
    )
    system = next(
        (
            name
            for key, name in (
                ("Android", "Android"),
                ("iPhone", "iPhone"),
                ("iPad", "iPad"),
                ("Windows", "Windows"),
                ("Mac OS", "Mac"),
                ("CrOS", "ChromeOS"),
                ("Linux", "Linux"),
            )
            if key in ua
        ),
        "",
    )
    return f"{browser} on {system}" if system else browser
