"""Routes of the game area (thin views over the game services): the progress page, the
leaderboard visibility setting, leaderboards (htmx tabs) and their CSV export."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, flash, redirect, request, url_for

from server.auth.session import login_required, require_user
from server.db import get_session
from server.errors import InvalidInput
from server.game import leaderboard as boards
from server.game import levels, rules
from server.game import profile as profiles
from server.htmx import render
from server.ids import parse_id

bp = Blueprint("game", __name__)


@bp.record
def _install_game_settings(state) -> None:
    # Points are paid outside requests too (CLI, jobs): the services read what is installed.
    settings = state.app.config["SETTINGS"]
    rules.configure(settings.game_points)
    levels.configure(settings.game_levels)


@bp.get("/me")
@login_required
def profile():
    session = get_session()
    data = profiles.build(session=session, user=require_user())
    session.commit()  # a level-up celebration is shown once
    return render("game/profile.html", profile=data, choices=profiles.VISIBILITY_CHOICES)


@bp.post("/me/visibility")
@login_required
def set_visibility():
    session = get_session()
    user = profiles.set_visibility(session=session, user=require_user(),
                                   visibility=request.form.get("visibility", ""))
    session.commit()
    label = dict((v, name) for v, name, _ in profiles.VISIBILITY_CHOICES)[
        user.leaderboard_visibility]
    flash(f"Leaderboard visibility saved: {label}.", "success")
    return redirect(url_for("game.profile") + "#visibility", 303)


def _chosen(session, viewer, scopes: list[boards.Scope]) -> boards.Scope | None:
    key = request.args.get("board", "")
    if not key:
        return scopes[0] if scopes else None
    kind, _, raw_id = key.partition("-")
    scope_id = parse_id(raw_id)
    if scope_id is None:
        raise InvalidInput("That leaderboard address isn't right.")
    return boards.resolve(session=session, viewer=viewer, kind=kind, scope_id=scope_id)


def _period() -> str:
    period = request.args.get("period", "week")
    if period not in boards.PERIODS:
        raise InvalidInput("Choose this week or all time.")
    return period


@bp.get("/leaderboards")
@login_required
def leaderboards():
    session, viewer = get_session(), require_user()
    scopes = boards.boards_for(session=session, viewer=viewer)
    scope, period = _chosen(session, viewer, scopes), _period()
    board = (boards.leaderboard(session=session, viewer=viewer, scope=scope, period=period)
             if scope else None)
    can_export = scope is not None and boards.may_export(viewer=viewer, scope=scope)
    return render("game/leaderboards.html", "game/_board.html", scopes=scopes, board=board,
                  period=period, can_export=can_export)


def _csv_cell(value: str) -> str:
    # A name starting with = + - @ would run as a formula in a spreadsheet.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@bp.get("/leaderboards/export.csv")
@login_required
def export_csv():
    session, viewer = get_session(), require_user()
    scope = _chosen(session, viewer, boards.boards_for(session=session, viewer=viewer))
    if scope is None:
        raise InvalidInput("Choose a leaderboard to download.")
    period = _period()
    entries = boards.all_entries(session=session, viewer=viewer, scope=scope, period=period)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["rank", "name", "points"])
    for entry in entries:
        writer.writerow([entry.rank, _csv_cell(entry.label), entry.points])
    suffix = boards.current_week(viewer) if period == "week" else "all-time"
    filename = f"leaderboard-{scope.key}-{suffix}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
