"""Push notification settings and the JSON endpoints push.js and sw-push.js call.

These views live on the notify blueprint; server/notify/routes.py imports this module so
they are registered with it.
"""

from __future__ import annotations

from flask import flash, jsonify, redirect, request, url_for

from server.auth.session import login_required, require_user
from server.db import get_session
from server.errors import NotFound
from server.extensions import csrf, limiter
from server.htmx import render, wants_fragment
from server.jsonapi import Object, Schema, Text, json_api, read_json
from server.models import NoticeKind
from server.notify import bp, subscriptions
from server.notify import service as notify
from server.notify.endpoints import current_policy
from server.notify.vapid import current_keys, keys_for

TEST_TITLE = "Test notice from Chalkmark"
TEST_BODY = "If you can read this, notices reach this device."
# What the browser's PushSubscription JSON carries; subscriptions.parse checks the values.
SUBSCRIPTION = Schema(endpoint=Text(4000), keys=Object())
RESUBSCRIPTION = Schema(subscription=Object(), old_endpoint=Text(4000))


@bp.record_once
def _make_vapid_keys_on_start(state) -> None:
    # Generated (or read) once at start-up, so a bad CHALKMARK_VAPID_PRIVATE_KEY fails
    # loudly now instead of in the first job.
    keys_for(state.app.config["SETTINGS"])


def _devices_context(user, **extra) -> dict:
    devices = subscriptions.devices(session=get_session(), user=user)
    return {"devices": [(d, subscriptions.device_label(d.user_agent)) for d in devices], **extra}


@bp.get("/notifications/settings")
@login_required
def push_settings():
    user = require_user()
    return render(
        "notify/push_settings.html", "notify/_push_devices.html", **_devices_context(user)
    )


@bp.get("/push/key")
def push_key():
    # Public on purpose: it is a public key, and the service worker asks for it when the
    # browser renews a subscription, possibly long after the sign-in session ended.
    return jsonify({"publicKey": current_keys().public_key})


@bp.post("/push/subscriptions")
@login_required
@json_api
def save_subscription():
    db = get_session()
    data = subscriptions.parse(read_json(SUBSCRIPTION), policy=current_policy())
    saved = subscriptions.save(
        session=db, user=require_user(), data=data, user_agent=request.headers.get("User-Agent", "")
    )
    db.commit()
    return jsonify({"id": saved.id, "device": subscriptions.device_label(saved.user_agent)}), 201


@bp.get("/push/subscriptions/<int:subscription_id>/delete")
@login_required
def confirm_remove_device(subscription_id: int):
    user = require_user()
    device = next(
        (
            d
            for d in subscriptions.devices(session=get_session(), user=user)
            if d.id == subscription_id
        ),
        None,
    )
    if device is None:
        raise NotFound("That device isn't in your list.")
    return render(
        "notify/push_remove.html",
        "notify/_push_remove.html",
        device=device,
        label=subscriptions.device_label(device.user_agent),
    )


@bp.post("/push/subscriptions/<int:subscription_id>/delete")
@login_required
def remove_device(subscription_id: int):
    db = get_session()
    user = require_user()
    subscriptions.remove(session=db, user=user, subscription_id=subscription_id)
    db.commit()
    message = "That device won't get notices any more."
    if wants_fragment():
        return render("notify/_push_devices.html", **_devices_context(user, announce=message))
    flash(message, "success")
    return redirect(url_for("notify.push_settings"), 303)


@bp.post("/push/test")
@login_required
def send_test_notice():
    db = get_session()
    user = require_user()
    has_devices = bool(subscriptions.devices(session=db, user=user))
    notify.send(
        session=db,
        user_id=user.id,
        kind=NoticeKind.TEST,
        title=TEST_TITLE,
        body=TEST_BODY,
        url=url_for("notify.push_settings"),
    )
    db.commit()
    if has_devices:
        message = "Test notice sent. It should arrive on your devices in a few seconds."
    else:
        message = (
            "Test notice added to your inbox. No device is set up for notices yet: "
            "choose “Notify me on this device” first."
        )
    if wants_fragment():
        return render("notify/_push_test_result.html", message=message)
    flash(message, "success")
    return redirect(url_for("notify.push_settings"), 303)


@bp.post("/push/resubscribe")
@csrf.exempt
@limiter.limit("30 per minute")
@json_api
def resubscribe():
    """The service worker's `pushsubscriptionchange`: the browser replaced a subscription.

    CSRF-exempt because a service worker has no page to read the token from, and it may
    run after the session cookie expired. That is safe because the request must name the
    OLD endpoint of an existing subscription: an unguessable URL only that browser, its
    push service and this server know. A forged request cannot know it, and the only
    effect is moving that one device's row to a new endpoint."""
    body = read_json(RESUBSCRIPTION)
    db = get_session()
    data = subscriptions.parse(body["subscription"], policy=current_policy())
    subscriptions.resubscribe(session=db, old_endpoint=body["old_endpoint"], data=data)
    db.commit()
    return jsonify({"ok": True})
