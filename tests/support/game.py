"""Ledger sums for the game tests: what the append-only ledger adds up to, and the caches."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import func, select
from sqlmodel import Session

from server.config import Settings
from server.game import levels, rules
from server.models import PointEvent, User, UserPoints, WeeklyPoints


def ledger_totals(session: Session) -> dict[int, int]:
    return dict(
        session.execute(
            select(PointEvent.user_id, func.sum(PointEvent.points)).group_by(PointEvent.user_id)
        ).all()
    )


def cached_totals(session: Session) -> dict[int, int]:
    return {
        uid: total
        for uid, total in session.execute(select(UserPoints.user_id, UserPoints.total))
        if total
    }


def cached_weeks(session: Session) -> dict[tuple[int, str], int]:
    return {
        (uid, week): pts
        for uid, week, pts in session.execute(
            select(WeeklyPoints.user_id, WeeklyPoints.iso_week, WeeklyPoints.points)
        )
        if pts
    }


def events(session: Session, user: User, rule: str | None = None) -> list[PointEvent]:
    query = select(PointEvent).where(PointEvent.user_id == user.id)
    if rule:
        query = query.where(PointEvent.rule == rule)
    session.expire_all()
    return list(session.execute(query).scalars())


@contextmanager
def game_settings(settings: Settings) -> Iterator[None]:
    """Install these settings' points and levels as the app does, then the defaults again
    (the game services read module state: it must not leak into the next test)."""
    rules.configure(settings.game_points)
    levels.configure(settings.game_levels)
    try:
        yield
    finally:
        rules.configure({})
        levels.configure(levels.DEFAULT_THRESHOLDS)
