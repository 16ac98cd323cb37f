"""Web Push in a real Chromium: the service worker shows a pushed notice and its click
opens the notice's URL; the settings page explains a blocked permission.

The push is delivered with CDP `ServiceWorker.deliverPushMessage` (a real `push` event in
the real service worker). Headless Chromium has no notification UI to click and a
synthetic NotificationEvent is untrusted, so the click path is driven through the
worker's `self.chalkmarkPush.handleNotificationClick` with the notification it showed.
"""

from __future__ import annotations

import json
import time

import pytest

from tests.e2e.flows import make_live_user, sign_in_with_cookie
from tests.support.browser import assert_accessible

pytestmark = pytest.mark.e2e


@pytest.fixture
def push_user(live_app):
    return make_live_user(live_app, "push", "Pat Pusher")


sign_in = sign_in_with_cookie


def worker_registration_id(cdp, scope: str) -> str:
    found: dict[str, str] = {}

    def remember(event):
        for registration in event["registrations"]:
            if not registration.get("isDeleted"):
                found[registration["scopeURL"]] = registration["registrationId"]

    cdp.on("ServiceWorker.workerRegistrationUpdated", remember)
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while scope not in found and time.monotonic() < deadline:
        cdp.send("Runtime.evaluate", {"expression": "1"})  # lets CDP events arrive
    assert scope in found, f"no service worker registration for {scope}: {found}"
    return found[scope]


def shown_notifications(page, *, at_least: int = 0, timeout: float = 10.0) -> list[dict]:
    """The worker's notifications, waiting until there are `at_least` of them."""
    deadline = time.monotonic() + timeout
    while True:
        shown = page.evaluate(SHOWN_NOTIFICATIONS)
        if len(shown) >= at_least or time.monotonic() > deadline:
            return shown
        page.wait_for_timeout(100)


SHOWN_NOTIFICATIONS = """async () => {
  const registration = await navigator.serviceWorker.ready;
  return (await registration.getNotifications()).map(
    (n) => ({title: n.title, body: n.body, tag: n.tag, icon: n.icon, url: n.data && n.data.url}));
}"""


def test_a_pushed_notice_is_shown_and_its_click_opens_the_url(
    context, page, live_app, base_url, push_user
):
    context.grant_permissions(["notifications"], origin=base_url)
    sign_in(context, live_app, base_url, push_user)
    page.goto("/notifications/settings")
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()  # now controlled by the worker, as a returning visitor's page is
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")

    cdp = context.new_cdp_session(page)
    registration_id = worker_registration_id(cdp, base_url + "/")
    payload = {
        "title": "You earned Fractions as Numbers!",
        "body": "Every criterion met.",
        "url": "/stacks",
        "tag": "chalkmark-award-1",
    }
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": base_url, "registrationId": registration_id, "data": json.dumps(payload)},
    )

    [shown] = shown_notifications(page, at_least=1)
    assert shown == {
        "title": payload["title"],
        "body": payload["body"],
        "tag": payload["tag"],
        "icon": base_url + "/static/icons/icon-192.png",
        "url": base_url + "/stacks",
    }

    [worker] = [w for w in context.service_workers if w.url.endswith("/sw.js")]
    worker.evaluate("""async () => {
      const [notification] = await self.registration.getNotifications();
      await self.chalkmarkPush.handleNotificationClick(notification);
    }""")
    page.wait_for_url(base_url + "/stacks")
    assert shown_notifications(page) == []  # the click closed it


def test_a_push_never_sends_someone_to_another_site(context, page, live_app, base_url, push_user):
    context.grant_permissions(["notifications"], origin=base_url)
    sign_in(context, live_app, base_url, push_user)
    page.goto("/notifications/settings")
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    cdp = context.new_cdp_session(page)
    registration_id = worker_registration_id(cdp, base_url + "/")
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": base_url,
            "registrationId": registration_id,
            "data": json.dumps({"title": "Hi", "url": "https://evil.example/phish"}),
        },
    )
    assert [n["url"] for n in shown_notifications(page, at_least=1)] == [base_url + "/"]


def test_a_blocked_permission_is_explained(context, page, live_app, base_url, push_user):
    sign_in(context, live_app, base_url, push_user)
    page.goto("/notifications/settings")
    assert_accessible(page)
    # Headless Chromium answers a permission request it cannot show with "denied".
    page.get_by_role("button", name="Notify me on this device").click()
    status = page.locator("[data-push-status]").first
    status.filter(has_text="blocked").wait_for()
    assert "allow notifications" in status.inner_text()
