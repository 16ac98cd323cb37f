"""Job entry points of the notify area (run by server/jobs.py by dotted path, inside an
app context): they gather the app's session, VAPID keys and endpoint policy, then hand
them to push.py, which needs no app context."""

from __future__ import annotations

from server.db import get_session
from server.notify import endpoints, push
from server.notify.vapid import current_keys


def deliver(notification_id: int, attempt: int = 0, subscription_id: int | None = None) -> None:
    """Send the notice to every device of its user (or to one device, on a retry)."""
    deliver_batch([notification_id], attempt=attempt, subscription_id=subscription_id)


def deliver_batch(
    notification_ids: list[int], attempt: int = 0, subscription_id: int | None = None
) -> None:
    """Several notices, sharing one job and one pool of HTTP connections."""
    db, keys, policy = get_session(), current_keys(), endpoints.current_policy()
    with endpoints.PushHTTP(policy) as http:
        for notification_id in notification_ids:
            push.deliver_notice(
                session=db,
                notification_id=notification_id,
                keys=keys,
                http=http,
                policy=policy,
                attempt=attempt,
                subscription_id=subscription_id,
            )
