"""The account page: profile, time zone, recovery codes and signed-in devices (sign out one
or all); its passkeys section is served by passkey_views.py. Views on the auth blueprint
(routes.bp)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for

from server.auth import bp, recovery, service
from server.auth import view_helpers as helpers
from server.auth.session import (
    current_session_id,
    login_required,
    logout_user,
    require_user,
    session_store,
)
from server.auth.sessions import KEY_LENGTH
from server.db import get_session
from server.errors import InvalidInput, NotFound
from server.htmx import render, wants_fragment


def _account_page(status: int = 200, **context):
    user = require_user()
    db = get_session()
    context.setdefault(
        "form",
        {"display_name": user.display_name, "email": user.email or "", "timezone": user.timezone},
    )
    return render(
        "auth/account.html",
        status=status,
        user=user,
        passkeys=service.list_passkeys(session=db, user=user),
        unused_codes=recovery.unused_count(session=db, user=user),
        devices=session_store().list_for(
            session=db, user_id=user.id, current_id=current_session_id()
        ),
        idle_days=helpers.settings().session_idle_days,
        max_days=helpers.settings().session_max_days,
        time_zones=service.time_zones(),
        common_zones=service.common_time_zones(session=db, user=user),
        **context,
    )


@bp.get("/account")
@login_required
def account():
    return _account_page()


@bp.post("/account/profile")
@login_required
def update_profile():
    form = {key: request.form.get(key, "") for key in ("display_name", "email", "timezone")}
    # The short list's choice, unless a zone was typed in the search field.
    form["timezone"] = request.form.get("timezone_other", "").strip() or form["timezone"]
    try:
        service.update_profile(session=get_session(), user=require_user(), **form)
    except InvalidInput as err:
        return _account_page(422, form=form, errors={err.field: err.message})
    flash("Your details are saved.", "success")
    return redirect(url_for("auth.account"), 303)


@bp.post("/account/time-zone")
@login_required
def update_time_zone():
    """The account page's offer: switch to the zone this device reports."""
    user = require_user()
    try:
        service.set_time_zone(
            session=get_session(), user=user, timezone=request.form.get("timezone")
        )
    except InvalidInput as err:
        return _account_page(422, errors={err.field: err.message})
    flash(f"Times now show in {user.timezone}.", "success")
    return redirect(url_for("auth.account"), 303)


# --- recovery codes -----------------------------------------------------------------


@bp.post("/account/recovery-codes")
@login_required
def new_recovery_codes():
    codes = recovery.replace_codes(session=get_session(), user=require_user())
    helpers.keep_recovery_codes(codes, then=url_for("auth.account"), replaced=True)
    return redirect(url_for("auth.recovery_codes"), 303)


# --- signed-in devices --------------------------------------------------------------


def still_signed_in() -> bool:
    """Is this browser's session still alive (after ending one or more sessions)?"""
    session_id = current_session_id()
    return bool(
        session_id
        and session_store().user_for(session=get_session(), session_id=session_id) is not None
    )


def signed_out(message: str):
    logout_user()
    flash(message, "success")
    url = url_for("catalog.home")  # where plain sign-out lands too
    if wants_fragment():
        return "", 200, {"HX-Redirect": url}
    return redirect(url, 303)


@bp.post("/account/devices/<key>/sign-out")
@login_required
def sign_out_device(key: str):
    ended = len(key) == KEY_LENGTH and session_store().end_one(
        session=get_session(), user_id=require_user().id, key=key
    )
    if not ended:
        raise NotFound(
            "We couldn't find that signed-in device on your account. It may be signed out already."
        )
    if not still_signed_in():
        return signed_out("You're signed out on this device.")
    flash("That device is signed out.", "success")
    return redirect(url_for("auth.account", _anchor="devices"), 303)


@bp.post("/account/devices/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    session_store().end_all(session=get_session(), user_id=require_user().id)
    return signed_out("You're signed out on every device, this one too.")
