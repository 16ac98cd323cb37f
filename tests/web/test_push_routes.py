"""Push settings and subscription endpoints: own devices only, CSRF on every POST."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from server import jobs
from server.models import Notification, PushSubscription
from server.notify import vapid
from tests.support.factories import make_user
from tests.support.push_service import FakeBrowser
from tests.support.web import csrf_token, htmx_headers, json_error, post_form, sign_in_as

# The fixture `receiver`: a local push service.
pytest_plugins = ["tests.support.push_fixtures"]

CHROME_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)


@pytest.fixture
def teacher(session):
    return make_user(session, name="Maya Lopez")


def subscribe(client, browser: FakeBrowser, **headers):
    return client.post(
        "/push/subscriptions",
        json=browser.as_json(),
        headers={"X-CSRFToken": csrf_token(client), **headers},
    )


def rows(engine) -> list[PushSubscription]:
    with Session(engine) as db:
        return list(db.exec(select(PushSubscription).order_by(PushSubscription.id)).all())


def test_the_public_key_is_served_without_signing_in(client, settings):
    response = client.get("/push/key")
    assert response.status_code == 200
    key = response.json["publicKey"]
    assert key == vapid.keys_for(settings).public_key
    assert len(vapid.b64url_decode(key)) == 65  # an uncompressed P-256 point
    key_file = settings.instance_dir / vapid.KEY_FILE
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_the_key_survives_a_restart(settings):
    from server import create_app

    first = vapid.keys_for(settings).public_key
    vapid._cache.clear()  # as a new process would start
    create_app(settings)
    assert vapid.keys_for(settings).public_key == first


def test_settings_page_needs_sign_in_and_lists_my_devices(client, teacher, engine):
    assert client.get("/notifications/settings").status_code == 303
    sign_in_as(client, teacher)
    assert (
        subscribe(
            client,
            FakeBrowser("https://fcm.googleapis.com/fcm/send/abc"),
            **{"User-Agent": CHROME_UA},
        ).status_code
        == 201
    )
    html = client.get("/notifications/settings").get_data(as_text=True)
    assert "Notify me on this device" in html and "js/notify/push.js" in html
    assert "Chrome on Android" in html and "Send a test notice" in html
    fragment = client.get("/notifications/settings", headers=htmx_headers())
    assert "<html" not in fragment.get_data(as_text=True)
    assert 'id="push-devices"' in fragment.get_data(as_text=True)


def test_subscribing_stores_the_device_once(client, teacher, engine):
    sign_in_as(client, teacher)
    browser = FakeBrowser("https://fcm.googleapis.com/fcm/send/abc")
    first = subscribe(client, browser)
    again = subscribe(client, browser)
    assert first.status_code == again.status_code == 201
    assert first.json["id"] == again.json["id"]
    [row] = rows(engine)
    assert (row.user_id, row.p256dh, row.auth) == (teacher.id, browser.p256dh, browser.auth)


def test_a_browser_changing_hands_moves_to_the_new_person(client, session, teacher, engine):
    browser = FakeBrowser("https://fcm.googleapis.com/fcm/send/shared-laptop")
    sign_in_as(client, teacher)
    subscribe(client, browser)
    colleague = make_user(session)
    sign_in_as(client, colleague)
    subscribe(client, browser)
    assert [row.user_id for row in rows(engine)] == [colleague.id]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"endpoint": "ftp://push.example.net/x"}, "endpoint"),
        ({"endpoint": "javascript:alert(1)"}, "endpoint"),
        ({"endpoint": "https://fcm.googleapis.com/fcm/send/" + "x" * 1000}, "endpoint"),
        ({"keys": {"p256dh": "AAAA", "auth": "x"}}, "p256dh"),
        ({"keys": {"p256dh": "B" + "A" * 86, "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "p256dh"),
        ({"keys": {"p256dh": None, "auth": None}}, "p256dh"),
    ],
)
def test_bad_subscriptions_are_refused_clearly(client, teacher, engine, change, field):
    sign_in_as(client, teacher)
    payload = {**FakeBrowser("https://fcm.googleapis.com/fcm/send/abc").as_json(), **change}
    response = client.post(
        "/push/subscriptions", json=payload, headers={"X-CSRFToken": csrf_token(client)}
    )
    assert response.status_code == 422
    assert json_error(response)["field"] == field and json_error(response)["message"]
    assert rows(engine) == []


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://127.1/push/x",
        "http://2130706433/push/x",
        "http://0x7f000001/push/x",
        "https://localhost./push/x",
        "https://[::ffff:10.0.0.1]/x",
        "https://intranet.corp/x",
    ],
)
def test_internal_endpoints_are_refused_at_subscribe_and_resubscribe(
    client, teacher, engine, endpoint
):
    sign_in_as(client, teacher)
    response = subscribe(client, FakeBrowser(endpoint))
    assert response.status_code == 422 and json_error(response)["field"] == "endpoint"
    old = FakeBrowser("https://fcm.googleapis.com/fcm/send/old")
    subscribe(client, old)
    moved = client.post(
        "/push/resubscribe",
        json={"old_endpoint": old.endpoint, "subscription": FakeBrowser(endpoint).as_json()},
    )
    assert moved.status_code == 422
    assert [row.endpoint for row in rows(engine)] == [old.endpoint]


def test_a_short_auth_secret_is_refused(client, teacher, engine):
    sign_in_as(client, teacher)
    browser = FakeBrowser("https://fcm.googleapis.com/fcm/send/abc", auth_secret=b"short")
    response = subscribe(client, browser)
    assert response.status_code == 422 and json_error(response)["field"] == "auth"


def test_not_json_is_refused(client, teacher):
    sign_in_as(client, teacher)
    response = client.post(
        "/push/subscriptions", data="hello", headers={"X-CSRFToken": csrf_token(client)}
    )
    assert response.status_code == 422


def test_every_post_needs_the_csrf_token(client, teacher, engine, session):
    sign_in_as(client, teacher)
    browser = FakeBrowser("https://fcm.googleapis.com/fcm/send/abc")
    assert client.post("/push/subscriptions", json=browser.as_json()).status_code == 400
    subscribe(client, browser)
    [row] = rows(engine)
    assert client.post(f"/push/subscriptions/{row.id}/delete").status_code == 400
    assert client.post("/push/test").status_code == 400
    assert len(rows(engine)) == 1
    with Session(engine) as db:
        assert db.exec(select(Notification)).all() == []


def test_signed_out_posts_are_told_to_sign_in(client):
    # A script's JSON request gets the JSON shape, not a redirect to a page.
    response = client.post(
        "/push/subscriptions", json={}, headers={"X-CSRFToken": csrf_token(client)}
    )
    assert response.status_code == 401 and json_error(response)["message"]


def test_i_can_remove_only_my_own_device(client, session, teacher, engine):
    colleague = make_user(session)
    sign_in_as(client, colleague)
    subscribe(client, FakeBrowser("https://fcm.googleapis.com/fcm/send/theirs"))
    sign_in_as(client, teacher)
    subscribe(client, FakeBrowser("https://fcm.googleapis.com/fcm/send/mine"))
    theirs, mine = rows(engine)

    assert client.get(f"/push/subscriptions/{theirs.id}/delete").status_code == 404
    assert post_form(client, f"/push/subscriptions/{theirs.id}/delete").status_code == 404
    confirm = client.get(f"/push/subscriptions/{mine.id}/delete")
    assert confirm.status_code == 200 and "Remove device" in confirm.get_data(as_text=True)
    response = post_form(client, f"/push/subscriptions/{mine.id}/delete")
    assert response.status_code == 303
    assert [row.endpoint for row in rows(engine)] == ["https://fcm.googleapis.com/fcm/send/theirs"]


def test_removing_with_htmx_returns_the_updated_list(client, teacher, engine):
    sign_in_as(client, teacher)
    subscribe(client, FakeBrowser("https://fcm.googleapis.com/fcm/send/mine"))
    [mine] = rows(engine)
    response = client.post(
        f"/push/subscriptions/{mine.id}/delete",
        headers=htmx_headers(**{"X-CSRFToken": csrf_token(client)}),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "get notices any more" in html and "No device gets notices yet" in html


def test_a_test_notice_reaches_my_devices(app, client, teacher, engine, receiver):
    sign_in_as(client, teacher)
    browser = receiver.new_browser()
    subscribe(client, browser)
    response = client.post(
        "/push/test", headers=htmx_headers(**{"X-CSRFToken": csrf_token(client)})
    )
    assert "Test notice sent" in response.get_data(as_text=True)
    with app.app_context():
        assert jobs.backend().drain(10)
    assert receiver.errors == []
    [message] = receiver.received
    assert message.payload["title"] == "Test notice from Chalkmark"
    assert message.payload["url"] == "/notifications/settings"


def test_resubscribe_needs_the_old_endpoint_but_no_csrf(client, session, teacher, engine):
    sign_in_as(client, teacher)
    old = FakeBrowser("https://fcm.googleapis.com/fcm/send/old")
    subscribe(client, old)
    new = FakeBrowser("https://fcm.googleapis.com/fcm/send/new")
    anonymous = client.application.test_client()  # a service worker: no token, no session

    unknown = anonymous.post(
        "/push/resubscribe",
        json={
            "old_endpoint": "https://fcm.googleapis.com/fcm/send/guess",
            "subscription": new.as_json(),
        },
    )
    bad = anonymous.post(
        "/push/resubscribe",
        json={"old_endpoint": old.endpoint, "subscription": {"endpoint": "https://x.example/y"}},
    )
    assert unknown.status_code == 404 and bad.status_code == 422
    assert [row.endpoint for row in rows(engine)] == [old.endpoint]

    moved = anonymous.post(
        "/push/resubscribe", json={"old_endpoint": old.endpoint, "subscription": new.as_json()}
    )
    assert moved.status_code == 200
    [row] = rows(engine)
    assert (row.endpoint, row.user_id, row.p256dh) == (new.endpoint, teacher.id, new.p256dh)


def test_the_service_worker_push_script_is_served(client):
    response = client.get("/sw-push.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    body = response.get_data(as_text=True)
    assert "pushsubscriptionchange" in body and "notificationclick" in body
    assert 'importScripts("/sw-push.js")' in client.get("/sw.js").get_data(as_text=True)


def test_the_prompt_partial_starts_hidden_and_asks_only_on_a_click(app):
    from flask import render_template

    with app.test_request_context("/"):
        html = render_template("notify/_push_prompt.html")
    assert "data-push-prompt" in html and "hidden>" in html  # push.js decides to show it
    assert "js/notify/push.js" in html
    assert "data-push-enable" in html and "data-push-dismiss" in html
