"""Points, levels, streaks and leaderboards. Other areas call the on_* hooks, inside their
own transaction (they commit); each hook must be safe to call twice for the same event."""

from __future__ import annotations

from sqlmodel import Session

from server.models import Review, Submission


def on_submission(*, session: Session, submission: Submission) -> None:
    """A teacher submitted an attempt (first or later)."""


def on_decision(*, session: Session, submission: Submission, decision: str) -> None:
    """An assessor decided an attempt: 'awarded' or 'not_yet'."""


def on_review_completed(*, session: Session, review: Review) -> None:
    """An assessor finished a review (either decision)."""


def on_activity(*, session: Session, user_id: int, kind: str) -> None:
    """Any capture, submission or review: keeps the weekly streak alive."""
