"""The app shell in a real Chromium: catalog pages readable offline, the offline page for
private ones, never a cached page from another session, forms that need the network say
so, the install button only when the browser offers it, the "update available" banner,
and the worker uploading the offline queue on its own (what Background Sync runs)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from server.models import Credential, EvidenceItem
from tests.e2e.flows import make_live_user, sign_in_with_cookie
from tests.support.browser import assert_accessible
from tests.support.factories import make_submission

pytestmark = pytest.mark.e2e

CREDENTIAL = "/credentials/number-line-reasoning"


@pytest.fixture
def teacher(live_app):
    return make_live_user(live_app, "shell", "Shell Tester")


sign_in = sign_in_with_cookie


def controlled(page) -> None:
    """The worker installed and in control, as on any visit after the first."""
    page.wait_for_function("async () => (await navigator.serviceWorker.ready).active !== null")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def test_opened_pages_read_offline_and_private_pages_say_offline(
    context, page, live_app, base_url, teacher
):
    sign_in(context, live_app, base_url, teacher)
    page.goto(CREDENTIAL)
    controlled(page)
    page.reload()  # this visit goes through the worker, which keeps the page
    expect(page.locator("h1")).to_have_text("Number-Line Reasoning")
    page.goto("/capture")  # kept too, for capturing offline later
    expect(page.locator("body[data-capture-ready]")).to_have_count(1)
    context.set_offline(True)
    page.goto(CREDENTIAL)
    expect(page.locator("h1")).to_have_text("Number-Line Reasoning")
    expect(page.get_by_text("Photos of number lines students made or annotated.")).to_be_visible()
    expect(page.locator("#network-status")).to_contain_text("You're offline")
    page.goto("/me/credentials")
    expect(page.locator("h1")).to_have_text("You're offline")
    page.get_by_role("link", name="Capture evidence").click()
    expect(page).to_have_url(re.compile(r"/capture$"))
    expect(page.locator("h1")).to_have_text("Capture evidence")


def test_a_page_cached_before_signing_in_is_not_served_after(
    context, page, live_app, base_url, teacher
):
    page.goto(CREDENTIAL)
    controlled(page)
    page.reload()
    expect(page.get_by_role("link", name="Sign in to start")).to_be_visible()
    sign_in(context, live_app, base_url, teacher)
    page.goto("/me/credentials")  # a fresh session: its first page
    page.goto(CREDENTIAL)
    page.get_by_role("button", name="Start this credential").click()
    page.wait_for_url(re.compile(r"/submissions/\d+$"))  # the form's token was current
    expect(page.locator("h1")).to_have_text("Number-Line Reasoning")


def test_forms_that_need_the_network_say_so_offline(context, page, live_app, base_url, teacher):
    sign_in(context, live_app, base_url, teacher)
    page.goto(CREDENTIAL)
    context.set_offline(True)
    page.get_by_role("button", name="Start this credential").click()
    note = page.get_by_role("alert")
    expect(note).to_contain_text("You're offline, and this needs a connection")
    assert page.url.endswith(CREDENTIAL)
    expect(page.locator("html.is-offline")).to_have_count(1)
    context.set_offline(False)
    expect(note).to_have_count(0)
    expect(page.locator("html.is-offline")).to_have_count(0)


FAKE_INSTALL_PROMPT = """() => {
  const event = new Event('beforeinstallprompt', {cancelable: true});
  event.prompt = () => { window.__installPrompted = true; return Promise.resolve(); };
  event.userChoice = Promise.resolve({outcome: 'accepted'});
  window.dispatchEvent(event);
  return event.defaultPrevented;
}"""


def test_the_install_button_appears_only_when_the_browser_offers(page):
    page.goto("/")
    expect(page.get_by_role("button", name="Install Chalkmark")).to_have_count(0)
    assert page.evaluate(FAKE_INSTALL_PROMPT) is True  # the mini-infobar is held back
    button = page.get_by_role("button", name="Install Chalkmark")
    expect(button).to_be_visible()
    assert_accessible(page)
    button.click()
    assert page.evaluate("window.__installPrompted") is True
    expect(button).to_have_count(0)


def test_a_new_version_shows_a_banner_and_reloads_into_it(context, page, live_app):
    page.goto("/")
    controlled(page)
    old_names = page.evaluate("caches.keys()")
    version, urls = live_app.extensions["pwa_shell"]
    live_app.extensions["pwa_shell"] = ("0123456789ab", urls)
    try:
        page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).update()")
        banner = page.get_by_role("status").filter(has_text="A new version of Chalkmark")
        expect(banner).to_be_visible()
        page.evaluate("window.__beforeReload = true")
        banner.get_by_role("button", name="Reload").click()
        page.wait_for_function("() => window.__beforeReload === undefined")
        controlled(page)
        names = page.evaluate("caches.keys()")
        assert "chalkmark-shell-0123456789ab" in names
        assert not set(old_names) & set(names)  # the old caches went on activate
    finally:
        live_app.extensions["pwa_shell"] = (version, urls)


def test_the_worker_uploads_the_queue_on_its_own(context, page, live_app, base_url, teacher):
    with Session(live_app.extensions["db_engine"], expire_on_commit=False) as session:
        credential = session.exec(
            select(Credential).where(Credential.slug == "number-line-reasoning")
        ).one()
        draft = make_submission(session, teacher, credential, status="draft")
    sign_in(context, live_app, base_url, teacher)
    page.goto(f"/capture?submission={draft.id}")
    controlled(page)
    expect(page.locator("body[data-capture-ready]")).to_have_count(1)
    context.set_offline(True)
    text_part = page.locator(".capture-part", has=page.locator("textarea"))
    text_part.locator("textarea").fill("Written on the bus, sent by the worker.")
    text_part.get_by_role("button", name="Add reflection").click()
    expect(page.locator('#queue-list > li[data-status="waiting"]')).to_have_count(1)
    page.goto("about:blank")  # the capture page is gone; only the worker is left
    context.set_offline(False)
    [worker] = [w for w in context.service_workers if w.url.endswith("/sw.js")]
    result = worker.evaluate("() => self.ChalkmarkQueue.flush(self.ChalkmarkQueue.fetchTransport)")
    assert result["pending"] == 0
    with Session(live_app.extensions["db_engine"]) as session:
        texts = session.exec(
            select(EvidenceItem.text).where(EvidenceItem.submission_id == draft.id)
        ).all()
    assert texts == ["Written on the bus, sent by the worker."]
