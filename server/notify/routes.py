"""Routes of the notify area (thin views over notify/service.py)."""

from __future__ import annotations

from flask import flash, redirect, url_for

from server.auth.session import login_required, require_user, safe_next
from server.db import get_session
from server.htmx import render
from server.notify import bp, service


@bp.get("/inbox")
@login_required
def inbox():
    notices = service.inbox(session=get_session(), user_id=require_user().id)
    unread = sum(1 for notice in notices if notice.read_at is None)
    return render("notify/inbox.html", "notify/_list.html", notices=notices, unread=unread)


@bp.post("/inbox/<int:notice_id>/open")
@login_required
def open_notice(notice_id: int):
    db = get_session()
    notice = service.open_notice(session=db, user_id=require_user().id, notice_id=notice_id)
    db.commit()
    # Notice URLs are written by the app, but never trust them as an open redirect.
    return redirect(safe_next(notice.url), 303)


@bp.post("/inbox/read-all")
@login_required
def read_all():
    db = get_session()
    count = service.mark_all_read(session=db, user_id=require_user().id)
    db.commit()
    flash("All notices marked as read." if count else "Nothing new to mark.", "success")
    return redirect(url_for("notify.inbox"), 303)
