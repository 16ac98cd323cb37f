"""My transcript and the district's credit-hour form, as people see them: accessible."""

from playwright.sync_api import expect

from tests.e2e.flows import sign_in_as_demo
from tests.support.browser import assert_accessible


def test_the_teachers_transcript_and_the_admins_report_form(page):
    sign_in_as_demo(page, "teacher")
    page.goto("/transcript")
    expect(page.get_by_role("heading", name="My transcript")).to_be_visible()
    expect(page.get_by_text("By school year (1 July – 30 June)")).to_be_visible()
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in_as_demo(page, "admin")
    page.goto("/transcript")
    page.get_by_role("link", name="Your district's credit hours per teacher").click()
    expect(page.get_by_label("From")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("From").fill("2030-01-02")
    page.get_by_label("To").fill("2030-01-01")
    page.get_by_role("button", name="Download CSV").click()
    expect(page.get_by_role("alert")).to_contain_text("on or before the end date")
    assert_accessible(page)
