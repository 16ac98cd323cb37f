"""Notices: every notice lands in the in-app inbox first (push delivery comes later)."""

from __future__ import annotations

from sqlmodel import Session

from server.models import Notification


def send(*, session: Session, user_id: int, kind: str, title: str, body: str = "",
         url: str = "/") -> Notification:
    """Add a notice to the user's inbox inside the caller's transaction (caller commits)."""
    notification = Notification(user_id=user_id, kind=kind, title=title, body=body, url=url)
    session.add(notification)
    return notification
