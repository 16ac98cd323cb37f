"""The header's links for a signed-in person: one entry per page a role works from.
Every endpoint here is registered (a test builds each link), so add an entry only with
its page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for

from server.db import get_session
from server.models import User
from server.notify.service import unread_count


@dataclass(frozen=True)
class NavEntry:
    label: str
    endpoint: str
    allowed: Callable[[User], bool]
    badge: Callable[[User], int] | None = None


def _anyone(_user: User) -> bool:
    return True


def _unread_notices(user: User) -> int:
    return unread_count(session=get_session(), user_id=user.id)


def _role(*roles: str) -> Callable[[User], bool]:
    return lambda user: any(user.has_role(r) for r in (*roles, "admin"))


ENTRIES: list[NavEntry] = [
    NavEntry("My credentials", "submissions.mine", _anyone),
    NavEntry("Progress", "game.profile", _anyone),
    NavEntry("Leaderboards", "game.leaderboards", _anyone),
    NavEntry("Review", "review.queue", _role("assessor")),
    NavEntry("Cohorts", "coach.cohorts", _role("coach")),
    NavEntry("Inbox", "notify.inbox", _anyone, badge=_unread_notices),
    NavEntry("Admin", "admin.home", _role()),
]


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    badge: int = 0


def links_for(user: User) -> list[NavLink]:
    links = []
    for entry in ENTRIES:
        if not entry.allowed(user):
            continue
        badge = entry.badge(user) if entry.badge else 0
        links.append(NavLink(entry.label, url_for(entry.endpoint), badge))
    return links
