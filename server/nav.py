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

from flask import current_app, request, url_for
from sqlalchemy import BindParameter, bindparam, func, select

from server.db import get_session, read
from server.models import Notification, Submission, SubmissionStatus, User


@dataclass(frozen=True)
class NavEntry:
    label: str
    endpoint: str
    allowed: Callable[[User], bool]
    badge: str = ""  # a count from NavCounts shown beside the label ("unread")
    tab: str = ""  # the short label in the phone tab bar; "" = not a tab
    # Other paths this entry stands for (the stack and credential pages are "Stacks").
    also: tuple[str, ...] = ()


def _anyone(_user: User) -> bool:
    return True


def _role(*roles: str) -> Callable[[User], bool]:
    return lambda user: any(user.has_role(r) for r in (*roles, "admin"))


_USER: BindParameter[int] = bindparam("user_id")
# What the header shows on every page, in one statement built once: the draft the Capture
# tab opens (the one touched last) and the unread count, each from its index.
NAV_COUNTS = select(
    select(Submission.id)
    .where(Submission.user_id == _USER, Submission.status == SubmissionStatus.DRAFT.value)
    .order_by(Submission.updated_at.desc())
    .limit(1)
    .scalar_subquery()
    .label("draft_id"),
    select(func.count(Notification.id))
    .where(Notification.user_id == _USER, Notification.read_at.is_(None))
    .scalar_subquery()
    .label("unread"),
)


@dataclass(frozen=True)
class NavCounts:
    draft_id: int | None
    unread: int


def nav_counts(user: User) -> NavCounts:
    draft_id, unread = read(get_session(), NAV_COUNTS, user_id=user.id).one()
    return NavCounts(draft_id, unread)


ENTRIES: list[NavEntry] = [
    NavEntry("Home", "home.home", _anyone, tab="Home", also=("/",)),
    NavEntry("Stacks", "catalog.stacks", _anyone, tab="Stacks", also=("/credentials",)),
    NavEntry("Capture", "pwa.capture", _anyone, tab="Capture"),  # with a draft only
    NavEntry("Inbox", "notify.inbox", _anyone, badge="unread", tab="Inbox"),
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


def _fixed_urls() -> dict[str, str]:
    """Each entry's address (and the account page's), built once per app and script root:
    they are the same on every page."""
    key = f"chalkmark_nav_urls:{request.script_root}"
    urls = current_app.extensions.get(key)
    if urls is None:
        urls = {e.endpoint: url_for(e.endpoint) for e in ENTRIES if e.endpoint != CAPTURE}
        urls["auth.account"] = url_for("auth.account")
        current_app.extensions[key] = urls
    return urls


def links_for(user: User) -> Nav:
    counts = nav_counts(user)
    draft_id = counts.draft_id
    entries = [
        e for e in ENTRIES if e.allowed(user) and (e.endpoint != CAPTURE or draft_id is not None)
    ]
    fixed = _fixed_urls()
    urls = [
        url_for(e.endpoint, submission=draft_id) if e.endpoint == CAPTURE else fixed[e.endpoint]
        for e in entries
    ] + [fixed["auth.account"]]
    candidates = [[url.split("?", 1)[0], *e.also] for url, e in zip(urls, entries, strict=False)]
    current, exact = current_index(request.path, [*candidates, [urls[-1]]])
    marks = {current: "page" if exact else "true"}
    links = [
        NavLink(
            entry.label,
            url,
            getattr(counts, entry.badge) if entry.badge else 0,
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
