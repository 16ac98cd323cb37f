"""The leaderboard queries. Each is built once per (scope kind, period) with bind
parameters: building a statement costs more than running it on a 200-person cohort.

One round trip returns the top rows and the viewer's neighbours, ranked with window
functions over the scope's visible members, plus two flags per row that the naming rules
need: does the viewer coach this person, and do they share a cohort.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import CTE, Select, bindparam, exists, func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from server.models import (
    Cohort,
    CohortMember,
    MemberStatus,
    User,
    UserPoints,
    Visibility,
    WeeklyPoints,
)

ACTIVE = MemberStatus.ACTIVE.value  # only accepted members are on a cohort's board

TOP = 10
NEIGHBOURS = 2


@cache
def _board(kind: str, period: str) -> CTE:
    """Every visible member of the scope with points, position, rank and board size.

    Points come from a correlated subquery, one index lookup per member: a planner that
    prefers hashing the whole totals table would read every user's row for one cohort."""
    if period == "week":
        points = select(WeeklyPoints.points).where(
            WeeklyPoints.user_id == User.id, WeeklyPoints.iso_week == bindparam("week")
        )
    else:
        points = select(UserPoints.total).where(UserPoints.user_id == User.id)
    source = select(
        User.id,
        User.leaderboard_visibility,
        func.coalesce(points.scalar_subquery(), 0).label("points"),
    )
    if kind == "cohort":
        source = source.join(CohortMember, CohortMember.user_id == User.id).where(
            CohortMember.cohort_id == bindparam("scope_id"), CohortMember.status == ACTIVE
        )
    else:
        source = source.where(User.org_id == bindparam("scope_id"))
    members = source.where(
        or_(
            User.leaderboard_visibility != Visibility.HIDDEN.value,
            User.id == bindparam("viewer_id"),
        )
    ).subquery("members")
    return select(
        members.c.id.label("user_id"),
        members.c.leaderboard_visibility,
        members.c.points,
        func.row_number().over(order_by=(members.c.points.desc(), members.c.id)).label("position"),
        func.rank().over(order_by=members.c.points.desc()).label("rank"),
        func.count().over().label("size"),
    ).cte("board")


def _with_relations(board: CTE) -> Select[Any]:
    """The board's columns plus the name, and `coached` and `mate` for the viewer, all
    evaluated only for the rows returned."""
    other, their_cohort = aliased(CohortMember), aliased(Cohort)
    coached = exists().where(
        other.user_id == board.c.user_id,
        other.status == ACTIVE,
        their_cohort.id == other.cohort_id,
        their_cohort.coach_id == bindparam("viewer_id"),
    )
    viewer_cohorts = select(CohortMember.cohort_id).where(
        CohortMember.user_id == bindparam("viewer_id"), CohortMember.status == ACTIVE
    )
    mate = exists().where(
        other.user_id == board.c.user_id,
        other.status == ACTIVE,
        other.cohort_id.in_(viewer_cohorts),
    )
    # Names are read only for the rows returned, not for the whole scope.
    return select(
        board,
        User.display_name,
        User.org_id,  # a district admin sees the real names of their own district
        coached.label("coached"),
        mate.label("mate"),
    ).join(User, User.id == board.c.user_id)


@cache
def top_query(kind: str, period: str) -> Select[Any]:
    board = _board(kind, period)
    mine = (
        select(board.c.position).where(board.c.user_id == bindparam("viewer_id")).scalar_subquery()
    )
    return (
        _with_relations(board)
        .where(
            or_(
                board.c.position <= TOP,
                board.c.position.between(mine - NEIGHBOURS, mine + NEIGHBOURS),
            )
        )
        .order_by(board.c.position)
    )


@cache
def full_query(kind: str, period: str) -> Select[Any]:
    board = _board(kind, period)
    return _with_relations(board).order_by(board.c.position)


def _params(scope_id: int, viewer_id: int, week: str | None) -> dict[str, int | str]:
    params: dict[str, int | str] = {"scope_id": scope_id, "viewer_id": viewer_id}
    if week is not None:
        params["week"] = week
    return params


def top_rows(
    *, session: Session, kind: str, scope_id: int, period: str, week: str | None, viewer_id: int
) -> list[Any]:
    return list(session.execute(top_query(kind, period), _params(scope_id, viewer_id, week)))


def all_rows(
    *, session: Session, kind: str, scope_id: int, period: str, week: str | None, viewer_id: int
) -> list[Any]:
    return list(session.execute(full_query(kind, period), _params(scope_id, viewer_id, week)))
