"""Web Push delivery: a job run after the notice's transaction commits (queued by
push_queue.py), never inside a request. Each of the user's subscribed devices gets the
notice encrypted (aes128gcm) and signed (VAPID); what the push service answers decides
what happens to that device:

- 201/202: delivered: last_ok_at set, failures reset.
- 404/410: the browser dropped the subscription: the row is deleted.
- 429: the push service asks us to slow down: that device alone is retried after
  Retry-After seconds.
- network error or 5xx: retried with exponential backoff, MAX_ATTEMPTS in all.
- any other 4xx (or a 3xx: redirects are never followed): our request is wrong;
  retrying would not help, so it counts a failure.
- an endpoint the server may not POST to (not a known push service, or its host resolves
  to a private address; see endpoints.py): nothing is sent, the row is deleted and logged.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime

import requests
from pywebpush import WebPushException, webpush
from sqlmodel import Session, select

from server import jobs
from server.errors import InvalidInput
from server.models import NoticeKind, Notification, PushSubscription, utcnow
from server.notify import endpoints
from server.notify.push_queue import DELIVER_JOB
from server.notify.vapid import VapidKeys

log = logging.getLogger(__name__)

HIGH_URGENCY_KINDS = {NoticeKind.AWARD, NoticeKind.NOT_YET}  # a decision on their work
TTL_SECONDS = 2 * 24 * 3600  # a phone that is off for a weekend still gets the notice
MAX_ATTEMPTS = 4
BACKOFF_SECONDS = 15.0  # first retry; doubles each time
MAX_RETRY_AFTER_SECONDS = 3600
REQUEST_TIMEOUT_SECONDS = 10
MAX_BODY_CHARS = 1000  # the encrypted payload must stay under 4 KB


def deliver_notice(
    *,
    session: Session,
    notification_id: int,
    keys: VapidKeys,
    http: endpoints.PushHTTP,
    policy: endpoints.EndpointPolicy,
    attempt: int = 0,
    subscription_id: int | None = None,
) -> None:
    """Send the notice to every device of its user (or to one device, on a retry)."""
    notification = session.get(Notification, notification_id)
    if notification is None:
        return
    query = (
        select(PushSubscription)
        .where(PushSubscription.user_id == notification.user_id)
        .order_by(PushSubscription.id)
    )
    if subscription_id is not None:
        query = query.where(PushSubscription.id == subscription_id)
    payload = payload_for(notification)
    devices = session.exec(query).all()
    # End the read before the slow HTTP calls: no transaction idles while we wait, and
    # SQLite never has to upgrade an old read snapshot into a write.
    session.commit()
    for subscription in devices:
        outcome = send_one(
            keys=keys,
            subscription=subscription,
            payload=payload,
            urgency=urgency_for(notification.kind),
            http=http,
            policy=policy,
        )
        _apply(session, subscription, outcome, notification_id, attempt)
        session.commit()


def payload_for(notification: Notification) -> str:
    url = notification.url if notification.url.startswith("/") else "/"
    return json.dumps(
        {
            "title": notification.title,
            "body": notification.body[:MAX_BODY_CHARS],
            "url": url,
            "tag": f"chalkmark-{notification.kind}-{notification.id}",
        }
    )


def urgency_for(kind: str) -> str:
    return "high" if kind in HIGH_URGENCY_KINDS else "normal"


@dataclass(frozen=True)
class Outcome:
    status: int | None  # None: the push service could not be reached (or was refused)
    retry_after: float | None = None
    refused: bool = False  # not a push service we may POST to: nothing was sent

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def gone(self) -> bool:
        return self.status in (404, 410)

    @property
    def retryable(self) -> bool:
        if self.refused:
            return False
        return self.status is None or self.status == 429 or self.status >= 500


def send_one(
    *,
    keys: VapidKeys,
    subscription: PushSubscription,
    payload: str,
    http: endpoints.PushHTTP,
    policy: endpoints.EndpointPolicy,
    urgency: str = "normal",
) -> Outcome:
    try:
        # Checked again at send time: rows saved before the allow-list, or under another
        # CHALKMARK_PUSH_HOSTS, are never POSTed to.
        endpoints.check_endpoint(subscription.endpoint, policy)
    except InvalidInput:
        return Outcome(status=None, refused=True)
    info = {
        "endpoint": subscription.endpoint,
        "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
    }
    try:
        response = webpush(
            subscription_info=info,
            data=payload,
            vapid_private_key=keys.signer,
            # pywebpush writes aud and exp into this dict: a fresh one for every send.
            vapid_claims={"sub": keys.subject},
            content_encoding="aes128gcm",
            ttl=TTL_SECONDS,
            headers={"Urgency": urgency},
            timeout=REQUEST_TIMEOUT_SECONDS,
            requests_session=http,
        )
        return Outcome(status=response.status_code)
    except endpoints.PrivateAddressRefused:
        return Outcome(status=None, refused=True)
    except WebPushException as err:
        if err.status_code is None:
            return Outcome(status=None)
        return Outcome(status=err.status_code, retry_after=parse_retry_after(err.retry_after))
    except requests.RequestException as err:
        log.info(
            "push service unreachable for subscription %s: %s", subscription.id, type(err).__name__
        )
        return Outcome(status=None)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After is either seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            seconds = (parsedate_to_datetime(value) - (now or utcnow())).total_seconds()
        except (TypeError, ValueError):
            return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)


def _apply(
    session: Session,
    subscription: PushSubscription,
    outcome: Outcome,
    notification_id: int,
    attempt: int,
) -> None:
    if outcome.delivered:
        subscription.last_ok_at = utcnow()
        subscription.failures = 0
        session.add(subscription)
        return
    if outcome.refused or outcome.gone:
        if outcome.refused:
            log.warning(
                "push subscription %s removed: its endpoint is not a public push "
                "service this server may POST to",
                subscription.id,
            )
        session.delete(subscription)
        return
    subscription.failures += 1
    session.add(subscription)
    if not outcome.retryable or attempt + 1 >= MAX_ATTEMPTS:
        log.warning(
            "push to subscription %s gave up (status %s, attempt %s)",
            subscription.id,
            outcome.status,
            attempt + 1,
        )
        return
    delay = outcome.retry_after
    if delay is None:
        delay = BACKOFF_SECONDS * (2**attempt)
    jobs.run_after_commit(
        session, DELIVER_JOB, notification_id, attempt + 1, subscription.id, delay=delay
    )
