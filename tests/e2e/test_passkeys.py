"""Passkeys in a real Chromium with its virtual authenticator: sign up, recovery codes,
sign out, sign in again with the discoverable passkey; refused user verification; demo
sign-in; and the axe check on the auth pages."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from server.demo.people import DEMO_HANDLES
from server.models import Passkey, User
from tests.support.browser import add_virtual_authenticator, assert_accessible, credentials_on

pytestmark = pytest.mark.e2e


def unique_name(first: str) -> str:
    return f"{first} {uuid.uuid4().hex[:6]}"


def main_nav(page):
    return page.get_by_role("navigation", name="Main")


def sign_up(page, name: str) -> None:
    page.goto("/auth/sign-up")
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Create account with a passkey").click()


def users_named(live_app, name: str) -> list[User]:
    with Session(live_app.extensions["db_engine"]) as session:
        return list(session.exec(select(User).where(User.display_name == name)).all())


def test_sign_up_then_sign_in_again_with_the_passkey(page, live_app):
    cdp, authenticator_id = add_virtual_authenticator(page)
    name = unique_name("Rosa Parks")
    sign_up(page, name)

    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    expect(page.locator(".codes code")).to_have_count(10)
    [credential] = credentials_on(cdp, authenticator_id)
    assert credential["isResidentCredential"] is True
    page.get_by_role("link", name=re.compile("I saved these")).click()
    expect(main_nav(page).get_by_role("link", name=name)).to_be_visible()

    main_nav(page).get_by_role("button", name="Sign out").click()
    expect(main_nav(page).get_by_role("link", name="Sign in")).to_be_visible()

    page.goto("/auth/sign-in")
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(main_nav(page).get_by_role("link", name=name)).to_be_visible()
    assert len(users_named(live_app, name)) == 1


def test_refused_user_verification_is_explained_and_nobody_is_signed_in(page, live_app):
    add_virtual_authenticator(page, user_verified=False)
    name = unique_name("Unverified")
    sign_up(page, name)
    alert = page.locator("[data-passkey-error]")
    expect(alert).to_contain_text("couldn't confirm it's you")
    expect(page.get_by_role("button", name="Create account with a passkey")).to_be_enabled()
    expect(main_nav(page).get_by_role("link", name="Sign in")).to_be_visible()
    assert users_named(live_app, name) == []


def test_sign_in_refused_when_the_device_cannot_verify_the_user(page):
    cdp, authenticator_id = add_virtual_authenticator(page)
    name = unique_name("Later Unverified")
    sign_up(page, name)
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    page.get_by_role("link", name=re.compile("I saved these")).click()
    main_nav(page).get_by_role("button", name="Sign out").click()

    cdp.send(
        "WebAuthn.setUserVerified", {"authenticatorId": authenticator_id, "isUserVerified": False}
    )
    page.goto("/auth/sign-in")
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page.locator("[data-passkey-error]")).to_contain_text("couldn't confirm it's you")
    expect(main_nav(page).get_by_role("link", name="Sign in")).to_be_visible()


def ensure_demo_teacher(live_app) -> str:
    """The demo seed may still be a stub: make the demo teacher if it isn't there."""
    with Session(live_app.extensions["db_engine"]) as session:
        handle = DEMO_HANDLES["teacher"]
        user = session.exec(select(User).where(User.handle == handle)).first()
        if user is None:
            user = User(handle=handle, display_name="Maya Ortiz", roles="teacher")
            session.add(user)
            session.commit()
        return user.display_name


def test_demo_try_as_teacher(page, live_app):
    name = ensure_demo_teacher(live_app)
    page.goto("/auth/sign-in")
    page.get_by_role("group", name="Try Chalkmark as").get_by_role("button", name="Teacher").click()
    expect(main_nav(page).get_by_role("link", name=name)).to_be_visible()


def test_auth_pages_are_accessible(page, live_app):
    add_virtual_authenticator(page)
    page.goto("/auth/sign-in")
    assert_accessible(page)
    page.goto("/auth/sign-up")
    assert_accessible(page)
    sign_up(page, unique_name("Axe Checker"))
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    assert_accessible(page)
    page.goto("/auth/account")
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Add a passkey on another device").click()
    expect(page.get_by_role("img", name="QR code of the link")).to_be_visible()
    assert_accessible(page)


def test_rename_a_passkey_inline(page):
    add_virtual_authenticator(page)
    sign_up(page, unique_name("Renamer"))
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    page.goto("/auth/account")
    page.locator(".passkey-list").get_by_role("link", name=re.compile("^Rename ")).click()
    field = page.get_by_label("Name for this passkey")
    field.fill("Classroom tablet")
    page.get_by_role("button", name="Save name").click()
    expect(page.get_by_role("heading", name="Classroom tablet")).to_be_visible()
    assert page.url.endswith("/auth/account")  # swapped in place, no navigation


def test_a_browser_without_webauthn_is_told_so(page):
    page.add_init_script("delete window.PublicKeyCredential;")
    page.goto("/auth/sign-in")
    expect(page.locator("[data-passkey-error]")).to_contain_text("can't use passkeys")
    expect(page.get_by_role("button", name="Sign in with a passkey")).to_be_disabled()


def test_an_unreachable_server_is_explained(page):
    add_virtual_authenticator(page)
    page.goto("/auth/sign-in")
    page.route("**/auth/login/options", lambda route: route.abort())
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page.locator("[data-passkey-error]")).to_contain_text("Couldn't reach Chalkmark")
    expect(page.get_by_role("button", name="Sign in with a passkey")).to_be_enabled()


def test_an_unknown_passkey_is_explained(page, live_app):
    add_virtual_authenticator(page)
    name = unique_name("Forgotten")
    sign_up(page, name)
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    [user] = users_named(live_app, name)
    with Session(live_app.extensions["db_engine"]) as session:
        # The account forgets the passkey; the device still offers it.
        for passkey in session.exec(select(Passkey).where(Passkey.user_id == user.id)):
            session.delete(passkey)
        session.commit()
    page.goto("/")
    main_nav(page).get_by_role("button", name="Sign out").click()
    page.goto("/auth/sign-in")
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page.locator("[data-passkey-error]")).to_contain_text("recognise this passkey")
    expect(main_nav(page).get_by_role("link", name="Sign in")).to_be_visible()
