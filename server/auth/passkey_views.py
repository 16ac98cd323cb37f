"""The account page's passkeys: one passkey's row that swaps itself for a form and back
(rename, remove), adding a passkey on this device, and on another device through a
one-time link + QR code. Views on the auth blueprint (routes.bp)."""

from __future__ import annotations

from datetime import timedelta

from flask import flash, jsonify, redirect, request, url_for

from server.auth import bp, devicelinks, passkeys, service
from server.auth import view_helpers as helpers
from server.auth.account_views import signed_out, still_signed_in
from server.auth.routes import rate_limited
from server.auth.session import (
    login_required,
    login_user,
    require_user,
    session_store,
)
from server.db import get_session
from server.errors import InvalidInput
from server.htmx import render, wants_fragment
from server.jsonapi import read_json
from server.models import User, utcnow
from server.qr import qr_svg

# --- one passkey: a row that swaps itself for a form and back (htmx, or plain pages) ---


def _passkey_view(fragment: str, passkey_id: int, status: int = 200, **context):
    passkey = service.own_passkey(session=get_session(), user=require_user(), passkey_id=passkey_id)
    return render(
        "auth/passkey_page.html",
        fragment,
        status=status,
        passkey=passkey,
        row_template=fragment,
        **context,
    )


@bp.get("/passkeys/<int:passkey_id>")
@login_required
def passkey_row(passkey_id: int):
    return _passkey_view("auth/_passkey_row.html", passkey_id)


@bp.get("/passkeys/<int:passkey_id>/rename")
@login_required
def rename_passkey_form(passkey_id: int):
    return _passkey_view("auth/_passkey_rename.html", passkey_id)


@bp.post("/passkeys/<int:passkey_id>/rename")
@login_required
def rename_passkey(passkey_id: int):
    nickname = request.form.get("nickname", "")
    try:
        service.rename_passkey(
            session=get_session(), user=require_user(), passkey_id=passkey_id, nickname=nickname
        )
    except InvalidInput as err:
        return _passkey_view(
            "auth/_passkey_rename.html", passkey_id, 422, error=err.message, nickname=nickname
        )
    if wants_fragment():
        return _passkey_view("auth/_passkey_row.html", passkey_id, announce="Name saved.")
    flash("The passkey's new name is saved.", "success")
    return redirect(url_for("auth.account", _anchor="passkeys"), 303)


@bp.get("/passkeys/<int:passkey_id>/remove")
@login_required
def remove_passkey_confirm(passkey_id: int):
    return _passkey_view("auth/_passkey_remove.html", passkey_id)


@bp.post("/passkeys/<int:passkey_id>/remove")
@login_required
def remove_passkey(passkey_id: int):
    try:
        passkey = service.remove_passkey(
            session=get_session(),
            user=require_user(),
            passkey_id=passkey_id,
            sessions=session_store(),
        )
    except InvalidInput as err:
        return _passkey_view("auth/_passkey_row.html", passkey_id, 422, error=err.message)
    if not still_signed_in():
        return signed_out(
            f"You removed “{passkey.nickname}”, the passkey you signed in "
            "with here, so this device is signed out."
        )
    if wants_fragment():
        return render("auth/_passkey_removed.html", "auth/_passkey_removed.html", passkey=passkey)
    flash(f"Passkey “{passkey.nickname}” removed.", "success")
    return redirect(url_for("auth.account", _anchor="passkeys"), 303)


# --- adding a passkey on this device -------------------------------------------------


@bp.post("/passkeys/options")
@login_required
@rate_limited
def add_passkey_options():
    return jsonify(
        passkeys.begin_add_passkey(
            session=get_session(), rp=helpers.relying_party(), user=require_user()
        )
    )


@bp.post("/passkeys/verify")
@login_required
@rate_limited
def add_passkey_verify():
    body = read_json(helpers.CEREMONY)
    user = require_user()
    passkeys.finish_add_passkey(
        session=get_session(),
        rp=helpers.relying_party(),
        challenge_id=body.get("challengeId"),
        credential=body.get("credential"),
        nickname=helpers.nickname_for_request(),
        expected_user_id=user.id,
    )
    flash("Your new passkey is ready.", "success")
    return jsonify({"redirect": url_for("auth.account", _anchor="passkeys")})


# --- adding a passkey on another device: a one-time link ----------------------------


@bp.post("/account/device-link")
@login_required
def create_device_link():
    ttl = helpers.settings().device_link_ttl_seconds
    token = devicelinks.create_device_link(
        session=get_session(), user=require_user(), ttl_seconds=ttl
    )
    helpers.keep_device_link(token, utcnow() + timedelta(seconds=ttl))
    return redirect(url_for("auth.show_device_link"), 303)


@bp.get("/account/device-link")
@login_required
def show_device_link():
    kept = helpers.take_device_link()  # shown once: a reload or a copied cookie sees nothing
    if kept is None or not devicelinks.is_usable(session=get_session(), token=kept[0]):
        flash(
            "A link is shown only once, and that one was shown, has expired or was used. "
            "Make a new one below.",
            "warning",
        )
        return redirect(url_for("auth.account", _anchor="passkeys"), 303)
    token, expires_at = kept
    url = helpers.link_url(token)
    minutes = max(1, round((expires_at - utcnow()).total_seconds() / 60))
    return render("auth/device_link.html", url=url, qr=qr_svg(url), minutes=minutes)


@bp.get("/link/<token>")
def device_link(token: str):
    link = devicelinks.usable_link(session=get_session(), token=token)
    owner = get_session().get(User, link.user_id)
    return render("auth/link.html", owner=owner, token=token)


@bp.post("/link/<token>/options")
@rate_limited
def device_link_options(token: str):
    db = get_session()
    link = devicelinks.usable_link(session=db, token=token)
    owner = db.get_one(User, link.user_id)
    return jsonify(
        passkeys.begin_add_passkey(
            session=db, rp=helpers.relying_party(), user=owner, device_link_id=link.id
        )
    )


@bp.post("/link/<token>/verify")
@rate_limited
def device_link_verify(token: str):
    db = get_session()
    body = read_json(helpers.CEREMONY)
    link = devicelinks.usable_link(session=db, token=token)
    used = passkeys.finish_add_passkey(
        session=db,
        rp=helpers.relying_party(),
        challenge_id=body.get("challengeId"),
        credential=body.get("credential"),
        nickname=helpers.nickname_for_request(),
        expected_user_id=link.user_id,
    )
    login_user(used.user, passkey_id=used.passkey.id)
    flash("Your passkey is ready, and you're signed in on this device.", "success")
    return jsonify({"redirect": url_for("auth.account", _anchor="passkeys")})
