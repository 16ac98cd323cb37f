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


def _points(period: str) -> Any:
    """A person's points for the period, one index lookup (a correlated subquery: a planner
    that prefers hashing the whole totals table would read every user's row for one cohort)."""
    if period == "week":
        points = select(WeeklyPoints.points).where(
            WeeklyPoints.user_id == User.id, WeeklyPoints.iso_week == bindparam("week")
        )
    else:
        points = select(UserPoints.total).where(UserPoints.user_id == User.id)
    return func.coalesce(points.scalar_subquery(), 0)


def _in_scope(source: Select[Any], kind: str) -> Select[Any]:
    if kind == "cohort":
        return source.join(CohortMember, CohortMember.user_id == User.id).where(
            CohortMember.cohort_id == bindparam("scope_id"), CohortMember.status == ACTIVE
        )
    return source.where(User.org_id == bindparam("scope_id"))


@cache
def scores_query(kind: str, period: str) -> Select[Any]:
    """(user id, points) of every member on the scope's board: the visible ones, whoever
    looks (what the Redis board holds, see boards_redis.py)."""
    source = select(User.id, _points(period).label("points"))
    return _in_scope(source, kind).where(User.leaderboard_visibility != Visibility.HIDDEN.value)


@cache
def _board(kind: str, period: str) -> CTE:
    """Every visible member of the scope with points, position, rank and board size."""
    source = select(User.id, User.leaderboard_visibility, _points(period).label("points"))
    members = (
        _in_scope(source, kind)
        .where(
            or_(
                User.leaderboard_visibility != Visibility.HIDDEN.value,
                User.id == bindparam("viewer_id"),
            )
        )
        .subquery("members")
    )
    return select(
        members.c.id.label("user_id"),
        members.c.leaderboard_visibility,
        members.c.points,
        func.row_number().over(order_by=(members.c.points.desc(), members.c.id)).label("position"),
        func.rank().over(order_by=members.c.points.desc()).label("rank"),
        func.count().over().label("size"),
    ).cte("board")


def _relations(user_id: Any) -> tuple[Any, Any]:
    """`coached` (the viewer coaches a cohort this person is in) and `mate` (they share a
    cohort) for the person whose id is `user_id`."""
    other, their_cohort = aliased(CohortMember), aliased(Cohort)
    coached = exists().where(
        other.user_id == user_id,
        other.status == ACTIVE,
        their_cohort.id == other.cohort_id,
        their_cohort.coach_id == bindparam("viewer_id"),
    )
    viewer_cohorts = select(CohortMember.cohort_id).where(
        CohortMember.user_id == bindparam("viewer_id"), CohortMember.status == ACTIVE
    )
    mate = exists().where(
        other.user_id == user_id, other.status == ACTIVE, other.cohort_id.in_(viewer_cohorts)
    )
    return coached.label("coached"), mate.label("mate")


def _with_relations(board: CTE) -> Select[Any]:
    """The board's columns plus the name, and `coached` and `mate` for the viewer, all
    evaluated only for the rows returned."""
    # Names are read only for the rows returned, not for the whole scope.
    return select(
        board,
        User.display_name,
        User.org_id,  # a district admin sees the real names of their own district
        *_relations(board.c.user_id),
    ).join(User, User.id == board.c.user_id)


@cache
def people_query() -> Select[Any]:
    """What the naming rules need about the people `ids` (a board ranked elsewhere)."""
    return select(
        User.id.label("user_id"),
        User.leaderboard_visibility,
        User.display_name,
        User.org_id,
        *_relations(User.id),
    ).where(User.id.in_(bindparam("ids", expanding=True)))


@cache
def own_points_query(kind: str, period: str) -> Select[Any]:
    """The viewer's points, when they are a member of the scope (else no row)."""
    source = select(_points(period).label("points")).select_from(User)
    return _in_scope(source, kind).where(User.id == bindparam("viewer_id"))


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


def params(scope_id: int, viewer_id: int | None, week: str | None) -> dict[str, int | str]:
    values: dict[str, int | str] = {"scope_id": scope_id}
    if viewer_id is not None:
        values["viewer_id"] = viewer_id
    if week is not None:
        values["week"] = week
    return values


def top_rows(
    *, session: Session, kind: str, scope_id: int, period: str, week: str | None, viewer_id: int
) -> list[Any]:
    return list(session.execute(top_query(kind, period), params(scope_id, viewer_id, week)))


def all_rows(
    *, session: Session, kind: str, scope_id: int, period: str, week: str | None, viewer_id: int
) -> list[Any]:
    return list(session.execute(full_query(kind, period), params(scope_id, viewer_id, week)))
