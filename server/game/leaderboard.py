"""Leaderboards per cohort and per org (district), this week or all time: the top ten
plus "you and your two neighbours above and below", honouring each person's visibility.

Visibility (User.leaderboard_visibility):
  public    — their name, to everyone who can see the board
  cohort    — their name to people sharing a cohort with them; "Anonymous teacher" elsewhere
  anonymous — "Anonymous teacher" to everyone
  hidden    — left off every board (ranks close up), except their own view: "you (hidden)"
Whatever they choose, a coach sees the real names of the cohorts they coach, and a
district admin those of their own district (never the hidden, who are not on the board
at all). The same rules apply to the CSV export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, or_, select
from sqlmodel import Session

from server.errors import Forbidden, InvalidInput, NotFound
from server.game import board_events, boards_ranked, ranking, weeks
from server.models import (
    Cohort,
    CohortMember,
    MemberStatus,
    Org,
    User,
    Visibility,
    utcnow,
)

ANONYMOUS = "Anonymous teacher"
PERIODS = ("week", "all")
KINDS = ("cohort", "org")


@dataclass(frozen=True)
class Scope:
    kind: str  # cohort | org
    id: int
    title: str
    coach_id: int | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.id}"


@dataclass(frozen=True)
class Entry:
    position: int  # 1..n, ties broken by who got there first (lower id)
    rank: int  # competition rank: equal points share a rank
    user_id: int
    points: int
    label: str
    is_you: bool
    named: bool  # False when shown as "Anonymous teacher"


@dataclass
class Board:
    scope: Scope
    period: str
    week: str | None
    size: int
    top: list[Entry] = field(default_factory=list)
    around_you: list[Entry] = field(default_factory=list)  # neighbours not already in top
    you: Entry | None = None


# --- who may see which board ---------------------------------------------------------


def boards_for(*, session: Session, viewer: User) -> list[Scope]:
    """Cohorts the viewer belongs to or coaches, then their district (admins: all)."""
    query = select(Cohort).order_by(Cohort.name, Cohort.id)
    if not viewer.has_role("admin"):
        member_of = select(CohortMember.cohort_id).where(
            CohortMember.user_id == viewer.id, CohortMember.status == MemberStatus.ACTIVE.value
        )
        query = query.where(or_(Cohort.coach_id == viewer.id, Cohort.id.in_(member_of)))
    scopes = [Scope("cohort", c.id, c.name, c.coach_id) for c in session.execute(query).scalars()]
    orgs = select(Org).order_by(Org.name)
    if not viewer.has_role("admin"):
        orgs = orgs.where(Org.id == viewer.org_id)
    scopes += [Scope("org", o.id, o.name) for o in session.execute(orgs).scalars()]
    return scopes


def resolve(*, session: Session, viewer: User, kind: str, scope_id: int) -> Scope:
    if kind not in KINDS:
        raise InvalidInput("Choose a cohort or a district leaderboard.")
    if kind == "cohort":
        cohort = session.get(Cohort, scope_id)
        if cohort is None:
            raise NotFound("That cohort doesn't exist.")
        scope = Scope("cohort", cohort.id, cohort.name, cohort.coach_id)
    else:
        org = session.get(Org, scope_id)
        if org is None:
            raise NotFound("That district doesn't exist.")
        scope = Scope("org", org.id, org.name)
    if not _may_view(session, viewer, scope):
        raise Forbidden("You can only see the leaderboards of your own cohorts and district.")
    return scope


def _may_view(session: Session, viewer: User, scope: Scope) -> bool:
    if viewer.has_role("admin"):
        return True
    if scope.kind == "org":
        return viewer.org_id == scope.id
    if scope.coach_id == viewer.id:
        return True
    member = session.get(CohortMember, (scope.id, viewer.id))
    return member is not None and member.status == MemberStatus.ACTIVE.value


def may_export(*, viewer: User, scope: Scope) -> bool:
    """The whole ranking is for the people who run the cohort, not for every member:
    members see only the top and their neighbours."""
    return viewer.has_role("admin") or (scope.kind == "cohort" and scope.coach_id == viewer.id)


# --- the ranking ---------------------------------------------------------------------


def current_week(viewer: User) -> str:
    return weeks.iso_week(utcnow(), viewer.timezone)


def top_and_neighbours(
    *, session: Session, scope: Scope, period: str, week: str | None, viewer_id: int
) -> list[Any]:
    """The top rows plus the viewer's neighbours (rows before the naming rules): from the
    Redis board when there is one, else one SQL query."""
    store = board_events.store_for(session)
    if store is not None:
        rows = boards_ranked.top_rows(
            store, session, kind=scope.kind, scope_id=scope.id, period=period, week=week,
            viewer_id=viewer_id,
        )  # fmt: skip
        if rows is not None:
            return rows
    return ranking.top_rows(
        session=session,
        kind=scope.kind,
        scope_id=scope.id,
        period=period,
        week=week,
        viewer_id=viewer_id,
    )


def leaderboard(*, session: Session, viewer: User, scope: Scope, period: str) -> Board:
    if period not in PERIODS:
        raise InvalidInput("Choose this week or all time.")
    week = current_week(viewer) if period == "week" else None
    rows = top_and_neighbours(
        session=session, scope=scope, period=period, week=week, viewer_id=viewer.id
    )
    entries = [entry_for(viewer, row) for row in rows]
    board = Board(scope=scope, period=period, week=week, size=rows[0].size if rows else 0)
    board.top = [e for e in entries if e.position <= ranking.TOP]
    board.around_you = [e for e in entries if e.position > ranking.TOP]
    board.you = next((e for e in entries if e.is_you), None)
    return board


def all_entries(*, session: Session, viewer: User, scope: Scope, period: str) -> list[Entry]:
    """The whole visible ranking, names resolved for this viewer (the CSV export)."""
    if not may_export(viewer=viewer, scope=scope):
        raise Forbidden("Only the cohort's coach or an admin can download the whole ranking.")
    week = current_week(viewer) if period == "week" else None
    store = board_events.store_for(session)
    if store is not None:
        ranked = boards_ranked.all_rows(
            store, session, kind=scope.kind, scope_id=scope.id, period=period, week=week,
            viewer_id=viewer.id,
        )  # fmt: skip
        if ranked is not None:
            return [entry_for(viewer, row) for row in ranked]
    rows = ranking.all_rows(
        session=session,
        kind=scope.kind,
        scope_id=scope.id,
        period=period,
        week=week,
        viewer_id=viewer.id,
    )
    return [entry_for(viewer, row) for row in rows]


# --- names, as this viewer may see them -------------------------------------------------


def label_for(
    viewer: User, *, user_id: int, name: str, visibility: str, coached: bool, mate: bool
) -> tuple[str, bool]:
    """(what this viewer sees, whether it is the real name)."""
    if user_id == viewer.id:
        if visibility == Visibility.HIDDEN.value:
            return "you (hidden)", True
        return f"{name} (you)", True
    if visibility == Visibility.HIDDEN.value:
        raise ValueError("hidden people never reach a board")
    if coached or visibility == Visibility.PUBLIC.value:
        return name, True
    if visibility == Visibility.COHORT.value and mate:
        return name, True
    return ANONYMOUS, False


def _admin_of_their_district(viewer: User, org_id: int | None) -> bool:
    return viewer.has_role("admin") and viewer.org_id is not None and viewer.org_id == org_id


def entry_for(viewer: User, row: Row[Any] | boards_ranked.RankedRow) -> Entry:
    label, named = label_for(
        viewer,
        user_id=row.user_id,
        name=row.display_name,
        visibility=row.leaderboard_visibility,
        coached=bool(row.coached) or _admin_of_their_district(viewer, row.org_id),
        mate=bool(row.mate),
    )
    return Entry(
        position=row.position,
        rank=row.rank,
        user_id=row.user_id,
        points=row.points,
        label=label,
        is_you=row.user_id == viewer.id,
        named=named,
    )
