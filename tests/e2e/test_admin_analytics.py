"""The demo admin's analytics page, as a browser sees it: charts, tables, the period
field and its error, all accessible."""

from playwright.sync_api import expect

from tests.e2e.flows import sign_in_as_demo
from tests.support.browser import assert_accessible


def test_the_admin_reads_the_districts_analytics(page):
    sign_in_as_demo(page, "admin")
    page.goto("/admin")
    page.get_by_role("link", name="Analytics: credentials, reviews, cohorts, credit hours").click()
    expect(page.get_by_role("heading", name="Credentials", exact=True)).to_be_visible()
    expect(page.get_by_role("img", name="Credit hours issued per month")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Period").select_option("last-school-year")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("Showing: Last school year")).to_be_visible()
    assert_accessible(page)
    page.goto("/admin/analytics?period=forever")
    expect(page.locator("#period-error")).to_have_text("Choose one of the periods in the list.")
    assert_accessible(page)
