"""The admin's home, district settings and roles pages as an admin uses them: keyboard-
reachable forms, errors next to their fields, accessible. Nothing is saved here (other
browser tests share the demo district)."""

from playwright.sync_api import expect

from tests.e2e.flows import sign_in_as_demo
from tests.support.browser import assert_accessible


def test_an_admin_finds_what_needs_attention_settings_and_roles(page):
    sign_in_as_demo(page, "admin")
    page.goto("/admin")
    expect(page.get_by_role("heading", name="What needs attention")).to_be_visible()
    expect(page.get_by_role("heading", name="Oldest waiting submissions")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="District settings").click()
    expect(page.get_by_label("Quiet from")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Mentor from").fill("10")  # below Practitioner: refused
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("alert")).to_contain_text("nothing was saved")
    expect(page.locator("#level_2-error")).to_contain_text("Needs more points than Practitioner")
    expect(page.get_by_label("Mentor from")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    page.goto("/admin")
    page.get_by_role("link", name="Roles").click()
    page.get_by_label("Name, handle or email").fill("Jordan")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name="Jordan Reyes").first.click()
    expect(page.get_by_role("heading", name="Roles of Jordan Reyes")).to_be_visible()
    expect(page.get_by_label("Assessor")).to_be_checked()
    assert_accessible(page)
