"""A teacher's day on a phone (390×844): sign in, the home says what is next, the draft
opens from it; the bottom tab bar is there and reachable by keyboard; axe finds nothing
on the home at phone and desktop sizes."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from server.models import Credential, Submission, User
from tests.e2e.flows import sign_in_as_demo
from tests.support.browser import PHONE, add_virtual_authenticator, assert_accessible
from tests.support.factories import make_submission

DESKTOP = {"width": 1280, "height": 900}
IN_TAB_BAR = """() => {
  const here = document.activeElement;
  return here.closest('.nav-tabs') ? here.textContent.trim() : '';
}"""


def _a_draft_for_maya(live_app) -> None:
    """The seeded draft may have been submitted by another test: make sure one is open."""
    with Session(live_app.extensions["db_engine"], expire_on_commit=False) as session:
        maya = session.exec(select(User).where(User.handle == "maya")).one()
        if session.exec(
            select(Submission).where(Submission.user_id == maya.id, Submission.status == "draft")
        ).first():
            return
        started = select(Submission.credential_id).where(Submission.user_id == maya.id)
        credential = session.exec(select(Credential).where(Credential.id.not_in(started))).first()
        make_submission(session, maya, credential, status="draft")


def test_home_shows_the_draft_and_the_tab_bar_on_a_phone(page, live_app):
    _a_draft_for_maya(live_app)
    sign_in_as_demo(page, "teacher")
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("What's next")
    continue_link = page.get_by_role("link", name=re.compile(r"^Continue "))
    expect(continue_link.first).to_be_visible()
    title = continue_link.first.inner_text().removeprefix("Continue ")

    tabs = page.locator(".nav-tabs")
    expect(tabs).to_be_visible()
    box = tabs.bounding_box()
    assert box and box["y"] + box["height"] >= PHONE["height"] - 2  # pinned to the bottom
    for name in ("Home", "Stacks", "Capture", "Inbox", "Me"):
        link = tabs.get_by_role("link", name=re.compile(name))
        expect(link).to_be_visible()
        assert link.bounding_box()["height"] >= 44
    expect(page.locator('.site-nav [aria-current="page"]')).to_have_count(1)
    expect(tabs.get_by_role("link", name="Home")).to_have_attribute("aria-current", "page")
    header = page.locator(".site-header").bounding_box()
    assert header and header["height"] <= 64  # one row, not three
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)

    # Keyboard: Tab reaches the tab bar's links.
    page.locator("body").focus()
    reached = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.add(page.evaluate(IN_TAB_BAR))
    assert {"Home", "Stacks", "Inbox"} <= {r.split()[0] for r in reached if r}

    continue_link.first.click()
    expect(page).to_have_url(re.compile(r"/submissions/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)

    page.set_viewport_size(DESKTOP)
    page.goto("/home")
    expect(page.locator(".nav-tabs")).to_be_visible()  # its links line up in the header
    assert page.locator(".nav-tabs-group").evaluate("e => getComputedStyle(e).position") != "fixed"
    assert_accessible(page)


def test_sign_up_keeps_the_browser_zone_and_the_account_page_offers_it(browser, base_url, live_app):
    context = browser.new_context(
        base_url=base_url, viewport=PHONE, is_mobile=True, timezone_id="America/Denver"
    )
    try:
        page = context.new_page()
        add_virtual_authenticator(page)
        name = f"Zoe Zone {uuid.uuid4().hex[:6]}"
        page.goto("/auth/sign-up")
        page.get_by_label("Your name").fill(name)
        page.get_by_role("button", name="Create account with a passkey").click()
        expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
        engine = live_app.extensions["db_engine"]
        with Session(engine, expire_on_commit=False) as session:
            user = session.exec(select(User).where(User.display_name == name)).one()
            assert user.timezone == "America/Denver"
            user.timezone = "UTC"  # as if saved elsewhere: this device now differs
            session.add(user)
            session.commit()
        page.goto("/auth/account")
        offer = page.locator("[data-timezone-offer]")
        expect(offer).to_be_visible()
        expect(offer).to_contain_text("America/Denver")
        assert_accessible(page)
        offer.get_by_role("button", name="Use this device's time zone").click()
        expect(page.get_by_text("Times now show in America/Denver.")).to_be_visible()
        expect(page.locator("[data-timezone-offer]")).to_be_hidden()
    finally:
        context.close()


@pytest.mark.parametrize(
    "role, heading",
    [("assessor", "Reviews"), ("coach", "Your cohorts"), ("admin", "Your district")],
)
def test_every_role_home_is_accessible_on_a_phone(page, role, heading):
    sign_in_as_demo(page, role)
    page.goto("/")
    expect(page.get_by_role("heading", name=heading, level=2)).to_be_visible()
    expect(page.locator(".nav-tabs")).to_be_visible()
    assert_accessible(page)
