"""Reading a Redis board (boards_redis.py) into the rows the SQL ranking returns, so that
leaderboard.py names and shows them exactly the same way.

Positions come from the set's order, ranks from ZCOUNT of the scores above a number of
points. The one person the set can lack is the viewer: hidden people are on no board but
their own, where they are placed as if they were in the set ("you (hidden)").
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from redis.exceptions import RedisError
from sqlalchemy.engine import Engine
from sqlmodel import Session

from server.game import ranking
from server.game.boards_redis import SENTINEL, SHIFT, RedisBoards, points_of, score, tag_for

log = logging.getLogger(__name__)
PEOPLE_CHUNK = 5_000


@dataclass(frozen=True)
class RankedRow:
    """The columns of ranking.top_query's rows that leaderboard.entry_for reads."""

    user_id: int
    points: int
    position: int
    rank: int
    size: int
    leaderboard_visibility: str
    display_name: str
    org_id: int | None
    coached: bool
    mate: bool


@dataclass
class _View:
    key: str
    size: int
    mine: int | None  # the viewer's position, None when not a member of the scope
    virtual: tuple[int, int] | None  # (viewer id, score) when placed without being in the set

    def index_of(self, position: int) -> int | None:
        """Where a position is in the set (None: the virtual viewer)."""
        if self.virtual is None or self.mine is None or position < self.mine:
            return position - 1
        return None if position == self.mine else position - 2


def _view(
    store: RedisBoards, session: Session, kind: str, scope_id: int, period: str,
    week: str | None, viewer_id: int,
) -> _View | None:  # fmt: skip
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    key, card, rank = store.look(kind, scope_id, tag_for(period, week), viewer_id)
    if not card:
        if not store.build(engine, key, kind=kind, scope_id=scope_id, period=period, week=week):
            return None  # another request is building it: SQL this once
        key, card, rank = store.look(kind, scope_id, tag_for(period, week), viewer_id)
        if not card:  # made stale as soon as built: SQL this once
            return None
    view = _View(key=key, size=card - 1, mine=None if rank is None else rank + 1, virtual=None)
    if rank is None:
        params = ranking.params(scope_id, viewer_id, week if period == "week" else None)
        own = session.execute(ranking.own_points_query(kind, period), params).first()
        if own is not None:
            mine = score(own.points, viewer_id)
            view.mine = int(store.redis.zcount(key, f"({mine}", "+inf")) + 1
            view.virtual, view.size = (viewer_id, mine), view.size + 1
    return view


def _fetch(store: RedisBoards, view: _View, positions: list[int]) -> list[tuple[int, int, int]]:
    """(position, user id, score) for the positions, in order."""
    indexes = sorted(i for i in (view.index_of(p) for p in positions) if i is not None)
    runs: list[list[int]] = []  # contiguous stretches: the top ten, the neighbours
    for at in indexes:
        if runs and at == runs[-1][1] + 1:
            runs[-1][1] = at
        else:
            runs.append([at, at])
    pipe = store.redis.pipeline(transaction=False)
    for low, high in runs:
        pipe.zrevrange(view.key, low, high, withscores=True)
    found: dict[int, tuple[int, int]] = {}
    for (low, _), items in zip(runs, pipe.execute(), strict=True):
        for offset, (member, value) in enumerate(items):
            if member.decode() != SENTINEL:
                found[low + offset] = (int(member), int(value))
    rows: list[tuple[int, int, int]] = []
    for position in positions:
        index = view.index_of(position)
        if index is None and view.virtual is not None:
            rows.append((position, *view.virtual))
        elif index is not None and index in found:
            rows.append((position, *found[index]))
    return rows


def _ranks(store: RedisBoards, view: _View, scores: list[int]) -> dict[int, int]:
    """Competition rank per points: 1 + how many have more points."""
    points = sorted({points_of(s) for s in scores})
    pipe = store.redis.pipeline(transaction=False)
    for p in points:
        pipe.zcount(view.key, (p + 1) * SHIFT, "+inf")
    above = dict(zip(points, pipe.execute(), strict=True))
    if view.virtual is not None:
        theirs = points_of(view.virtual[1])
        above = {p: n + (1 if theirs > p else 0) for p, n in above.items()}
    return {p: n + 1 for p, n in above.items()}


def _rows(
    store: RedisBoards, session: Session, view: _View, found: list[tuple[int, int, int]],
    viewer_id: int,
) -> list[RankedRow]:  # fmt: skip
    ranks = _ranks(store, view, [s for _, _, s in found])
    ids = [uid for _, uid, _ in found]
    people: dict[int, Any] = {}
    for start in range(0, len(ids), PEOPLE_CHUNK):
        chunk = {"ids": ids[start : start + PEOPLE_CHUNK], "viewer_id": viewer_id}
        people.update((row.user_id, row) for row in session.execute(ranking.people_query(), chunk))
    return [
        RankedRow(
            user_id=uid,
            points=points_of(value),
            position=position,
            rank=ranks[points_of(value)],
            size=view.size,
            leaderboard_visibility=people[uid].leaderboard_visibility,
            display_name=people[uid].display_name,
            org_id=people[uid].org_id,
            coached=bool(people[uid].coached),
            mate=bool(people[uid].mate),
        )
        for position, uid, value in found
        if uid in people  # a person deleted since the board was built
    ]


def _ranked(
    store: RedisBoards, session: Session, kind: str, scope_id: int, period: str,
    week: str | None, viewer_id: int, *, whole: bool,
) -> list[RankedRow] | None:  # fmt: skip
    try:
        view = _view(store, session, kind, scope_id, period, week, viewer_id)
        if view is None:
            return None
        positions = list(range(1, view.size + 1)) if whole else _top_positions(view)
        return _rows(store, session, view, _fetch(store, view, positions), viewer_id)
    except RedisError:
        log.warning("leaderboards: Redis unavailable, ranked by SQL", exc_info=True)
        return None


def _top_positions(view: _View) -> list[int]:
    wanted = set(range(1, min(ranking.TOP, view.size) + 1))
    if view.mine is not None:
        near = range(view.mine - ranking.NEIGHBOURS, view.mine + ranking.NEIGHBOURS + 1)
        wanted |= {p for p in near if 1 <= p <= view.size}
    return sorted(wanted)


def top_rows(
    store: RedisBoards, session: Session, *, kind: str, scope_id: int, period: str,
    week: str | None, viewer_id: int,
) -> list[RankedRow] | None:  # fmt: skip
    """The top ten and the viewer's neighbours, as ranking.top_rows (None: use SQL)."""
    return _ranked(store, session, kind, scope_id, period, week, viewer_id, whole=False)


def all_rows(
    store: RedisBoards, session: Session, *, kind: str, scope_id: int, period: str,
    week: str | None, viewer_id: int,
) -> list[RankedRow] | None:  # fmt: skip
    """The whole board, as ranking.all_rows (None: use SQL)."""
    return _ranked(store, session, kind, scope_id, period, week, viewer_id, whole=True)
