"""Where hidden items (review/hidden.py) show up among live attempts: the queue's rows
(merged into the page where their made-up time puts them), the home page's count and
claims, the decision history, and which rows have a saved draft."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from server.models import Credential, HiddenItem, Org, User
from server.review.hidden import EARLIEST, is_pair, label, waiting_items
from server.review.history import HistoryRow
from server.review.queue import QueueRow, _target_days, waiting_text
from server.review.turnaround import turnaround


def queue_rows(
    *, session: Session, assessor: User, blind_key: str, only_mine: bool, now: datetime
) -> list[QueueRow]:
    target = _target_days(session, session.get(Org, assessor.org_id) if assessor.org_id else None)
    rows = []
    for item in waiting_items(session, assessor):
        mine = item.claimed_until is not None and item.claimed_until > now
        if only_mine and not mine:
            continue
        rows.append(
            QueueRow(
                submission_id=item.id,
                credential_title=session.get_one(Credential, item.credential_id).title,
                attempt=item.attempt,
                submitted_at=item.shown_at,
                waiting=waiting_text(item.shown_at, now),
                teacher=label(item, blind_key),
                school=None,
                mine=mine,
                turnaround=turnaround(item.shown_at, now, target),
                double_blind=is_pair(session, assessor, item.credential_id),
                credential_id=item.credential_id,
            )
        )
    return rows


def merge(rows: list[QueueRow], hidden: list[QueueRow], *, since: datetime | None, more: bool):
    """The page's live rows with the hidden ones that fall on it, oldest submitted first.
    A page spans the times after `since` (the previous page's last live row; None on the
    first page) up to its own last live row's (to the end when no more follow): each
    page's span starts where the one before ended, so every hidden item shows once."""
    if not hidden:
        return rows
    high = rows[-1].submitted_at if rows and more else None
    fits = [
        row
        for row in hidden
        if (since is None or (row.submitted_at or EARLIEST) > since)
        and (high is None or (row.submitted_at or EARLIEST) <= high)
    ]
    return sorted(rows + fits, key=lambda row: row.submitted_at or EARLIEST)


def drafts_saved(*, session: Session, viewer: User, item_ids: list[int]) -> dict[int, datetime]:
    """drafts.saved_for's twin: {item id: saved at} of the viewer's hidden drafts."""
    rows = session.exec(
        select(HiddenItem.id, HiddenItem.draft_at).where(
            HiddenItem.assessor_id == viewer.id,
            HiddenItem.decided_at.is_(None),
            HiddenItem.draft_at.is_not(None),
            HiddenItem.id.in_(item_ids),
        )
    ).all()
    return {item_id: at for item_id, at in rows if at is not None}


def for_home(
    *, session: Session, assessor: User, now: datetime
) -> tuple[int, list[tuple[int, str, int, datetime]]]:
    """For the assessor's home, as its live twins count: (waiting items not held, held
    items as (id, credential title, attempt, held until))."""
    free, held = 0, []
    for item in waiting_items(session, assessor):
        if item.claimed_until is not None and item.claimed_until > now:
            title = session.get_one(Credential, item.credential_id).title
            held.append((item.id, title, item.attempt, item.claimed_until))
        else:
            free += 1
    return free, held


def history_rows(*, session: Session, assessor: User, blind_key: str) -> list[HistoryRow]:
    """The assessor's decided hidden items as their decision history lists live ones."""
    items = session.exec(
        select(HiddenItem, Credential.title)
        .join(Credential, Credential.id == HiddenItem.credential_id)
        .where(HiddenItem.assessor_id == assessor.id, HiddenItem.decided_at.is_not(None))
    ).all()
    return [
        HistoryRow(
            submission_id=item.id,
            credential_title=title,
            attempt=item.attempt,
            teacher=label(item, blind_key),
            decision=item.decision or "",
            decided_at=item.decided_at or EARLIEST,
            assessor=assessor.display_name,
        )
        for item, title in items
    ]
