"""Routes of the game area (thin views over the game services): the progress page, the
leaderboard visibility setting, leaderboards (htmx tabs) and their CSV export."""

from __future__ import annotations

from flask import flash, redirect, request, url_for

from server.auth.session import login_required, require_user
from server.csvout import csv_download
from server.db import get_session
from server.errors import InvalidInput
from server.game import board_events, bp, levels, rules
from server.game import leaderboard as boards
from server.game import profile as profiles
from server.game.boards_redis import RedisBoards
from server.htmx import render
from server.ids import parse_id


@bp.record
def _install_game_settings(state) -> None:
    # Points are paid outside requests too (CLI, jobs): the services read what is installed.
    settings = state.app.config["SETTINGS"]
    rules.configure(settings.game_points)
    levels.configure(settings.game_levels)
    # Leaderboards in Redis sorted sets when Redis is configured (as the sessions are).
    store = RedisBoards.from_url(settings.redis_url) if settings.redis_url else None
    board_events.install(state.app.extensions["db_engine"], store)


@bp.get("/me")
@login_required
def profile():
    db = get_session()
    data = profiles.build(session=db, user=require_user())
    if data.celebrate:
        db.commit()  # a level-up celebration is shown once; otherwise a GET writes nothing
    return render("game/profile.html", profile=data, choices=profiles.VISIBILITY_CHOICES)


@bp.post("/me/visibility")
@login_required
def set_visibility():
    db = get_session()
    user = profiles.set_visibility(
        session=db, user=require_user(), visibility=request.form.get("visibility", "")
    )
    db.commit()
    label = dict((v, name) for v, name, _ in profiles.VISIBILITY_CHOICES)[
        user.leaderboard_visibility
    ]
    flash(f"Leaderboard visibility saved: {label}.", "success")
    return redirect(url_for("game.profile") + "#visibility", 303)


def _chosen(db, viewer, scopes: list[boards.Scope]) -> boards.Scope | None:
    key = request.args.get("board", "")
    if not key:
        return scopes[0] if scopes else None
    kind, _, raw_id = key.partition("-")
    scope_id = parse_id(raw_id)
    if scope_id is None:
        raise InvalidInput("That leaderboard address isn't right.")
    return boards.resolve(session=db, viewer=viewer, kind=kind, scope_id=scope_id)


def _period() -> str:
    period = request.args.get("period", "week")
    if period not in boards.PERIODS:
        raise InvalidInput("Choose this week or all time.")
    return period


@bp.get("/leaderboards")
@login_required
def leaderboards():
    db, viewer = get_session(), require_user()
    scopes = boards.boards_for(session=db, viewer=viewer)
    scope, period = _chosen(db, viewer, scopes), _period()
    board = (
        boards.leaderboard(session=db, viewer=viewer, scope=scope, period=period) if scope else None
    )
    can_export = scope is not None and boards.may_export(viewer=viewer, scope=scope)
    return render(
        "game/leaderboards.html",
        "game/_board.html",
        scopes=scopes,
        board=board,
        period=period,
        can_export=can_export,
    )


@bp.get("/leaderboards/export.csv")
@login_required
def export_csv():
    db, viewer = get_session(), require_user()
    scope = _chosen(db, viewer, boards.boards_for(session=db, viewer=viewer))
    if scope is None:
        raise InvalidInput("Choose a leaderboard to download.")
    period = _period()
    entries = boards.all_entries(session=db, viewer=viewer, scope=scope, period=period)
    suffix = boards.current_week(viewer) if period == "week" else "all-time"
    return csv_download(
        f"leaderboard-{scope.key}-{suffix}.csv",
        ["rank", "name", "points"],
        ([entry.rank, entry.label, entry.points] for entry in entries),
    )
