"""Signing up, signing in and out: pages, and the JSON steps of the passkey ceremonies.

The account pages are in account_views.py (profile, recovery codes, devices) and
passkey_views.py (passkeys, device links), on the same blueprint.
"""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, request, url_for

from server import timezones
from server.auth import bp, passkey_sign_in, passkeys, recovery, service
from server.auth import view_helpers as helpers
from server.auth.session import (
    login_required,
    login_user,
    logout_user,
    safe_next,
)
from server.db import get_session
from server.demo.people import DEMO_HANDLES
from server.errors import InvalidInput
from server.extensions import limiter
from server.htmx import render
from server.jsonapi import error_json, read_json, wants_json
from server.web import error_response

rate_limited = limiter.limit(helpers.signin_rate_limit, methods=["POST"])
TOO_MANY = "Too many tries from here. Please wait a minute, then try again."


@bp.errorhandler(429)
def _too_many(_err):
    if wants_json():
        return error_json(TOO_MANY, 429)
    return error_response(429, "Too many tries", TOO_MANY)


# --- sign in ------------------------------------------------------------------------


def _sign_in_page(status: int = 200, **context):
    return render(
        "auth/sign_in.html",
        status=status,
        next=request.values.get("next", ""),
        demo_roles=list(DEMO_HANDLES),
        **context,
    )


@bp.get("/sign-in")
def sign_in():
    return _sign_in_page()


@bp.post("/login/options")
@rate_limited
def login_options():
    return jsonify(passkey_sign_in.begin_sign_in(session=get_session(), rp=helpers.relying_party()))


@bp.post("/login/verify")
@rate_limited
def login_verify():
    body = read_json(helpers.CEREMONY)
    used = passkey_sign_in.finish_sign_in(
        session=get_session(),
        rp=helpers.relying_party(),
        challenge_id=body.get("challengeId"),
        credential=body.get("credential"),
    )
    login_user(used.user, passkey_id=used.passkey.id)
    return jsonify({"redirect": safe_next(body.get("next"))})


@bp.post("/recovery")
@rate_limited
def recovery_sign_in():
    db = get_session()
    try:
        user = recovery.redeem(session=db, code=request.form.get("code", ""))
    except InvalidInput as err:
        return _sign_in_page(422, recovery_error=err.message)
    login_user(user)
    left = recovery.unused_count(session=db, user=user)
    flash(
        f"You signed in with a recovery code ({left} left). Add a passkey now, so you "
        "can sign in with it next time.",
        "warning",
    )
    return redirect(url_for("auth.account", _anchor="passkeys"), 303)


@bp.post("/demo/<role>")
def demo(role: str):
    if not helpers.settings().demo or role not in DEMO_HANDLES:
        abort(404)
    user = service.user_by_handle(session=get_session(), handle=DEMO_HANDLES[role])
    if user is None:
        flash(
            f"The demo {role} isn't set up yet. Load the demo data "
            "(`chalkmark seed-demo`) and try again.",
            "error",
        )
        return redirect(url_for("auth.sign_in"), 303)
    login_user(user)
    return redirect(safe_next(request.form.get("next")), 303)


@bp.post("/sign-out")
def sign_out():
    logout_user()
    return redirect(url_for("catalog.home"), 303)


# --- sign up ------------------------------------------------------------------------


@bp.route("/sign-up", methods=["GET", "POST"])
@rate_limited
def sign_up():
    """The form is sent by passkeys.js; posted without script, it is checked and explains
    that creating a passkey needs JavaScript."""
    form = {key: request.form.get(key, "") for key in ("display_name", "email", "timezone")}
    if request.method == "GET":
        return render("auth/sign_up.html", form=form, next=request.args.get("next", ""))
    try:
        service.check_new_profile(
            session=get_session(), display_name=form["display_name"], email=form["email"]
        )
        timezones.clean_name(form["timezone"])
    except InvalidInput as err:
        return render(
            "auth/sign_up.html",
            status=422,
            form=form,
            errors={err.field: err.message},
            next=request.form.get("next", ""),
        )
    return render(
        "auth/sign_up.html",
        status=422,
        form=form,
        needs_script=True,
        next=request.form.get("next", ""),
    )


@bp.post("/register/options")
@rate_limited
def register_options():
    body = read_json(helpers.PROFILE)
    return jsonify(
        passkeys.begin_sign_up(
            session=get_session(),
            rp=helpers.relying_party(),
            display_name=body.get("display_name"),
            email=body.get("email"),
            timezone=body.get("timezone"),
        )
    )


@bp.post("/register/verify")
@rate_limited
def register_verify():
    body = read_json(helpers.CEREMONY)
    db = get_session()
    used = passkeys.finish_sign_up(
        session=db,
        rp=helpers.relying_party(),
        challenge_id=body.get("challengeId"),
        credential=body.get("credential"),
        nickname=helpers.nickname_for_request(),
    )
    login_user(used.user, passkey_id=used.passkey.id)
    codes = recovery.replace_codes(session=db, user=used.user)
    helpers.keep_recovery_codes(codes, then=safe_next(body.get("next")))
    return jsonify({"redirect": url_for("auth.recovery_codes")})


@bp.get("/recovery-codes")
@login_required
def recovery_codes():
    codes, then, replaced = helpers.take_recovery_codes()
    return render("auth/recovery_codes.html", codes=codes, then=then, replaced=replaced)
