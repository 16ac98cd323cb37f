"""The header's links for a signed-in person: one entry per page a role works from.
Every endpoint here is registered (a test builds each link), so add an entry only with
its page.

`tab` entries also make the bottom tab bar on small screens (Home, Stacks, Capture,
Inbox, Me): the same links, rendered once, placed by CSS. Exactly one link is the current
page: the one whose address is the longest match of the path being shown (/me/credentials
is "My credentials", not also "Progress" at /me)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import request, url_for
from sqlmodel import col, select

from server.db import get_session
from server.models import Submission, SubmissionStatus, User
from server.notify.service import unread_count


@dataclass(frozen=True)
class NavEntry:
    label: str
    endpoint: str
    allowed: Callable[[User], bool]
    badge: Callable[[User], int] | None = None
    tab: str = ""  # the short label in the phone tab bar; "" = not a tab
    # Other paths this entry stands for (the stack and credential pages are "Stacks").
    also: tuple[str, ...] = ()


def _anyone(_user: User) -> bool:
    return True


def _unread_notices(user: User) -> int:
    return unread_count(session=get_session(), user_id=user.id)


def _role(*roles: str) -> Callable[[User], bool]:
    return lambda user: any(user.has_role(r) for r in (*roles, "admin"))


def latest_draft_id(user: User) -> int | None:
    """The draft the Capture tab opens: the one touched last (one indexed query)."""
    return (
        get_session()
        .exec(
            select(Submission.id)
            .where(Submission.user_id == user.id, Submission.status == SubmissionStatus.DRAFT.value)
            .order_by(col(Submission.updated_at).desc())
            .limit(1)
        )
        .first()
    )


ENTRIES: list[NavEntry] = [
    NavEntry("Home", "home.home", _anyone, tab="Home", also=("/",)),
    NavEntry("Stacks", "catalog.stacks", _anyone, tab="Stacks", also=("/credentials",)),
    NavEntry("Capture", "pwa.capture", _anyone, tab="Capture"),  # with a draft only
    NavEntry("Inbox", "notify.inbox", _anyone, badge=_unread_notices, tab="Inbox"),
    NavEntry("Progress", "game.profile", _anyone, tab="Me"),
    NavEntry("My credentials", "submissions.mine", _anyone),
    NavEntry("Leaderboards", "game.leaderboards", _anyone),
    NavEntry("Review", "review.queue", _role("assessor")),
    NavEntry("Cohorts", "coach.cohorts", _role("coach")),
    NavEntry("Admin", "admin.home", _role()),
]


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    badge: int = 0
    tab: str = ""
    # aria-current: "page" on the page itself, "true" on a page inside its section (a
    # stack under Stacks), as GOV.UK's service navigation does; "" elsewhere.
    current: str = ""


@dataclass(frozen=True)
class Nav:
    tabs: list[NavLink]
    more: list[NavLink]
    account: NavLink


CAPTURE = "pwa.capture"


def _matches(path: str, prefix: str) -> bool:
    return path == prefix or (prefix != "/" and path.startswith(prefix.rstrip("/") + "/"))


def current_index(path: str, candidates: list[list[str]]) -> tuple[int | None, bool]:
    """Which of the candidates (each a list of paths it stands for) the page being shown
    belongs to, and whether it is that very page: the longest matching path wins, so only
    one ever does."""
    best, best_prefix = None, ""
    for index, prefixes in enumerate(candidates):
        for prefix in prefixes:
            if _matches(path, prefix) and (best is None or len(prefix) > len(best_prefix)):
                best, best_prefix = index, prefix
    return best, best is not None and path == best_prefix


def links_for(user: User) -> Nav:
    draft_id = latest_draft_id(user)
    entries = [
        e for e in ENTRIES if e.allowed(user) and (e.endpoint != CAPTURE or draft_id is not None)
    ]
    urls = [
        url_for(e.endpoint, submission=draft_id) if e.endpoint == CAPTURE else url_for(e.endpoint)
        for e in entries
    ] + [url_for("auth.account")]
    candidates = [[url.split("?", 1)[0], *e.also] for url, e in zip(urls, entries, strict=False)]
    current, exact = current_index(request.path, [*candidates, [urls[-1]]])
    marks = {current: "page" if exact else "true"}
    links = [
        NavLink(
            entry.label,
            url,
            entry.badge(user) if entry.badge else 0,
            entry.tab,
            marks.get(index, ""),
        )
        for index, (entry, url) in enumerate(zip(entries, urls, strict=False))
    ]
    account = NavLink(user.display_name, urls[-1], current=marks.get(len(entries), ""))
    return Nav(
        tabs=[link for link in links if link.tab],
        more=[link for link in links if not link.tab],
        account=account,
    )
